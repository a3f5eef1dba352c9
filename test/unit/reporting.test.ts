// Issue 5: the reporting endpoint. Batching, exponential backoff, the capped
// queue while the endpoint is down, surviving a restarted worker, and that a
// payload carries counts only (never typed content or API names).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Reporter, backoffMs, MAX_QUEUE, MAX_PER_POST, RETRY_BASE_MS, RETRY_MAX_MS, REPORTING_KEY, type FetchInit, type Payload } from '../../src/background/reporting';
import { applyReports, emptyDb, type TallyDb } from '../../src/background/tally';
import type { StorageAreaLike } from '../../src/background/store';
import type { HookReport } from '../../src/shared/types';

function fakeArea(): StorageAreaLike & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return {
    data,
    get: async (key: string) => (key in data ? { [key]: structuredClone(data[key]) } : {}),
    set: async (items: Record<string, unknown>) => { Object.assign(data, structuredClone(items)); },
  };
}

/** A fetch that records POSTs and answers as told; async like the real one. */
function fakeFetch() {
  const calls: { url: string; init: FetchInit; at: number }[] = [];
  let up = true;
  const fn = vi.fn(async (url: string, init: FetchInit) => {
    calls.push({ url, init: structuredClone(init), at: Date.now() });
    await Promise.resolve();
    if (!up) throw new TypeError('Failed to fetch');
    return { ok: true, status: 204 };
  });
  return { fn, calls, setUp: (v: boolean) => { up = v; }, payloads: () => calls.map((c) => JSON.parse(c.init.body) as Payload) };
}

const report = (over: Partial<HookReport> = {}): HookReport => ({
  kind: 'key', api: 'addEventListener:keydown', origin: 'https://tracker.test', party: 'third', decision: 'deny', target: 'sensitive', count: 1, ...over,
});

const CFG = { endpoint: 'https://siem.test/untapped', intervalSeconds: 60 };

function setup(area = fakeArea(), db: TallyDb = emptyDb()) {
  const f = fakeFetch();
  const errors: string[] = [];
  const reporter = new Reporter({
    fetch: f.fn,
    tallies: async () => db,
    area,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    onError: (what) => errors.push(what),
  });
  const add = (site: string, reports: HookReport[]) => { applyReports(db, site, reports, 'protect', Date.now()); return reporter.poke(); };
  return { reporter, f, area, db, errors, add };
}

describe('reporting endpoint', () => {
  beforeEach(() => { vi.useFakeTimers(); vi.setSystemTime(new Date('2026-01-01T00:00:00Z')); });
  afterEach(() => { vi.useRealTimers(); });

  it('batches per interval and posts per-site, per-origin counts', async () => {
    const { reporter, f, add } = setup();
    await reporter.configure(CFG);
    await add('shop.test', [report({ count: 3 }), report({ kind: 'tap', api: 'addEventListener:click', target: 'global', count: 2 })]);
    await add('shop.test', [report({ origin: 'https://shop.test', party: 'first', decision: 'allow', target: 'field', count: 4 })]);
    expect(f.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0]!.url).toBe(CFG.endpoint);
    expect(f.calls[0]!.init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'omit' });
    const [p] = f.payloads();
    expect(p!.batches).toHaveLength(1);
    expect(p!.batches[0]!.sites).toEqual([{
      site: 'shop.test',
      origins: [
        { origin: 'https://tracker.test', party: 'third', attempted: 5, blocked: 5, allowed: 0, sensitive: 3,
          kinds: { key: { attempted: 3, blocked: 3, allowed: 0 }, tap: { attempted: 2, blocked: 2, allowed: 0 } } },
        { origin: 'https://shop.test', party: 'first', attempted: 4, blocked: 0, allowed: 4, sensitive: 0,
          kinds: { key: { attempted: 4, blocked: 0, allowed: 4 } } },
      ],
    }]);
    // Next interval reports only what is new.
    await add('shop.test', [report({ count: 1 })]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f.payloads()[1]!.batches[0]!.sites[0]!.origins).toEqual([
      { origin: 'https://tracker.test', party: 'third', attempted: 1, blocked: 1, allowed: 0, sensitive: 1, kinds: { key: { attempted: 1, blocked: 1, allowed: 0 } } },
    ]);
  });

  it('never sends API names or anything but counts, origins and sites', async () => {
    const { reporter, f, add } = setup();
    await reporter.configure(CFG);
    await add('shop.test', [report({ api: 'addEventListener:keydown-SECRET-CANARY', count: 2 })]);
    await vi.advanceTimersByTimeAsync(60_000);
    const body = f.calls[0]!.init.body;
    expect(body).not.toContain('CANARY');
    expect(body).not.toContain('addEventListener');
    const allowedKeys = new Set(['schema', 'product', 'sentAt', 'dropped', 'batches', 'from', 'to', 'sites', 'site', 'origins', 'origin',
      'party', 'attempted', 'blocked', 'allowed', 'sensitive', 'kinds', 'key', 'tap', 'value', 'prototype']);
    JSON.parse(body, (k, v) => { if (k !== '' && Number.isNaN(Number(k))) expect(allowedKeys).toContain(k); return v; });
  });

  it('history before the policy applied is not reported; a quiet interval sends nothing', async () => {
    const db = emptyDb();
    applyReports(db, 'old.test', [report({ count: 9 })], 'protect', Date.now());
    const { reporter, f } = setup(fakeArea(), db);
    await reporter.configure(CFG);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(f.calls).toHaveLength(0);
  });

  it('backs off exponentially while the endpoint is down, then delivers everything', async () => {
    const { reporter, f, add, errors } = setup();
    await reporter.configure(CFG);
    f.setUp(false);
    await add('a.test', [report()]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f.calls).toHaveLength(1);
    const start = f.calls[0]!.at;
    // Retries at +5 s, +10 s, +20 s, +40 s after each failure.
    await vi.advanceTimersByTimeAsync(5_000 + 10_000 + 20_000 + 40_000);
    expect(f.calls.map((c) => c.at - start)).toEqual([0, 5_000, 15_000, 35_000, 75_000]);
    expect(errors.filter((e) => e === 'reporting endpoint unreachable')).toHaveLength(5);
    f.setUp(true);
    await vi.advanceTimersByTimeAsync(80_000);
    expect(f.calls).toHaveLength(6);
    expect(f.payloads()[5]!.batches.map((b) => b.sites[0]!.site)).toEqual(['a.test']);
    expect(reporter.stats).toMatchObject({ sent: 1, failed: 5 });
    // Back to the plain interval afterwards.
    await add('a.test', [report()]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f.calls).toHaveLength(7);
  });

  it('backoff doubles up to an hour', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([RETRY_BASE_MS, RETRY_BASE_MS * 2, RETRY_BASE_MS * 4, RETRY_BASE_MS * 8]);
    expect(backoffMs(40)).toBe(RETRY_MAX_MS);
  });

  it('keeps at most MAX_QUEUE batches while down, dropping the oldest and saying how many', async () => {
    const area = fakeArea();
    const { reporter, f, add } = setup(area);
    await reporter.configure({ ...CFG, intervalSeconds: 1 });
    f.setUp(false);
    for (let i = 0; i < MAX_QUEUE + 30; i++) {
      await add(`s${i}.test`, [report()]);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    const stored = area.data[REPORTING_KEY] as { queue: unknown[]; dropped: number };
    expect(stored.queue).toHaveLength(MAX_QUEUE);
    expect(stored.dropped).toBe(30);
    f.setUp(true);
    await vi.advanceTimersByTimeAsync(RETRY_MAX_MS);
    const ok = f.payloads().slice(-Math.ceil(MAX_QUEUE / MAX_PER_POST));
    expect(ok.flatMap((p) => p.batches)).toHaveLength(MAX_QUEUE);
    expect(ok.every((p) => p.batches.length <= MAX_PER_POST)).toBe(true);
    expect(ok[0]!.dropped).toBe(30);
    expect(ok[0]!.batches[0]!.sites[0]!.site).toBe('s30.test');
    expect(ok[1]!.dropped).toBe(0);
    expect((area.data[REPORTING_KEY] as { queue: unknown[] }).queue).toHaveLength(0);
  });

  it('a restarted worker picks up the queue and snapshot from storage', async () => {
    const area = fakeArea();
    const db = emptyDb();
    const first = setup(area, db);
    await first.reporter.configure(CFG);
    first.f.setUp(false);
    await first.add('a.test', [report({ count: 2 })]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(first.f.calls).toHaveLength(1);
    // The worker dies (timers gone with it); a new one starts with the same storage.
    vi.clearAllTimers();
    const area2 = fakeArea();
    Object.assign(area2.data, structuredClone(area.data));
    applyReports(db, 'a.test', [report({ count: 1 })], 'protect', Date.now());
    const second = setup(area2, db);
    await vi.advanceTimersByTimeAsync(60_000);
    await second.reporter.configure(CFG);
    await vi.runOnlyPendingTimersAsync();
    const batches = second.f.payloads().flatMap((p) => p.batches);
    expect(batches.map((b) => b.sites[0]!.origins[0]!.attempted)).toEqual([2, 1]);
  });

  it('removing the endpoint from the policy stops reporting and forgets the queue', async () => {
    const area = fakeArea();
    const { reporter, f, add } = setup(area);
    await reporter.configure(CFG);
    f.setUp(false);
    await add('a.test', [report()]);
    await vi.advanceTimersByTimeAsync(60_000);
    await reporter.configure(undefined);
    f.setUp(true);
    await add('a.test', [report()]);
    await vi.advanceTimersByTimeAsync(RETRY_MAX_MS);
    expect(f.calls).toHaveLength(1);
    expect((area.data[REPORTING_KEY] as { queue: unknown[] }).queue).toEqual([]);
  });
});
