// `npm test`: typecheck, the fast unit tier, then the real-browser tier in
// Chromium and Firefox. Stops at the first tier that fails.
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['unit tests', 'npx', ['vitest', 'run', '--config', 'vitest.config.ts']],
  ['browser tests (Chromium and Firefox)', 'npx', ['vitest', 'run', '--config', 'vitest.browser.config.ts']],
  // The tiers above build into private directories; lint the real dist/.
  ['build dist/', 'node', ['scripts/build.mjs']],
  ['web-ext lint (Firefox build)', 'npx', ['web-ext', 'lint', '--source-dir', 'dist/firefox', '--self-hosted', '--warnings-as-errors=false']],
];

for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}
