// The relay's limits on what one frame's guard may send: a flood is cut at
// the message rate, while a genuine burst (aggregated lines with large
// counts) is passed on exactly.
import { afterEach, describe, expect, it } from 'vitest';
import { RELAY_LIMITS, startRelay } from '../../src/relay/relay';
import type { ContentToBackground } from '../../src/shared/messages';
import type { HookReport } from '../../src/shared/types';

const line = (count: number, origin = 'https://cdn.example'): HookReport => ({
  kind: 'key', api: 'addEventListener:keydown', origin, party: 'third', decision: 'deny', target: 'sensitive', count,
});

function setup() {
  let clock = 0;
  const sent: ContentToBackground[] = [];
  const timers: (() => void)[] = [];
  const delays: number[] = [];
  const errors: string[] = [];
  let leave: (() => void) | undefined;
  let offered: MessagePort | undefined;
  const doc = { dispatchEvent: (ev: MessageEvent) => { offered = ev.ports[0]; return true; } } as unknown as Document;
  const relay = startRelay({
    doc, site: 'example.com',
    send: async (m) => { sent.push(m); return { mode: 'protect' }; },
    setTimer: (fn, ms) => { timers.push(fn); delays.push(ms); },
    onError: (what) => { errors.push(what); },
    now: () => clock,
    onLeave: (fn) => { leave = fn; },
  });
  const guardPort = offered!;
  const post = (m: unknown) => guardPort.postMessage(m);
  const settle = () => new Promise((r) => setTimeout(r, 20));
  const flush = () => { while (timers.length) timers.shift()!(); };
  const claimed = () => sent.flatMap((m) => (m.type === 'frame/reports' ? m.reports : [])).reduce((n, r) => n + r.count, 0);
  return { relay, post, settle, flush, claimed, errors, delays, timers, leave: () => leave!(), tick: (ms: number) => { clock += ms; }, close: () => { guardPort.close(); relay.port.close(); } };
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('relay limits', () => {
  it('passes a genuine burst of 10,000 attempts on exactly', async () => {
    const r = setup();
    cleanup = r.close;
    // 10,000 attempts in 3 s, aggregated by the guard into one message per 150 ms.
    for (let i = 0; i < 20; i++) {
      r.post({ t: 'reports', reports: [line(400), line(100, 'https://other.example')] });
      await r.settle();
      r.tick(150);
    }
    r.flush();
    expect(r.claimed()).toBe(10_000);
    expect(r.relay.stats.throttled).toBe(0);
  });

  it('cuts a flood of messages at the rate limit and says so', async () => {
    const r = setup();
    cleanup = r.close;
    for (let i = 0; i < 1000; i++) r.post({ t: 'reports', reports: [line(1)] });
    await r.settle();
    r.flush();
    expect(r.claimed()).toBe(RELAY_LIMITS.burst);
    expect(r.relay.stats.throttled).toBe(1000 - RELAY_LIMITS.burst);
    expect(r.errors).toContain('guard exceeds message rate; dropping');
    // The bucket refills: after a second, perSecond more get through.
    r.tick(1000);
    for (let i = 0; i < 100; i++) r.post({ t: 'reports', reports: [line(1)] });
    await r.settle();
    r.flush();
    expect(r.claimed()).toBe(RELAY_LIMITS.burst + RELAY_LIMITS.perSecond);
  });

  it('rejects oversized and malformed messages without crashing', async () => {
    const r = setup();
    cleanup = r.close;
    r.post({ t: 'reports', reports: Array.from({ length: 501 }, () => line(1)) });
    r.post({ t: 'reports', reports: [{ ...line(1), count: 2_000_000 }] });
    r.post({ t: 'reports', reports: [{ ...line(1), origin: 'javascript:alert(1)' }] });
    r.post('x'.repeat(1_000_000));
    r.post(null);
    await r.settle();
    r.flush();
    expect(r.claimed()).toBe(0);
    expect(r.relay.stats.invalid).toBe(5);
  });
});

describe('relay delivery', () => {
  it('forwards the first batch after a quiet spell at once, then at most one per interval', async () => {
    const r = setup();
    cleanup = r.close;
    r.post({ t: 'reports', reports: [line(1)] });
    await r.settle();
    r.flush();
    r.tick(10);
    r.post({ t: 'reports', reports: [line(1)] });
    await r.settle();
    r.flush();
    r.tick(1000);
    r.post({ t: 'reports', reports: [line(1)] });
    await r.settle();
    r.flush();
    // The hello is sent directly; the three flushes were timed 0, 250, 0.
    expect(r.delays).toEqual([0, 250, 0]);
    expect(r.claimed()).toBe(3);
  });

  it('sends what is queued when the page is left, without waiting for a timer', async () => {
    const r = setup();
    cleanup = r.close;
    r.post({ t: 'reports', reports: [line(7)] });
    await r.settle();
    expect(r.claimed()).toBe(0);
    r.leave();
    expect(r.claimed()).toBe(7);
    // The timer that was pending finds nothing left to send twice.
    r.flush();
    expect(r.claimed()).toBe(7);
  });

  it('retries a message the background did not take (a worker still starting) and delivers it once', async () => {
    const sent: ContentToBackground[] = [];
    const timers: (() => void)[] = [];
    const errors: string[] = [];
    let failures = 2;
    let offered: MessagePort | undefined;
    const doc = { dispatchEvent: (ev: MessageEvent) => { offered = ev.ports[0]; return true; } } as unknown as Document;
    const relay = startRelay({
      doc, site: 'example.com',
      send: async (m) => {
        if (m.type === 'frame/reports' && failures > 0) {
          failures--;
          throw new Error('Could not establish connection. Receiving end does not exist.');
        }
        sent.push(m);
        return { mode: 'protect' };
      },
      setTimer: (fn) => { timers.push(fn); },
      onError: (what) => { errors.push(what); },
    });
    cleanup = () => { offered!.close(); relay.port.close(); };
    offered!.postMessage({ t: 'reports', reports: [line(3)] });
    const settle = () => new Promise((r) => setTimeout(r, 20));
    await settle();
    // The flush timer, then two retry timers after two refusals.
    for (let i = 0; i < 3; i++) {
      while (timers.length) timers.shift()!();
      await settle();
    }
    const reports = sent.filter((m) => m.type === 'frame/reports');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toEqual({ type: 'frame/reports', reports: [line(3)] });
    expect(errors).toEqual([]);
  });
});

describe('relay leaving the page', () => {
  it('sends a batch still waiting for a retry at once when the page goes, and only once', async () => {
    const sent: ContentToBackground[] = [];
    const timers: (() => void)[] = [];
    let refuse = true;
    let leave: (() => void) | undefined;
    let offered: MessagePort | undefined;
    const doc = { dispatchEvent: (ev: MessageEvent) => { offered = ev.ports[0]; return true; } } as unknown as Document;
    const relay = startRelay({
      doc, site: 'example.com',
      send: async (m) => {
        if (m.type === 'frame/reports' && refuse) throw new Error('Receiving end does not exist.');
        sent.push(m);
        return { mode: 'protect' };
      },
      setTimer: (fn) => { timers.push(fn); },
      onError: () => undefined,
      onLeave: (fn) => { leave = fn; },
    });
    const settle = () => new Promise((r) => setTimeout(r, 20));
    try {
      offered!.postMessage({ t: 'reports', reports: [line(5)] });
      await settle();
      timers.shift()!(); // the flush: refused, a retry is now waiting
      await settle();
      expect(timers).toHaveLength(1);
      refuse = false;
      leave!();
      await settle();
      const reports = () => sent.filter((m) => m.type === 'frame/reports');
      expect(reports()).toEqual([{ type: 'frame/reports', reports: [line(5)] }]);
      // Had the page stayed (a back/forward cache restore), the retry finds it already sent.
      timers.shift()!();
      await settle();
      expect(reports()).toHaveLength(1);
    } finally {
      offered!.close();
      relay.port.close();
    }
  });
});
