// @ts-check
// `node bench/scanner.mjs [--browser chromium|firefox] [--rounds N]`: scanner
// throughput on its bundled fixture corpus. Runs `untapped scan` (default
// corpus, default modes and concurrency) under /usr/bin/time -v and samples
// the resident size of the whole process tree (node + browsers) every 200 ms,
// because time -v reports only the largest single process. Sites per minute
// count finished records in results.jsonl. Writes bench/results/scanner-<browser>.json.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, range } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const arg = (/** @type {string} */ name, /** @type {string} */ dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? /** @type {string} */ (process.argv[i + 1]) : dflt;
};
const browser = arg('--browser', 'chromium');
const rounds = Number(arg('--rounds', '1'));
const cli = join(root, 'scanner', 'bin', 'untapped.mjs');
if (!existsSync(cli)) throw new Error(`no scanner at ${cli}`);
const timeBin = '/usr/bin/time';
if (!existsSync(timeBin)) throw new Error('needs GNU time: apt-get install -y time');

/** Sum of RSS (bytes) of `pid` and all its descendants, from ps. */
function treeRss(/** @type {number} */ pid) {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' }).split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number)).filter((r) => r.length === 3);
  const family = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, pp] of rows) if (family.has(/** @type {number} */ (pp)) && !family.has(/** @type {number} */ (p))) { family.add(/** @type {number} */ (p)); grew = true; }
  }
  let kb = 0;
  for (const [p, , rss] of rows) if (family.has(/** @type {number} */ (p))) kb += /** @type {number} */ (rss);
  return kb * 1024;
}

/** @type {{ exitCode: unknown, seconds: number, sites: number, sitesPerMinute: number, peakTreeRssMB: number, largestProcessRssMB: number }[]} */
const runs = [];
for (let r = 0; r < rounds; r++) {
  const out = mkdtempSync(join(tmpdir(), 'untapped-scanbench-'));
  const t0 = Date.now();
  const child = spawn(timeBin, ['-v', process.execPath, cli, 'scan', '--out', out, '--browser', browser, '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdout.resume();
  let peakTree = 0;
  const timer = setInterval(() => {
    if (child.pid !== undefined) peakTree = Math.max(peakTree, treeRss(child.pid));
  }, 200);
  const code = await new Promise((ok) => child.on('exit', ok));
  clearInterval(timer);
  const seconds = (Date.now() - t0) / 1000;
  const resultsFile = join(out, 'results.jsonl');
  const sites = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8').split('\n').filter((l) => l.trim() !== '').length : 0;
  const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  runs.push({
    exitCode: code, seconds, sites, sitesPerMinute: sites / (seconds / 60),
    peakTreeRssMB: peakTree / 1048576, largestProcessRssMB: maxRss ? Number(maxRss[1]) / 1024 : NaN,
  });
  if (code !== 0) process.stderr.write(stderr.split('\n').filter((l) => !/^\t/.test(l)).slice(-10).join('\n') + '\n');
  rmSync(out, { recursive: true, force: true });
  process.stderr.write(`scan ${r + 1}/${rounds}: ${sites} sites in ${seconds.toFixed(1)} s (exit ${code})\n`);
}

const col = (/** @type {keyof typeof runs[number]} */ k) => runs.map((x) => Number(x[k]));
const show = (/** @type {number[]} */ xs, d = 1) => `${median(xs).toFixed(d)} (${range(xs).map((x) => x.toFixed(d)).join('–')})`;
console.log(`| scanner, ${browser}, bundled corpus | sites | seconds | sites per minute | peak RSS of the process tree, MB | largest process (time -v), MB |`);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
console.log(`| median (range) of ${rounds} | ${show(col('sites'), 0)} | ${show(col('seconds'))} | ${show(col('sitesPerMinute'))} | ${show(col('peakTreeRssMB'), 0)} | ${show(col('largestProcessRssMB'), 0)} |`);
mkdirSync(join(here, 'results'), { recursive: true });
const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
writeFileSync(join(here, 'results', `scanner-${browser}.json`), JSON.stringify({ date: new Date().toISOString(), commit, browser, runs }, null, 2));
