// @ts-check
// `npm run bench`: what the extension costs a page, measured in real Chromium
// and Firefox with and without it, launches alternating (with, without, with,
// without, ...) so drift on a busy machine hits both sides alike. Prints a
// Markdown table and writes bench/results/latest.json.
//
//   node bench/run.mjs [--quick] [--browser chromium|firefox|both] [--rounds N]
//
// In-page work is timed with performance.now() by first-party scripts (third-
// party ones come from {{THIRD}}); page load by navigation timing; guard set-up
// per frame by a V8 CPU profile and by the time from a frame's navigation
// start to its first script; heap through CDP (Chromium only).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, openExtensionPage } from '../scanner/lib/browsers.mjs';
import { serve } from '../scanner/lib/serve.mjs';
import { buildAll } from '../scripts/build.mjs';
import { heavyPage } from './lib/heavy.mjs';
import { scriptsPage } from './lib/scripts-page.mjs';
import { scriptSelfMs, topSelf } from './lib/profile.mjs';
import { runKernel } from './lib/kernel.mjs';
import { median, range } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

// ---- options ----
const argv = process.argv.slice(2);
const flag = (/** @type {string} */ name) => argv.includes(name);
const option = (/** @type {string} */ name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag('--quick');
const which = option('--browser') ?? 'both';
if (!['chromium', 'firefox', 'both'].includes(which)) throw new Error(`--browser: chromium, firefox or both, not ${which}`);
/** @type {('chromium' | 'firefox')[]} */
const kinds = which === 'both' ? ['chromium', 'firefox'] : [/** @type {'chromium' | 'firefox'} */ (which)];
const rounds = Number(option('--rounds') ?? (quick ? 2 : 5));
const BATCHES = quick ? 5 : 11;
const WARMUP = 2;
const HEAVY_LOADS = quick ? 2 : 3;
const FRAME_COUNT = 40;
const FRAME_REPEATS = 3;
/** Typed with real keystrokes into micro.html's #typed before the kernels run. */
const TYPED = 'Ada Lovelace';

/** In-page kernels (bench/pages/micro.js) and how many operations one batch does. */
const KERNELS = /** @type {const} */ ([
  ['unwatched', 20_000],
  ['watched', 2_000],
  ['dispatch', 2_000],
  ['valueReads', 200_000],
  ['valueReadsTyped', 20_000],
  ['scrollReads', 200_000],
  ['createElement', 2_000],
  ['appendChild', 20_000],
  ['getAttribute', 20_000],
  ['querySelector', 10_000],
  // Last: it mirrors the typed text into the field's value attribute.
  ['outerHTML', 2_000],
]);

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @typedef {{ kind: 'chromium' | 'firefox', withExt: boolean, round: number, metrics: Record<string, number>, notes: Record<string, unknown> }} Sample
 */

/**
 * `loadEventEnd` of `n` loads of `url(i)` in `page`, by navigation timing.
 * @param {import('puppeteer-core').Page} page @param {(i: number) => string} url @param {number} n
 */
async function loadTimes(page, url, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    await page.goto(url(i), { waitUntil: 'load', timeout: 120_000 });
    times.push(/** @type {number} */ (await page.evaluate(() => {
      const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
      return nav.loadEventEnd - nav.startTime;
    })));
  }
  return times;
}

/**
 * One browser launch, every measurement in it.
 * @param {'chromium' | 'firefox'} kind @param {boolean} withExt @param {number} round
 * @param {Awaited<ReturnType<typeof serve>>} srv @param {string} extDir
 * @returns {Promise<Sample>}
 */
async function oneLaunch(kind, withExt, round, srv, extDir) {
  const s = await launch(kind, {
    extension: withExt,
    extensionDir: join(extDir, kind),
    // Firefox rounds performance.now() to 1 ms by default; the kernels want finer.
    ...(kind === 'firefox' ? { prefs: { 'privacy.reduceTimerPrecision': false } } : {}),
  });
  /** @type {Record<string, number>} */
  const metrics = {};
  /** @type {Record<string, unknown>} */
  const notes = { version: await s.browser.version() };
  const chromium = kind === 'chromium';
  try {
    // The service worker, attached only while measuring it, so the bench's
    // own DevTools session is not part of the worker's life in between.
    const base = s.extensionBase;
    const swHeap = chromium && withExt && base !== null
      ? async () => {
        const target = await s.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(base), { timeout: 15_000 });
        const session = await target.createCDPSession();
        try {
          return await heapUsed(session);
        } finally {
          await session.detach();
        }
      }
      : null;
    if (swHeap) await s.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(/** @type {string} */ (base)), { timeout: 15_000 });
    // Both sides get the same settling time after launch.
    await sleep(500);

    // 1. JS heap of a typical page: the first page of the launch, so its
    //    renderer holds nothing else.
    const page = await s.browser.newPage();
    await page.goto(`${srv.FIRST}/typical.html`, { waitUntil: 'load' });
    await page.waitForFunction('window.__typicalReady === true');
    await sleep(300);
    if (chromium) metrics.heapTypical = await heapUsed(await page.createCDPSession());

    // 2. In-page kernels.
    await page.goto(`${srv.FIRST}/micro.html`, { waitUntil: 'load' });
    await page.waitForFunction('typeof window.__bench === "object"');
    // Trusted keystrokes, so #typed is a field the user has typed into.
    await page.type('#typed', TYPED);
    for (const [name, n] of KERNELS) {
      const times = [];
      for (let b = 0; b < WARMUP + BATCHES; b++) {
        const { ms, sink } = await runKernel(page, name, n);
        // The typed-field rows must have taken the first-party path: every
        // read saw the text typed above (a denied read sees none of it).
        if (name === 'valueReadsTyped' && sink !== n * TYPED.length) throw new Error(`valueReadsTyped read ${sink} characters, expected ${n * TYPED.length}: not the first-party path`);
        if (name === 'querySelector' && sink !== 2 * n) throw new Error(`querySelector matched ${sink} times, expected ${2 * n}`);
        if (name === 'outerHTML' && sink !== n) throw new Error(`outerHTML showed the typed text ${sink} times, expected ${n}: not the first-party path`);
        if (b >= WARMUP) times.push(ms);
      }
      metrics[name] = median(times);
    }
    notes.thirdPartyKeydowns = await page.evaluate(() => /** @type {any} */ (window).__thirdHits);

    // 3. Heavy page load, by navigation timing.
    metrics.heavyLoad = median(await loadTimes(page, () => `${srv.FIRST}/heavy.html`, HEAVY_LOADS));

    // 3b. Third-party scripts: 20 × 100 KB, fresh copies each load (the
    //     Firefox background filters every one).
    metrics.scriptsLoad = median(await loadTimes(page, (i) => `${srv.FIRST}/scripts.html?r${round}-${i}`, HEAVY_LOADS + 2));
    // In Firefox with the extension the name must have been defused, or this row measured nothing.
    const bigStack = String(await page.evaluate(() => /** @type {any} */ (window).__bigStack));
    if (kind === 'firefox' && withExt && bigStack.includes('-named.js')) throw new Error(`the sourceURL filter did not run: ${bigStack}`);

    // 4. Frame set-up: navigation start to first inline script, per frame.
    await page.goto(`${srv.FIRST}/frames.html`, { waitUntil: 'load' });
    const firsts = [];
    const totals = [];
    const setups = [];
    const marks = [];
    /** @type {Record<string, number>[]} */
    const parts = [];
    /** @type {import('puppeteer-core').CDPSession | null} */
    const cdp = chromium ? await page.createCDPSession() : null;
    for (let i = 0; i < FRAME_REPEATS; i++) {
      const t = /** @type {{ total: number, first: number[], setup: number, marks: number, parts: Record<string, number> }} */ (await page.evaluate((n) => /** @type {any} */ (window).__addFrames(n), FRAME_COUNT));
      firsts.push(median(t.first));
      totals.push(t.total / FRAME_COUNT);
      setups.push(t.setup / FRAME_COUNT);
      marks.push(t.marks);
      parts.push(t.parts);
      // Heap with exactly one set of frames, before any were replaced.
      if (i === 0 && cdp) metrics.heapFrames = await heapUsed(cdp);
    }
    metrics.frameFirstScript = median(firsts);
    metrics.framesPerFrame = median(totals);
    if (withExt) {
      metrics.guardSetupPerFrame = median(setups);
      notes.setupMarksPerInsertion = marks;
      // Set-up per frame by part (ms per frame, median over insertions).
      /** @type {Record<string, number>} */
      const byPart = {};
      for (const name of Object.keys(parts[0] ?? {})) byPart[name] = median(parts.map((p) => (p[name] ?? 0) / FRAME_COUNT));
      notes.setupByPart = byPart;
    }
    if (cdp) {
      if (withExt) {
        // The guard's own CPU time per frame, from a sampling profile of the
        // same frame insertion (everything below runs in this renderer).
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 25 });
        await cdp.send('Profiler.start');
        await page.evaluate((n) => /** @type {any} */ (window).__addFrames(n), FRAME_COUNT);
        const { profile } = await cdp.send('Profiler.stop');
        metrics.guardSelfPerFrame = scriptSelfMs(profile, (u) => u.endsWith('/guard.js')) / FRAME_COUNT;
        metrics.relaySelfPerFrame = scriptSelfMs(profile, (u) => u.endsWith('/relay.js')) / FRAME_COUNT;
        notes.frameProfileTop = topSelf(profile, 8);
      }
    }

    // 5. Background memory: 10,000 third-party attempts from 500 origins.
    //    Chromium: the service worker's JS heap after GC. Firefox's event page
    //    has no target to measure, so the resident size of its WebExtensions
    //    process is read instead (see docs/benchmarks.md).
    const extPid = !chromium && withExt ? webExtensionsPid(s.browser.process()?.pid) : undefined;
    if (swHeap || extPid !== undefined) {
      // Earlier pages left tallies too; count the storm's on top of them.
      const already = (await waitForTallies(s, 0)).tallied;
      await sleep(500);
      if (swHeap) metrics.bgHeapBefore = await swHeap();
      if (extPid !== undefined) metrics.bgRssBefore = rssBytes(extPid);
      await page.goto(`${srv.FIRST}/storm.html`, { waitUntil: 'load', timeout: 120_000 });
      await page.waitForFunction('typeof window.__stormDone === "number"', { timeout: 120_000 });
      notes.stormAttempts = await page.evaluate(() => /** @type {any} */ (window).__stormDone);
      notes.tallied = { ...(await waitForTallies(s, already + Number(notes.stormAttempts))), before: already };
      // Let the batched storage write (300 ms) finish before measuring.
      await sleep(1000);
      if (swHeap) metrics.bgHeapAfter = await swHeap();
      if (extPid !== undefined) metrics.bgRssAfter = rssBytes(extPid);
    }
    await page.close();
  } finally {
    await s.close();
  }
  return { kind, withExt, round, metrics, notes };
}

/**
 * Used JS heap after two full collections, in bytes.
 * @param {import('puppeteer-core').CDPSession} cdp
 */
async function heapUsed(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/**
 * Firefox's WebExtensions content process (background page and extension
 * pages), found among the browser's descendants by the name Firefox gives it.
 * @param {number | undefined} browserPid
 */
function webExtensionsPid(browserPid) {
  if (browserPid === undefined) return undefined;
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' }).split('\n')
    .map((l) => l.trim().split(/\s+/)).filter((r) => r.length >= 3)
    .map(([pid, ppid, ...comm]) => ({ pid: Number(pid), ppid: Number(ppid), comm: comm.join(' ') }));
  const family = new Set([browserPid]);
  // Children of the fork server are grandchildren of the browser: grow the set to a fixed point.
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) if (family.has(r.ppid) && !family.has(r.pid)) { family.add(r.pid); grew = true; }
  }
  return rows.find((r) => family.has(r.pid) && r.comm === 'WebExtensions')?.pid;
}

/** @param {number} pid Resident set size in bytes, from /proc. */
function rssBytes(pid) {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/**
 * Waits until the background has tallied at least `attempts` attempts (the
 * timeline counts every attempt, even of origins evicted by the per-site
 * bound) and the count has stopped moving, read the way the popup reads it.
 * Returns what it saw and how long it took.
 * @param {import('../scanner/lib/browsers.mjs').Session} s @param {number} attempts
 */
async function waitForTallies(s, attempts, timeoutMs = 60_000) {
  const page = await openExtensionPage(s, 'popup.html', 'body');
  const t0 = Date.now();
  try {
    /** @type {{ tallied: number, origins: Record<string, number> }} */
    let seen = { tallied: 0, origins: {} };
    let last = -1;
    while (Date.now() - t0 < timeoutMs) {
      seen = await page.evaluate(async () => {
        const api = /** @type {any} */ (globalThis).browser ?? /** @type {any} */ (globalThis).chrome;
        const db = await api.runtime.sendMessage({ type: 'ui/all' });
        let tallied = 0;
        /** @type {Record<string, number>} */
        const origins = {};
        for (const [name, site] of Object.entries(db?.sites ?? {})) {
          const st = /** @type {any} */ (site);
          origins[name] = Object.keys(st.origins ?? {}).length;
          for (const n of Object.values(st.timeline ?? {})) tallied += Number(n);
        }
        return { tallied, origins };
      });
      // Done when the target is reached and a read 300 ms later agrees.
      if (seen.tallied >= attempts && seen.tallied === last) break;
      last = seen.tallied;
      await sleep(300);
    }
    return { ...seen, ms: Date.now() - t0 };
  } finally {
    await page.close();
  }
}

// ---- what the table shows ----
/**
 * @typedef {{ id: string, label: string, unit: 'ms' | 'MB' | 'count', budget?: { ratio?: number, max?: number, delta?: number }, withOnly?: boolean, chromiumOnly?: boolean, firefoxOnly?: boolean }} Row
 */
/** @type {Row[]} */
const ROWS = [
  { id: 'unwatched', label: 'addEventListener, unwatched types (scroll, load), 20,000 calls', unit: 'ms', budget: { ratio: 1.10 } },
  { id: 'watched', label: 'addEventListener, watched types (keydown, click) by first party, 2,000 calls', unit: 'ms', budget: { ratio: 1.5 } },
  { id: 'dispatch', label: 'keydown dispatch, field with 20 first- + 20 third-party listeners, 2,000 events', unit: 'ms', budget: { ratio: 1.2 } },
  { id: 'valueReads', label: 'first-party `value` reads of an untouched field, 200,000', unit: 'ms', budget: { ratio: 1.2 } },
  { id: 'valueReadsTyped', label: 'first-party `value` reads of a field the user typed into, 20,000', unit: 'ms', budget: { ratio: 1.2 } },
  { id: 'scrollReads', label: 'first-party `scrollTop` reads of an element nobody typed into, 200,000 (no budget)', unit: 'ms' },
  { id: 'createElement', label: 'createElement by first party, 2,000 calls (no budget)', unit: 'ms' },
  { id: 'appendChild', label: 'appendChild by first party, a third-party widget on the page, 20,000 calls (no budget)', unit: 'ms' },
  { id: 'getAttribute', label: 'getAttribute (id, value) of a typed field by first party, 20,000 calls (no budget)', unit: 'ms' },
  { id: 'querySelector', label: 'matches + querySelector by first party after typing, 10,000 pairs (no budget)', unit: 'ms' },
  { id: 'outerHTML', label: 'form.outerHTML by first party, typed text mirrored into the value attribute, 2,000 reads (no budget)', unit: 'ms' },
  { id: 'heavyLoad', label: 'heavy page load (2,000 fields, inline handlers, 30 iframes), loadEventEnd', unit: 'ms', budget: { ratio: 1.03 } },
  { id: 'scriptsLoad', label: 'page load with 20 third-party scripts of 100 KB, fresh each load (Firefox filters each for sourceURL names), loadEventEnd', unit: 'ms', budget: { ratio: 1.10 } },
  { id: 'framesPerFrame', label: '40 same-origin frames inserted until all loaded, per frame (added = with - without)', unit: 'ms' },
  { id: 'frameFirstScript', label: 'frame navigation start to first script (median of those 40 frames; queued behind each other)', unit: 'ms' },
  { id: 'guardSetupPerFrame', label: 'guard set-up per frame: its own marks (guard script in each frame + realms guarded from the parent) / frame', unit: 'ms', budget: { max: 0.3 }, withOnly: true },
  { id: 'guardSelfPerFrame', label: 'guard set-up per frame: guard.js self time (CPU profile) / frame', unit: 'ms', budget: { max: 0.3 }, withOnly: true, chromiumOnly: true },
  { id: 'relaySelfPerFrame', label: 'relay set-up per frame: relay.js self time / frame (no budget)', unit: 'ms', withOnly: true, chromiumOnly: true },
  { id: 'heapTypical', label: 'JS heap after GC, typical form page (added = with - without)', unit: 'MB', budget: { delta: 1 }, chromiumOnly: true },
  { id: 'heapFrames', label: 'JS heap after GC, page with 40 same-origin frames (no budget)', unit: 'MB', chromiumOnly: true },
  { id: 'bgHeapBefore', label: 'background (service worker) JS heap before the 10,000 reports', unit: 'MB', withOnly: true, chromiumOnly: true },
  { id: 'bgHeapAfter', label: 'background (service worker) JS heap after 10,000 reports', unit: 'MB', budget: { max: 15 }, withOnly: true, chromiumOnly: true },
  { id: 'bgRssBefore', label: 'WebExtensions process resident size (not JS heap) before the 10,000 reports', unit: 'MB', withOnly: true, firefoxOnly: true },
  { id: 'bgRssAfter', label: 'WebExtensions process resident size after 10,000 reports (no comparable budget)', unit: 'MB', withOnly: true, firefoxOnly: true },
];

/** @param {number} x @param {'ms' | 'MB' | 'count'} unit */
function fmt(x, unit) {
  if (!Number.isFinite(x)) return 'n/a';
  if (unit === 'MB') return (x / 1048576).toFixed(2);
  if (unit === 'count') return String(Math.round(x));
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3);
}

/** @param {Sample[]} samples @param {'chromium' | 'firefox'} kind */
function summarise(samples, kind) {
  const out = [];
  for (const row of ROWS) {
    if ((row.chromiumOnly && kind !== 'chromium') || (row.firefoxOnly && kind !== 'firefox')) continue;
    const w = samples.filter((x) => x.kind === kind && x.withExt).map((x) => x.metrics[row.id] ?? NaN);
    const wo = samples.filter((x) => x.kind === kind && !x.withExt).map((x) => x.metrics[row.id] ?? NaN);
    const mw = median(w);
    const mwo = row.withOnly ? NaN : median(wo);
    // Paired per-round ratios show the spread behind the ratio of medians.
    const paired = [];
    if (!row.withOnly) {
      for (const r of new Set(samples.map((x) => x.round))) {
        const a = samples.find((x) => x.kind === kind && x.withExt && x.round === r)?.metrics[row.id];
        const b = samples.find((x) => x.kind === kind && !x.withExt && x.round === r)?.metrics[row.id];
        if (a !== undefined && b !== undefined && b > 0) paired.push(a / b);
      }
    }
    const ratio = row.withOnly ? NaN : mw / mwo;
    let verdict = '';
    const b = row.budget;
    if (b?.ratio !== undefined) verdict = ratio <= b.ratio ? 'ok' : 'MISSED';
    if (b?.max !== undefined) {
      const v = row.unit === 'MB' ? mw / 1048576 : mw;
      verdict = v <= b.max ? 'ok' : 'MISSED';
    }
    if (b?.delta !== undefined) verdict = (mw - mwo) / 1048576 <= b.delta ? 'ok' : 'MISSED';
    const budget = b?.ratio !== undefined ? `≤ ${b.ratio}×` : b?.max !== undefined ? `≤ ${b.max} ${row.unit}` : b?.delta !== undefined ? `≤ +${b.delta} MB` : '-';
    out.push({
      id: row.id, label: row.label, unit: row.unit, budget, verdict,
      with: mw, without: mwo, ratio, delta: mw - mwo,
      pairedRange: range(paired), withRange: range(w), withoutRange: range(wo), n: { with: w.length, without: wo.length },
    });
  }
  return out;
}

/** @param {ReturnType<typeof summarise>} rows @param {string} kind @param {string} version */
function markdown(rows, kind, version) {
  const lines = [
    `### ${kind} (${version})`, '',
    '| measure | unit | without | with | with/without (paired range) | budget | verdict |',
    '| --- | --- | ---: | ---: | --- | --- | --- |',
  ];
  for (const r of rows) {
    const ratio = Number.isFinite(r.ratio)
      ? `${r.ratio.toFixed(2)} (${r.pairedRange.map((x) => x.toFixed(2)).join('–')})`
      : '-';
    const extra = r.unit === 'MB' && Number.isFinite(r.ratio) ? `; +${fmt(r.delta, 'MB')} MB` : r.id === 'frameFirstScript' || r.id === 'framesPerFrame' ? `; +${fmt(r.delta, 'ms')} ms` : '';
    lines.push(`| ${r.label} | ${r.unit} | ${Number.isFinite(r.without) ? fmt(r.without, r.unit) : '-'} | ${fmt(r.with, r.unit)} | ${ratio}${extra} | ${r.budget} | ${r.verdict} |`);
  }
  return lines.join('\n');
}

// ---- main ----
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'untapped-bench-'));
// The bench builds its own copy: dist/ is shared with others who rebuild it.
const extDir = join(work, 'dist');
// `perf`: the guard's set-up marks (src/guard/perf.ts); otherwise the production build.
await buildAll({ quiet: true, outDir: extDir, perf: true });
const guardBytes = readFileSync(join(extDir, 'chromium', 'guard.js'));
const pagesDir = join(work, 'pages');
mkdirSync(pagesDir);
cpSync(join(here, 'pages'), pagesDir, { recursive: true });
writeFileSync(join(pagesDir, 'heavy.html'), heavyPage());
for (const [name, text] of Object.entries(scriptsPage())) writeFileSync(join(pagesDir, name), text);
const srv = await serve(pagesDir, { maxRecorded: 0 });

const git = (/** @type {string[]} */ args) => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch (e) {
    return `unknown (${/** @type {Error} */ (e).message.split('\n')[0]})`;
  }
};

/** @type {Sample[]} */
const samples = [];
try {
  for (const kind of kinds) {
    for (let r = 0; r < rounds; r++) {
      for (const withExt of [true, false]) {
        const t0 = Date.now();
        const sample = await oneLaunch(kind, withExt, r, srv, extDir);
        samples.push(sample);
        process.stderr.write(`${kind} round ${r + 1}/${rounds} ${withExt ? 'with' : 'without'}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      }
    }
  }
} finally {
  await srv.close();
  rmSync(work, { recursive: true, force: true });
}

const machine = {
  nproc: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryMB: Math.round(totalmem() / 1048576),
  freeMemoryMBAtEnd: Math.round(freemem() / 1048576),
  load: readFileSync('/proc/loadavg', 'utf8').trim(),
  node: process.version,
};
const summary = Object.fromEntries(kinds.map((k) => [k, summarise(samples, k)]));
const versions = Object.fromEntries(kinds.map((k) => [k, String(samples.find((x) => x.kind === k)?.notes.version ?? '?')]));
const result = {
  date: new Date().toISOString(),
  commit: git(['rev-parse', 'HEAD']),
  // Others edit the tree concurrently: say whether src/ differed from the commit.
  uncommittedSrc: git(['status', '--porcelain', '--', 'src', 'manifest.json']).split('\n').filter(Boolean),
  guardJs: { bytes: guardBytes.length, sha256: createHash('sha256').update(guardBytes).digest('hex') },
  options: { quick, rounds, batches: BATCHES, warmup: WARMUP, heavyLoads: HEAVY_LOADS, frames: FRAME_COUNT },
  machine, versions, summary, samples,
  seconds: Math.round((Date.now() - started) / 1000),
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(result, null, 2));

console.log(`## Untapped benchmarks — ${result.date}`);
console.log('');
console.log(`commit ${result.commit}${result.uncommittedSrc.length ? ` + ${result.uncommittedSrc.length} uncommitted src change(s)` : ''}; guard.js (bench build, with set-up marks) ${guardBytes.length} B (sha256 ${result.guardJs.sha256.slice(0, 12)}); ` +
  `${machine.nproc} × ${machine.cpu}, ${machine.memoryMB} MB, load ${machine.load}; ${rounds} rounds, alternating with/without; ${result.seconds} s`);
for (const k of kinds) {
  console.log('');
  console.log(markdown(summary[k] ?? [], k, versions[k] ?? '?'));
  const tallied = samples.filter((x) => x.kind === k && x.withExt).map((x) => [x.notes.stormAttempts, x.notes.tallied]);
  const third = samples.filter((x) => x.kind === k && x.withExt).map((x) => x.notes.thirdPartyKeydowns);
  console.log('');
  console.log(`Checks (with the extension): storm attempts made, then what the background tallied (attempts, origins per site, ms until tallied): ${JSON.stringify(tallied)}; keydowns the 20 third-party listeners received: ${JSON.stringify(third)}.`);
  // Guard set-up per frame by part, median over the launches with the extension.
  const byPart = samples.filter((x) => x.kind === k && x.withExt).map((x) => /** @type {Record<string, number>} */ (x.notes.setupByPart ?? {}));
  const names = Object.keys(byPart[0] ?? {}).sort((a, b) => median(byPart.map((p) => p[b] ?? 0)) - median(byPart.map((p) => p[a] ?? 0)));
  if (names.length > 0) {
    console.log('');
    console.log(`Guard set-up per frame by part (ms, median of launches): ${names.map((n) => `${n} ${median(byPart.map((p) => p[n] ?? 0)).toFixed(3)}`).join(', ')}.`);
  }
}
