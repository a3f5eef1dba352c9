// The durable tally store against the storage fake (test/fakes/storage.ts),
// which behaves like storage.local.
import { describe, expect, it } from 'vitest';
import { ASIDE_KEY, migrate, TALLY_KEY, TallyStore } from '../../src/background/store';
import { FakeStorageArea as FakeArea } from '../fakes/storage';
import { SCHEMA_VERSION } from '../../src/background/tally';
import type { HookReport } from '../../src/shared/types';

function makeStore(area: FakeArea, errors: string[] = [], now = () => 1_700_000_000_000) {
  return new TallyStore({
    area,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    now,
    onError: (what) => { errors.push(what); },
  });
}

const report = (over: Partial<HookReport> = {}): HookReport => ({
  kind: 'key', api: 'addEventListener:keydown', origin: 'https://t.example', party: 'third', decision: 'deny', target: 'global', count: 1, ...over,
});

describe('TallyStore', () => {
  it('10,000 concurrent add calls lose nothing, in memory and in storage', async () => {
    const area = new FakeArea();
    const store = makeStore(area);
    const blocked = await Promise.all(Array.from({ length: 10_000 }, () => store.add('shop.example', [report()], 'protect')));
    expect(blocked.reduce((a, b) => a + b, 0)).toBe(10_000);
    await store.flush();
    // A fresh store (a restarted worker) reads exactly what was written.
    const again = makeStore(area);
    const t = await again.get('shop.example');
    expect(t?.origins['https://t.example']?.kinds.key).toEqual({ attempted: 10_000, blocked: 10_000, allowed: 0 });
    // Batched: far fewer writes than reports.
    expect(area.sets).toBeLessThan(10);
  });

  it('batches writes and survives a restart without an explicit flush', async () => {
    const area = new FakeArea();
    const store = makeStore(area);
    await store.add('a.example', [report({ count: 3 })], 'monitor');
    expect(area.data[TALLY_KEY]).toBeUndefined();
    await new Promise((r) => setTimeout(r, 450));
    const t = await makeStore(area).get('a.example');
    expect(t?.origins['https://t.example']?.kinds.key).toEqual({ attempted: 3, blocked: 0, allowed: 3 });
  });

  it('a failed write is retried by the next flush and reported, not lost', async () => {
    const area = new FakeArea();
    const errors: string[] = [];
    const store = makeStore(area, errors);
    await store.add('a.example', [report()], 'protect');
    area.failNext = 1;
    await store.flush();
    expect(errors).toEqual(['write tallies']);
    await store.flush();
    expect((await makeStore(area).get('a.example'))?.origins['https://t.example']?.kinds.key?.attempted).toBe(1);
  });

  it('clears one site or all', async () => {
    const area = new FakeArea();
    const store = makeStore(area);
    await store.add('a.example', [report()], 'protect');
    await store.add('b.example', [report()], 'protect');
    await store.clear('a.example');
    expect(Object.keys((await makeStore(area).all()).sites)).toEqual(['b.example']);
    await store.clear(null);
    expect((await makeStore(area).all()).sites).toEqual({});
  });

  it('keeps a newer version aside instead of discarding it, and starts afresh', async () => {
    const area = new FakeArea();
    const future = { version: SCHEMA_VERSION + 1, sites: { 'a.example': { whatever: true } }, extra: [1, 2] };
    area.data[TALLY_KEY] = structuredClone(future);
    const errors: string[] = [];
    const store = makeStore(area, errors);
    expect((await store.all()).sites).toEqual({});
    expect(errors).toContain('stored tallies kept aside');
    const aside = area.data[ASIDE_KEY] as { reason: string; raw: unknown }[];
    expect(aside).toHaveLength(1);
    expect(aside[0]?.raw).toEqual(future);
    expect(aside[0]?.reason).toMatch(/tallies\.version: 3/);
    // New tallies go on being recorded; the aside copy stays.
    await store.add('b.example', [report()], 'protect');
    await store.flush();
    expect(area.data[ASIDE_KEY]).toEqual(aside);
  });

  it('keeps one damaged site aside and the rest readable', async () => {
    const area = new FakeArea();
    const good = makeStore(area);
    await good.add('good.example', [report()], 'protect');
    await good.flush();
    const stored = area.data[TALLY_KEY] as { sites: Record<string, unknown> };
    stored.sites['bad.example'] = { site: 'bad.example', origins: 'nope' };
    const store = makeStore(area);
    expect(Object.keys((await store.all()).sites)).toEqual(['good.example']);
    const aside = area.data[ASIDE_KEY] as { reason: string; raw: unknown }[];
    expect(aside[0]?.reason).toBe('tallies.sites["bad.example"]: unreadable');
    expect(aside[0]?.raw).toEqual({ site: 'bad.example', origins: 'nope' });
  });
});

describe('migrate', () => {
  const v1Origin = (over: Record<string, unknown>) => ({
    party: 'third', kinds: { key: { attempted: 5, blocked: 3, allowed: 2 } }, sensitive: 4, apis: { 'addEventListener:keydown': 5 }, firstSeen: 1, lastSeen: 2, ...over,
  });

  it('schema 1 -> 2 adds sensitiveAllowed, assuming the worst the counts allow', () => {
    const v1 = {
      version: 1,
      sites: {
        's.example': {
          site: 's.example', firstSeen: 1, lastSeen: 2, timeline: { '472222': 5 },
          origins: {
            'https://a.example': v1Origin({}),
            'https://b.example': v1Origin({ kinds: { key: { attempted: 5, blocked: 5, allowed: 0 } } }),
            'https://c.example': v1Origin({ sensitive: 1 }),
          },
        },
      },
    };
    const m = migrate(v1);
    expect(m.db.version).toBe(2);
    expect(m.changed).toBe(true);
    expect(m.aside).toEqual([]);
    const o = m.db.sites['s.example']!.origins;
    expect(o['https://a.example']!.sensitiveAllowed).toBe(2); // min(4 sensitive, 2 allowed)
    expect(o['https://b.example']!.sensitiveAllowed).toBe(0); // nothing was allowed
    expect(o['https://c.example']!.sensitiveAllowed).toBe(1);
    expect(o['https://a.example']!.kinds.key).toEqual({ attempted: 5, blocked: 3, allowed: 2 });
    expect(m.db.sites['s.example']!.timeline).toEqual({ '472222': 5 });
  });

  it('a current record reads back unchanged', () => {
    const cur = { version: 2, sites: { 's.example': { site: 's.example', firstSeen: 1, lastSeen: 2, timeline: {}, origins: { 'https://a.example': v1Origin({ sensitiveAllowed: 0 }) } } } };
    const m = migrate(structuredClone(cur));
    expect(m.db).toEqual(cur);
    expect(m.changed).toBe(false);
  });

  it('nothing stored is an empty db; garbage is kept aside', () => {
    expect(migrate(undefined)).toEqual({ db: { version: 2, sites: {} }, aside: [], changed: false });
    const m = migrate('not json at all');
    expect(m.db.sites).toEqual({});
    expect(m.aside).toEqual([{ reason: 'tallies: not a tally record', raw: 'not json at all' }]);
  });
});
