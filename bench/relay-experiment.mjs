// @ts-check
// `node bench/relay-experiment.mjs [--rounds N]`: where the per-frame cost of
// the content scripts comes from. Chromium, one launch per variant per round,
// alternating: no extension; the extension as built; only the guard (MAIN
// world); only the relay (ISOLATED world); and a relay built without tldts or
// tldts-experimental (public suffix list) and webextension-polyfill, replaced
// by stand-ins that are NOT correct for production (the stand-in site is the
// last two host labels). It changes no source file; variants are manifest edits and
// rebuilds in a temporary directory.
import { build } from 'esbuild';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../scanner/lib/browsers.mjs';
import { serve } from '../scanner/lib/serve.mjs';
import { buildAll, guardDefines } from '../scripts/build.mjs';
import { median, range } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const i = process.argv.indexOf('--rounds');
const rounds = i >= 0 ? Number(process.argv[i + 1]) : 4;
const FRAMES = 40;

const work = mkdtempSync(join(tmpdir(), 'untapped-relayexp-'));
const asBuilt = join(work, 'built');
await buildAll({ quiet: true, outDir: asBuilt });
const lite = join(work, 'lite');
cpSync(join(asBuilt, 'chromium'), lite, { recursive: true });
const stubs = join(work, 'stubs');
mkdirSync(stubs);
writeFileSync(join(stubs, 'tldts.mjs'), [
  'export const getHostname = (u) => { try { return new URL(u).hostname; } catch (e) { return null; } };',
  "export const getDomain = (h) => h.split('.').slice(-2).join('.');",
].join('\n'));
writeFileSync(join(stubs, 'polyfill.mjs'), 'export default globalThis.browser ?? globalThis.chrome;\n');
await build({
  absWorkingDir: root,
  entryPoints: { relay: 'src/relay/index.ts' },
  outdir: lite,
  bundle: true,
  format: 'iife',
  target: ['chrome120', 'firefox140'],
  minify: true,
  legalComments: 'none',
  logLevel: 'error',
  allowOverwrite: true,
  alias: { tldts: join(stubs, 'tldts.mjs'), 'tldts-experimental': join(stubs, 'tldts.mjs'), 'webextension-polyfill': join(stubs, 'polyfill.mjs') },
});
/** A copy of the built extension whose manifest keeps only the content script `keep`. */
function onlyScript(/** @type {string} */ keep) {
  const dir = join(work, `only-${keep}`);
  cpSync(join(asBuilt, 'chromium'), dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.content_scripts = manifest.content_scripts.filter((/** @type {{ js: string[] }} */ c) => c.js.includes(keep));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}
/** @type {Record<string, string | null>} */
const VARIANTS = {
  none: null,
  asBuilt: join(asBuilt, 'chromium'),
  guardOnly: onlyScript('guard.js'),
  relayOnly: onlyScript('relay.js'),
  relayLite: lite,
};
const sizes = { asBuilt: statSync(join(asBuilt, 'chromium', 'relay.js')).size, lite: statSync(join(lite, 'relay.js')).size };

const pagesDir = join(work, 'pages');
cpSync(join(here, 'pages'), pagesDir, { recursive: true });
const srv = await serve(pagesDir, { maxRecorded: 0 });

/** @type {Record<string, { perFrame: number[], heap: number[] }>} */
const data = Object.fromEntries(Object.keys(VARIANTS).map((k) => [k, { perFrame: [], heap: [] }]));
try {
  for (let r = 0; r < rounds; r++) {
    for (const [variant, dir] of Object.entries(VARIANTS)) {
      const s = await launch('chromium', dir === null ? { extension: false } : { extension: true, extensionDir: dir });
      try {
        await new Promise((ok) => setTimeout(ok, 500));
        const page = await s.browser.newPage();
        await page.goto(`${srv.FIRST}/frames.html`, { waitUntil: 'load' });
        const cdp = await page.createCDPSession();
        const per = [];
        for (let k = 0; k < 3; k++) {
          const t = /** @type {{ total: number }} */ (await page.evaluate((n) => /** @type {any} */ (window).__addFrames(n), FRAMES));
          per.push(t.total / FRAMES);
          if (k === 0) {
            await cdp.send('HeapProfiler.collectGarbage');
            data[variant]?.heap.push((await cdp.send('Runtime.getHeapUsage')).usedSize);
          }
        }
        data[variant]?.perFrame.push(median(per));
      } finally {
        await s.close();
      }
      process.stderr.write(`round ${r + 1}/${rounds} ${variant}\n`);
    }
  }
} finally {
  await srv.close();
  rmSync(work, { recursive: true, force: true });
}

const fmt = (/** @type {number[]} */ xs, /** @type {(x: number) => string} */ f) => `${f(median(xs))} (${range(xs).map(f).join('–')})`;
console.log(`relay.js: as built ${sizes.asBuilt} B, without tldts and the polyfill ${sizes.lite} B; ${rounds} rounds`);
console.log('| variant | 40 frames inserted until loaded, ms per frame: median (range) | JS heap after GC with 40 frames, MB: median (range) |');
console.log('| --- | --- | --- |');
for (const [name, d] of Object.entries(data)) {
  console.log(`| ${name} | ${fmt(d.perFrame, (x) => x.toFixed(2))} | ${fmt(d.heap, (x) => (x / 1048576).toFixed(2))} |`);
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'relay-experiment.json'), JSON.stringify({ date: new Date().toISOString(), sizes, rounds, data }, null, 2));
