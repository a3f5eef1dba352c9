import { describe, expect, it } from 'vitest';
import { applyReports, emptyDb, type Limits } from '../../src/background/tally';
import type { HookReport } from '../../src/shared/types';

const r = (over: Partial<HookReport> = {}): HookReport => ({
  kind: 'key', api: 'addEventListener:keydown', origin: 'https://t.example', party: 'third', decision: 'deny', target: 'global', count: 1, ...over,
});
const HOUR = 3_600_000;

describe('applyReports', () => {
  it('counts blocked only in protect mode and splits sensitive attempts', () => {
    const db = emptyDb();
    expect(applyReports(db, 's', [r({ target: 'sensitive', count: 2 }), r({ decision: 'allow', target: 'sensitive' })], 'protect', 10)).toBe(2);
    expect(applyReports(db, 's', [r({ target: 'sensitive', count: 4 })], 'monitor', 20)).toBe(0);
    const o = db.sites.s!.origins['https://t.example']!;
    expect(o.kinds.key).toEqual({ attempted: 7, blocked: 2, allowed: 5 });
    expect(o.sensitive).toBe(7);
    expect(o.sensitiveAllowed).toBe(5);
    expect(o.apis).toEqual({ 'addEventListener:keydown': 7 });
  });

  it('an origin seen as third-party anywhere stays third-party', () => {
    const db = emptyDb();
    applyReports(db, 's', [r({ party: 'third' })], 'protect', 1);
    applyReports(db, 's', [r({ party: 'first', decision: 'allow' })], 'protect', 2);
    expect(db.sites.s!.origins['https://t.example']!.party).toBe('third');
  });

  it('buckets attempts by hour for the timeline', () => {
    const db = emptyDb();
    applyReports(db, 's', [r({ count: 3 })], 'protect', 5 * HOUR + 1);
    applyReports(db, 's', [r({ count: 2 })], 'protect', 5 * HOUR + 2);
    applyReports(db, 's', [r({ count: 1 })], 'protect', 7 * HOUR);
    expect(db.sites.s!.timeline).toEqual({ 5: 5, 7: 1 });
  });

  const small: Limits = { maxSites: 3, maxOriginsPerSite: 2, maxTimelineBuckets: 2 };

  it('caps sites, evicting the least recently seen', () => {
    const db = emptyDb();
    applyReports(db, 'a', [r()], 'protect', 1, small);
    applyReports(db, 'b', [r()], 'protect', 2, small);
    applyReports(db, 'c', [r()], 'protect', 3, small);
    applyReports(db, 'a', [r()], 'protect', 4, small); // a is now the most recent
    applyReports(db, 'd', [r()], 'protect', 5, small);
    expect(Object.keys(db.sites).sort()).toEqual(['a', 'c', 'd']);
  });

  it('caps origins per site, evicting the least recently seen but never one just reported', () => {
    const db = emptyDb();
    applyReports(db, 's', [r({ origin: 'https://1.example' })], 'protect', 1, small);
    applyReports(db, 's', [r({ origin: 'https://2.example' })], 'protect', 2, small);
    applyReports(db, 's', [r({ origin: 'https://1.example' })], 'protect', 3, small);
    applyReports(db, 's', [r({ origin: 'https://3.example' })], 'protect', 4, small);
    expect(Object.keys(db.sites.s!.origins).sort()).toEqual(['https://1.example', 'https://3.example']);
  });

  it('caps timeline buckets, keeping the newest hours', () => {
    const db = emptyDb();
    for (const h of [1, 2, 3]) applyReports(db, 's', [r()], 'protect', h * HOUR, small);
    expect(db.sites.s!.timeline).toEqual({ 2: 1, 3: 1 });
  });
});
