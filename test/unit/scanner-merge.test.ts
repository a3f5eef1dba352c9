// `untapped merge` and the reports, over results.jsonl files written here.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMerge } from '../../scanner/lib/scan.mjs';
import { writeReports } from '../../scanner/lib/report.mjs';
import { useTempDirs } from '../helpers/temp-dirs';

const tempDir = useTempDirs();

const rec = (url: string, browser: string, status: string, scannedAt: string, exfil = false) => ({
  schemaVersion: 1, key: `${browser} ${url}`, target: url, url, site: 'x.example', rank: null, browser, browserVersion: 'v', runId: 'r', scannedAt,
  durationMs: 1, status, error: status === 'ok' ? null : 'boom', score: status === 'ok' ? 15 : null, grade: status === 'ok' ? 'B' : null, scoreDetail: null, scoreUnavailable: null,
  verdict: status === 'ok' ? { hooks: true, exfiltration: exfil, surveillance: true, exfiltrationProtected: false, protectStopsExfiltration: exfil ? true : null, thirdPartyOrigins: ['https://t.example'], exfilHosts: exfil ? ['t.example'] : [] } : null,
  modes: status === 'ok' ? { monitor: { mode: 'monitor', status: 'ok', error: null, finalUrl: url, loadMs: 1, fields: [], origins: [], tally: null, requests: 1, hiddenBodies: 0, exfil: exfil ? [{ canary: 'email', encoding: 'md5', where: 'url', channel: 'image', host: 't.example', thirdParty: true, source: 'browser', url: 'u' }] : [] } } : {},
});

function shard(dir: string, records: object[], tail = '') {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n' + tail);
}

describe('merge', () => {
  it('keeps one record per site and browser, preferring ok over failures and then the newest', async () => {
    const base = tempDir('untapped-merge-');
    shard(join(base, 's1'), [rec('https://a.example/', 'chromium', 'error', '2026-01-01T00:00:00Z'), rec('https://b.example/', 'chromium', 'ok', '2026-01-01T00:00:00Z')]);
    shard(join(base, 's2'), [rec('https://a.example/', 'chromium', 'ok', '2026-01-01T00:00:00Z', true), rec('https://b.example/', 'chromium', 'ok', '2026-01-02T00:00:00Z'), rec('https://a.example/', 'firefox', 'timeout', '2026-01-01T00:00:00Z')], 'garbage line\n');
    const logs: string[] = [];
    const { written } = await runMerge({ dirs: [join(base, 's1'), join(base, 's2')], out: join(base, 'all') }, (m) => logs.push(m));
    expect(written).toBe(3);
    const merged = readFileSync(join(base, 'all/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(merged.map((r) => `${r.key} ${r.status} ${r.scannedAt}`).sort()).toEqual([
      'chromium https://a.example/ ok 2026-01-01T00:00:00Z',
      'chromium https://b.example/ ok 2026-01-02T00:00:00Z',
      'firefox https://a.example/ timeout 2026-01-01T00:00:00Z',
    ]);
    expect(logs.join('\n')).toMatch(/s2\/results\.jsonl:4: not JSON/);
    const csv = readFileSync(join(base, 'all/summary.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^url,site,rank,browser,status,score,grade,surveillance/);
    expect(csv).toHaveLength(4);
    expect(csv.find((l) => l.startsWith('https://a.example/,x.example,,chromium,ok,15,B,true,true,true,false,true,https://t.example,t.example,email,md5'))).toBeDefined();
    const html = readFileSync(join(base, 'all/report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toMatch(/<tr><th>chromium<\/th><td>2<\/td><td>2<\/td><td>0<\/td><td>2<\/td><td>1<\/td>/);
    expect(html).toMatch(/<tr><th>firefox<\/th><td>1<\/td><td>0<\/td><td>1<\/td>/);
  });
  it('refuses missing inputs and a non-empty output, naming them', async () => {
    const base = tempDir('untapped-merge-');
    await expect(runMerge({ dirs: [join(base, 'nope')], out: join(base, 'o') }, () => undefined)).rejects.toThrow(/nope has no results\.jsonl/);
    shard(join(base, 's'), [rec('https://a.example/', 'chromium', 'ok', '2026-01-01T00:00:00Z')]);
    shard(join(base, 'o'), []);
    await expect(runMerge({ dirs: [join(base, 's')], out: join(base, 'o') }, () => undefined)).rejects.toThrow(/exists already/);
  });
  it('escapes what pages control in the HTML report', async () => {
    const base = tempDir('untapped-report-');
    const evil = rec('https://e.example/"><script>alert(1)</script>', 'chromium', 'ok', '2026-01-01T00:00:00Z');
    shard(base, [evil]);
    await writeReports(base);
    const html = readFileSync(join(base, 'report.html'), 'utf8');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&#60;script&#62;');
  });
});
