// @ts-check
// `untapped scan`: reads the targets, skips what results.jsonl already holds,
// runs workers (one browser each) over the rest and appends one record per
// site and browser as soon as it is known. SIGINT/SIGTERM stop cleanly: work
// in flight is dropped (it will be redone on resume), everything written stays.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, shardItems } from './cli-args.mjs';
import { parseTargets } from './input.mjs';
import { serve } from './serve.mjs';
import { siteOf } from './site.mjs';
import { Worker } from './worker.mjs';
import { Progress } from './progress.mjs';
import { SCHEMA_VERSION, readResults, verdictOf } from './results.mjs';
import { writeReports } from './report.mjs';
import { loadScorer } from './score.mjs';
import { peakSampler } from './memory.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
export const CORPUS_DIR = join(root, 'scanner/corpus');
/** How corpus targets are named in results, whatever port the corpus got. */
const CORPUS_PREFIX = 'corpus:';

/**
 * The extension build to load: UNTAPPED_DIST if set, else dist/, built now
 * when missing (a clean clone after `npm ci`).
 * @param {(m: string) => void} log
 */
export async function ensureBuilt(log) {
  const dist = process.env.UNTAPPED_DIST ?? join(root, 'dist');
  if (existsSync(join(dist, 'chromium/manifest.json')) && existsSync(join(dist, 'firefox/manifest.json'))) return dist;
  log(`no extension build at ${dist}; building it (scripts/build.mjs)`);
  const { buildAll } = await import('../../scripts/build.mjs');
  await buildAll({ quiet: true, outDir: dist });
  return dist;
}

/**
 * @param {import('./cli-args.mjs').ScanOptions} opts
 * @param {{ stderr?: NodeJS.WriteStream, signals?: boolean }} [io]
 * @returns {Promise<{ exitCode: number, scanned: number, skipped: number, failed: number }>}
 */
export async function runScan(opts, io = {}) {
  const stderr = io.stderr ?? process.stderr;
  const log = (/** @type {string} */ m) => stderr.write(`${m}\n`);
  const resultsPath = join(opts.out, 'results.jsonl');

  // Targets first: a bad list fails before anything starts.
  /** @type {{ target: string, url: string, rank: number | null }[]} */
  let targets;
  /** @type {Awaited<ReturnType<typeof serve>> | null} */
  let corpus = null;
  /** @type {Set<(r: import('./serve.mjs').Recorded) => void>} */
  const serverListeners = new Set();
  if (opts.list) {
    let text;
    try {
      text = readFileSync(opts.list, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read the URL list ${opts.list}: ${e instanceof Error ? e.message : e}`);
    }
    targets = parseTargets(text, opts.list).map((t) => ({ target: t.url, url: t.url, rank: t.rank }));
  } else {
    const lines = parseTargets(readFileSync(join(CORPUS_DIR, 'sites.txt'), 'utf8').replaceAll('{{FIRST}}', 'http://corpus.invalid'), 'scanner/corpus/sites.txt');
    targets = lines.map((t) => ({ target: CORPUS_PREFIX + new URL(t.url).pathname, url: '', rank: null }));
  }
  mkdirSync(opts.out, { recursive: true });
  targets = shardItems(targets, opts.shard);
  if (opts.limit !== null) targets = targets.slice(0, opts.limit);

  // Resume: everything already recorded is skipped.
  /** @type {Set<string>} */
  const done = new Set();
  await readResults(resultsPath, (r) => done.add(r.key), { repair: true, warn: log });
  /** @type {{ browser: 'chromium' | 'firefox', t: typeof targets[number] }[]} */
  const jobs = [];
  for (const browser of opts.browsers) {
    for (const t of targets) if (!done.has(`${browser} ${t.target}`)) jobs.push({ browser, t });
  }
  const skipped = targets.length * opts.browsers.length - jobs.length;
  if (skipped > 0) log(`resuming: ${skipped} site/browser pair(s) already in ${resultsPath}`);
  const shardNote = opts.shard.count > 1 ? ` (shard ${opts.shard.index}/${opts.shard.count})` : '';
  log(`scanning ${jobs.length} site/browser pair(s)${shardNote} with ${opts.concurrency} browser(s) at a time, modes ${opts.modes.join('+')}`);

  const runId = randomUUID().slice(0, 8);
  const startedAt = new Date();
  const sampler = peakSampler();
  let scanned = 0;
  let failed = 0;
  let interrupted = false;
  /** @type {Set<Worker>} */
  const workers = new Set();

  try {
    if (jobs.length > 0) {
      const dist = await ensureBuilt(log);
      if (!opts.list) {
        corpus = await serve(CORPUS_DIR, {
          maxRecorded: 0, websocket: true,
          onRequest: (r) => { for (const fn of serverListeners) fn(r); },
        });
        const base = corpus.FIRST;
        for (const t of targets) t.url = base + t.target.slice(CORPUS_PREFIX.length);
      }
      const scorer = await loadScorer();
      if (scorer.reason) log(`scores will be null: ${scorer.reason}`);
      const progress = new Progress(jobs.length, { stream: stderr, quiet: opts.quiet });

      /** @type {(() => void) | null} */
      let stop = null;
      const onSignal = (/** @type {string} */ sig) => {
        if (interrupted) {
          log(`${sig} again: exiting now`);
          process.exit(130);
        }
        interrupted = true;
        progress.log(`${sig}: stopping; sites in flight will be scanned again on the next run`);
        stop?.();
      };
      const sigint = () => onSignal('SIGINT');
      const sigterm = () => onSignal('SIGTERM');
      if (io.signals !== false) {
        process.on('SIGINT', sigint);
        process.on('SIGTERM', sigterm);
      }
      stop = () => { for (const w of workers) void w.close(); };

      let next = 0;
      const slot = async () => {
        /** @type {Worker | null} */
        let worker = null;
        try {
          while (!interrupted && next < jobs.length) {
            const job = /** @type {typeof jobs[number]} */ (jobs[next++]);
            if (worker && worker.kind !== job.browser) {
              workers.delete(worker);
              await worker.close();
              worker = null;
            }
            if (!worker) {
              worker = new Worker(job.browser, {
                recycleEvery: opts.recycleEvery, timeoutMs: opts.timeoutMs, runId, modes: opts.modes,
                extensionDir: join(dist, job.browser), log: (m) => progress.log(m),
                ...(corpus ? { subscribeServer: (fn) => { serverListeners.add(fn); return () => { serverListeners.delete(fn); }; } } : {}),
              });
              workers.add(worker);
            }
            const t0 = Date.now();
            let res;
            try {
              res = await worker.scan(job.t.url);
            } catch (e) {
              if (interrupted) break;
              res = { status: /** @type {const} */ ('error'), error: e instanceof Error ? e.message : String(e), modes: {}, attempts: 1 };
            }
            if (interrupted) break;
            /** @type {import('./results.mjs').ScanRecord} */
            const rec = {
              schemaVersion: SCHEMA_VERSION,
              key: `${job.browser} ${job.t.target}`,
              target: job.t.target,
              url: job.t.url,
              site: siteOf(job.t.url),
              rank: job.t.rank,
              browser: job.browser,
              browserVersion: worker.version,
              runId,
              scannedAt: new Date().toISOString(),
              durationMs: Date.now() - t0,
              status: res.status,
              error: res.error,
              score: null,
              grade: null,
              scoreDetail: null,
              scoreUnavailable: scorer.reason,
              verdict: res.status === 'ok' ? verdictOf(res.modes) : null,
              modes: res.modes,
            };
            if (res.status === 'ok' && scorer.scoreSite) {
              const base = res.modes.monitor ?? res.modes.protect;
              const exposure = scorer.scoreSite(base?.tally ?? null).exposure;
              const residual = res.modes.protect ? scorer.scoreSite(res.modes.protect.tally).residual : null;
              rec.score = exposure.score;
              rec.grade = exposure.grade;
              rec.scoreDetail = { exposure, residual };
            }
            // The raw tallies served the score; the record keeps their per-origin summary.
            for (const m of Object.values(res.modes)) if (m) m.tally = null;
            // One write per record: a kill leaves at most one torn last line, which resume repairs.
            appendFileSync(resultsPath, `${JSON.stringify(rec)}\n`);
            scanned++;
            if (res.status !== 'ok') failed++;
            progress.tick(`${job.browser} ${job.t.url} ${res.status}${res.error ? `: ${res.error}` : ''}`, res.status !== 'ok');
          }
        } finally {
          if (worker) {
            workers.delete(worker);
            await worker.close();
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(opts.concurrency, jobs.length) }, slot));
      progress.end();
      process.off('SIGINT', sigint);
      process.off('SIGTERM', sigterm);
    }
  } finally {
    await Promise.allSettled([...workers].map((w) => w.close()));
    await corpus?.close();
    const mem = sampler.stop();
    const elapsed = Date.now() - startedAt.getTime();
    const run = {
      runId, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), interrupted,
      browsers: opts.browsers, modes: opts.modes, concurrency: opts.concurrency, shard: opts.shard,
      scanned, failed, skipped, elapsedMs: elapsed,
      sitesPerMinute: elapsed > 0 ? Math.round((scanned / elapsed) * 60_000 * 10) / 10 : 0,
      peakRssMB: Math.round(mem.peakBytes / 1048576), peakPssMB: Math.round(mem.peakPssBytes / 1048576), rssScope: mem.scope,
    };
    appendFileSync(join(opts.out, 'runs.jsonl'), `${JSON.stringify(run)}\n`);
    if (existsSync(resultsPath)) await writeReports(opts.out, { warn: log });
    log(`${interrupted ? 'interrupted' : 'done'}: ${scanned} scanned (${failed} failed), ${skipped} skipped, ${run.sitesPerMinute} sites/min, peak RSS ${run.peakRssMB} MB (PSS ${run.peakPssMB} MB); results in ${opts.out}`);
  }
  return { exitCode: interrupted ? 130 : 0, scanned, skipped, failed };
}

/**
 * `untapped merge DIR... --out DIR`: one record per key, the best one
 * (ok over timeout over error, then the newest), streamed in two passes.
 * @param {{ dirs: string[], out: string }} o
 * @param {(m: string) => void} log
 */
export async function runMerge(o, log) {
  for (const d of o.dirs) {
    if (!existsSync(join(d, 'results.jsonl'))) throw new UsageError(`merge: ${d} has no results.jsonl`);
  }
  mkdirSync(o.out, { recursive: true });
  const outFile = join(o.out, 'results.jsonl');
  if (o.dirs.some((d) => resolve(d) === resolve(o.out))) throw new UsageError('merge: --out must not be one of the inputs');
  if (existsSync(outFile)) throw new UsageError(`merge: ${outFile} exists already; merge into an empty directory`);
  const rankOf = (/** @type {string} */ s) => (s === 'ok' ? 2 : s === 'timeout' ? 1 : 0);
  // Pass 1: which file and line holds the best record of each key (keys only in memory).
  /** @type {Map<string, { dir: number, line: number, status: string, at: string }>} */
  const best = new Map();
  for (let i = 0; i < o.dirs.length; i++) {
    await readResults(join(/** @type {string} */ (o.dirs[i]), 'results.jsonl'), (r, line) => {
      const cur = best.get(r.key);
      if (!cur || rankOf(r.status) > rankOf(cur.status) || (rankOf(r.status) === rankOf(cur.status) && r.scannedAt > cur.at)) {
        best.set(r.key, { dir: i, line, status: r.status, at: r.scannedAt });
      }
    }, { warn: log });
  }
  // Pass 2: copy the winners.
  let written = 0;
  for (let i = 0; i < o.dirs.length; i++) {
    await readResults(join(/** @type {string} */ (o.dirs[i]), 'results.jsonl'), (r, line) => {
      const b = best.get(r.key);
      if (b && b.dir === i && b.line === line) {
        appendFileSync(outFile, `${JSON.stringify(r)}\n`);
        written++;
      }
    });
  }
  await writeReports(o.out, { warn: log, title: 'Untapped scan report (merged)' });
  log(`merged ${written} record(s) from ${o.dirs.length} director${o.dirs.length === 1 ? 'y' : 'ies'} into ${o.out}`);
  return { written };
}
