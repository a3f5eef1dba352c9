// @ts-check
// `node bench/profile.mjs`: where the extension's time goes, for the rows of
// `npm run bench` that miss their budget. Chromium only (CDP Profiler). The
// guard and relay are rebuilt unminified so the profile names real functions;
// everything else is the normal build. Prints the top self-time functions per
// kernel and writes bench/results/profile.json.
import { build } from 'esbuild';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../scanner/lib/browsers.mjs';
import { serve } from '../scanner/lib/serve.mjs';
import { execFileSync } from 'node:child_process';
import { buildAll, guardDefines } from '../scripts/build.mjs';
import { heavyPage } from './lib/heavy.mjs';
import { scriptSelfMs, topSelf } from './lib/profile.mjs';
import { runKernel } from './lib/kernel.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const TOP = Number(process.argv[process.argv.indexOf('--top') + 1]) || 12;

const work = mkdtempSync(join(tmpdir(), 'untapped-profile-'));
const extDir = join(work, 'dist');
await buildAll({ quiet: true, outDir: extDir });
// Same bundling as scripts/build.mjs, minus minification.
await build({
  absWorkingDir: root,
  entryPoints: { guard: 'src/guard/index.ts', relay: 'src/relay/index.ts' },
  outdir: join(extDir, 'chromium'),
  bundle: true,
  format: 'iife',
  target: ['chrome120', 'firefox140'],
  minify: false,
  logLevel: 'error',
  allowOverwrite: true,
  define: guardDefines(),
});
const pagesDir = join(work, 'pages');
mkdirSync(pagesDir);
cpSync(join(here, 'pages'), pagesDir, { recursive: true });
writeFileSync(join(pagesDir, 'heavy.html'), heavyPage());
const srv = await serve(pagesDir, { maxRecorded: 0 });
const s = await launch('chromium', { extension: true, extensionDir: join(extDir, 'chromium') });

/** @type {Record<string, unknown>} */
const out = {};
let closed = false;
/**
 * @param {import('puppeteer-core').CDPSession} cdp
 * @param {() => Promise<unknown>} work
 */
async function profiled(cdp, work) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 25 });
  await cdp.send('Profiler.start');
  await work();
  const { profile } = await cdp.send('Profiler.stop');
  return profile;
}

/** @param {string} name @param {import('./lib/profile.mjs').CpuProfile} profile @param {number} per */
function show(name, profile, per) {
  const guard = scriptSelfMs(profile, (u) => u.endsWith('/guard.js'));
  const relay = scriptSelfMs(profile, (u) => u.endsWith('/relay.js'));
  const top = topSelf(profile, TOP);
  const topGuard = topSelf(profile, 8, (u) => u.endsWith('/guard.js'));
  const topRelay = topSelf(profile, 5, (u) => u.endsWith('/relay.js'));
  out[name] = { guardSelfMs: guard, relaySelfMs: relay, per, top, topGuard, topRelay };
  console.log(`\n## ${name}: guard.js self ${guard.toFixed(1)} ms, relay.js self ${relay.toFixed(1)} ms (${per} operations)`);
  for (const t of top) console.log(`  ${t.ms.toFixed(2).padStart(8)} ms ${String(t.share).padStart(5)}%  ${t.name}`);
  console.log('  -- guard.js only:');
  for (const t of topGuard) console.log(`  ${t.ms.toFixed(2).padStart(8)} ms ${String(t.share).padStart(5)}%  ${t.name}`);
  if (relay > 1) {
    console.log('  -- relay.js only:');
    for (const t of topRelay) console.log(`  ${t.ms.toFixed(2).padStart(8)} ms ${String(t.share).padStart(5)}%  ${t.name}`);
  }
}

try {
  const page = await s.browser.newPage();
  await page.goto(`${srv.FIRST}/micro.html`, { waitUntil: 'load' });
  await page.waitForFunction('typeof window.__bench === "object"');
  await page.type('#typed', 'Ada Lovelace');
  const cdp = await page.createCDPSession();
  for (const [name, n, reps] of /** @type {const} */ ([
    ['unwatched', 20_000, 10], ['watched', 2_000, 10], ['dispatch', 2_000, 10], ['valueReads', 200_000, 10],
    ['valueReadsTyped', 20_000, 10], ['createElement', 2_000, 10],
  ])) {
    const profile = await profiled(cdp, async () => {
      for (let i = 0; i < reps; i++) await runKernel(page, name, n);
    });
    show(name, profile, n * reps);
  }
  await page.goto(`${srv.FIRST}/frames.html`, { waitUntil: 'load' });
  await page.evaluate((n) => /** @type {any} */ (window).__prepareFrames(n), 40);
  const fcdp = await page.createCDPSession();
  const frames = await profiled(fcdp, () => page.evaluate((n) => /** @type {any} */ (window).__addFrames(n), 40));
  show('40 same-origin frames inserted', frames, 40);
  await page.goto('about:blank');
  const hcdp = await page.createCDPSession();
  const heavy = await profiled(hcdp, () => page.goto(`${srv.FIRST}/heavy.html`, { waitUntil: 'load', timeout: 120_000 }));
  show('heavy page load (top frame and same-process frames only)', heavy, 1);
  // The same frame insertion without the extension, to compare what is not
  // attributed to any script ((program): parsing, compiling, layout). One
  // browser at a time: the machine is shared.
  const version = await s.browser.version();
  await s.close();
  closed = true;
  const bare = await launch('chromium', { extension: false });
  try {
    const bp = await bare.browser.newPage();
    await bp.goto(`${srv.FIRST}/frames.html`, { waitUntil: 'load' });
    await bp.evaluate((n) => /** @type {any} */ (window).__prepareFrames(n), 40);
    const bcdp = await bp.createCDPSession();
    show('40 same-origin frames inserted, WITHOUT the extension', await profiled(bcdp, () => bp.evaluate((n) => /** @type {any} */ (window).__addFrames(n), 40)), 40);
    await bp.goto('about:blank');
    const bh = await bp.createCDPSession();
    show('heavy page load, WITHOUT the extension', await profiled(bh, () => bp.goto(`${srv.FIRST}/heavy.html`, { waitUntil: 'load', timeout: 120_000 })), 1);
  } finally {
    await bare.close();
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'profile.json'), JSON.stringify({ date: new Date().toISOString(), commit: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(), browser: version, ...out }, null, 2));
} finally {
  if (!closed) await s.close();
  await srv.close();
  rmSync(work, { recursive: true, force: true });
}
