// @ts-check
// `node bench/getters.mjs [--rounds N]`: micro-experiments behind the fixes
// proposed in docs/benchmarks.md, run WITHOUT the extension (the pages install
// each shape themselves):
// - which getter-wrapper shape keeps first-party `value` reads cheap, in
//   Chromium and Firefox (bench/pages/getters.js, 200,000 reads);
// - what each part of a stack capture costs, Chromium (bench/pages/stacks.js,
//   20,000 captures 4 calls deep).
// Prints ms: median over launches (range), and the ratio to the first row.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../scanner/lib/browsers.mjs';
import { serve } from '../scanner/lib/serve.mjs';
import { median, range } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const i = process.argv.indexOf('--rounds');
const rounds = i >= 0 ? Number(process.argv[i + 1]) : 3;
const N = 200_000;
const STACKS = 20_000;
const srv = await serve(join(here, 'pages'), { maxRecorded: 0 });
/** @type {Record<string, Record<string, number[]>>} */
const data = {};
try {
  for (const kind of /** @type {const} */ (['chromium', 'firefox'])) {
    data[kind] = {};
    for (let r = 0; r < rounds; r++) {
      const s = await launch(kind, { extension: false, ...(kind === 'firefox' ? { prefs: { 'privacy.reduceTimerPrecision': false } } : {}) });
      try {
        const page = await s.browser.newPage();
        await page.goto(`${srv.FIRST}/getters.html`, { waitUntil: 'load' });
        const shapes = /** @type {string[]} */ (await page.evaluate(() => /** @type {any} */ (window).__getterShapes));
        for (const shape of shapes) {
          const times = [];
          for (let b = 0; b < 7; b++) {
            const t = /** @type {number} */ (await page.evaluate((sh, n) => /** @type {any} */ (window).__timeGetter(sh, n), shape, N));
            if (b >= 2) times.push(t);
          }
          ((data[kind] ?? {})[shape] ??= []).push(median(times));
        }
        if (kind === 'chromium') {
          await page.goto(`${srv.FIRST}/stacks.html`, { waitUntil: 'load' });
          const stackShapes = /** @type {string[]} */ (await page.evaluate(() => /** @type {any} */ (window).__stackShapes));
          data.stacks ??= {};
          for (const shape of stackShapes) {
            const times = [];
            for (let b = 0; b < 7; b++) {
              const t = /** @type {number} */ (await page.evaluate((sh, n) => /** @type {any} */ (window).__timeStack(sh, n), shape, STACKS));
              if (b >= 2) times.push(t);
            }
            (data.stacks[shape] ??= []).push(median(times));
          }
        }
      } finally {
        await s.close();
      }
    }
  }
} finally {
  await srv.close();
}
for (const [kind, shapes] of Object.entries(data)) {
  const base = median(Object.values(shapes)[0] ?? []);
  console.log(kind === 'stacks'
    ? `\nchromium, stack captures: ms per ${STACKS.toLocaleString('en')} captures 4 calls deep, median of ${rounds} launches (range); ratio to the first row`
    : `\n${kind}, value getter: ms per ${N.toLocaleString('en')} reads, median of ${rounds} launches (range); ratio to native`);
  console.log('| shape | ms | ratio |');
  console.log('| --- | --- | --- |');
  for (const [shape, xs] of Object.entries(shapes)) {
    console.log(`| ${shape} | ${median(xs).toFixed(2)} (${range(xs).map((x) => x.toFixed(2)).join('–')}) | ${(median(xs) / base).toFixed(1)} |`);
  }
}
