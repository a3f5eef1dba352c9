import { describe, expect, it } from 'vitest';
import { createRouter, type Sender } from '../../src/background/router';
import { TallyStore } from '../../src/background/store';
import { SettingsStore } from '../../src/background/settings';
import { Badge } from '../../src/background/badge';
import type { HookReport } from '../../src/shared/types';
import { FakeStorageArea } from '../fakes/storage';

const ID = 'fkejgmecjbbmjajenieopjnhchoooibg';
const BASE = `chrome-extension://${ID}/`;

function setup(opts: { slowColor?: boolean } = {}) {
  let colorReads = 0;
  const local = new FakeStorageArea();
  const session = new FakeStorageArea();
  const errors: string[] = [];
  const onError = (what: string) => { errors.push(what); };
  const timers: (() => void)[] = [];
  const tallies = new TallyStore({ area: local, setTimer: (fn) => { timers.push(fn); }, now: () => 1_700_000_000_000, onError });
  const badgeText = new Map<number, string>();
  const badge = new Badge({
    session,
    setText: async (tabId, text) => { badgeText.set(tabId, text); },
    setColor: async () => undefined,
    onError,
  });
  const router = createRouter({
    extensionId: ID, extensionBaseUrl: BASE, tallies, settings: new SettingsStore(local), badge,
    tabUrl: async (tabId) => (tabId === 7 ? 'https://shop.example.co.uk/checkout' : undefined),
    // The real colour reads the site's tally from storage: slow, and it may be slower than a report's path.
    // Here the first read is the slow one, as a cold worker's is.
    badgeColor: async () => { if (opts.slowColor && colorReads++ === 0) await new Promise((r) => setTimeout(r, 30)); return '#b3261e'; },
    onError,
  });
  return { router, tallies, local, badgeText, errors };
}

const page: Sender = { id: ID, url: 'https://shop.example.co.uk/checkout', frameId: 0, tab: { id: 7, url: 'https://shop.example.co.uk/checkout' } };
const iframe: Sender = { id: ID, url: 'https://pay.other.example/frame', frameId: 3, tab: { id: 7, url: 'https://shop.example.co.uk/checkout' } };
const popup: Sender = { id: ID, url: `${BASE}popup.html` };

const report = (over: Partial<HookReport> = {}): HookReport => ({
  kind: 'key', api: 'addEventListener:keydown', origin: 'https://tracker.example', party: 'third',
  decision: 'deny', target: 'global', count: 2, ...over,
});

describe('router', () => {
  it('tallies a content script\'s reports under the tab\'s top-level site, never the frame\'s', async () => {
    const { router, tallies, badgeText } = setup();
    expect(await router.handle({ type: 'frame/hello' }, page)).toEqual({ mode: 'protect' });
    await router.handle({ type: 'frame/reports', reports: [report()] }, iframe);
    await router.handle({ type: 'frame/reports', reports: [report({ decision: 'allow', party: 'first', origin: 'https://shop.example.co.uk', count: 1 })] }, page);
    const t = await tallies.get('example.co.uk');
    expect(t?.origins['https://tracker.example']?.kinds.key).toEqual({ attempted: 2, blocked: 2, allowed: 0 });
    expect(t?.origins['https://shop.example.co.uk']?.kinds.key).toEqual({ attempted: 1, blocked: 0, allowed: 1 });
    expect(await tallies.get('other.example')).toBeNull();
    expect(badgeText.get(7)).toBe('2');
  });

  it('a page\'s reports sent right behind its hello are counted after the hello resets the badge', async () => {
    const { router, badgeText } = setup({ slowColor: true });
    // The next page: hello and first batch leave together, neither awaited before the other.
    const hello = router.handle({ type: 'frame/hello' }, page);
    const reports = router.handle({ type: 'frame/reports', reports: [report({ count: 3 })] }, page);
    await Promise.all([hello, reports]);
    expect(badgeText.get(7)).toBe('3');
  });

  it('answers extension pages, and refuses everyone else whatever they claim', async () => {
    const { router, tallies } = setup();
    await router.handle({ type: 'frame/reports', reports: [report()] }, page);
    const view = await router.handle({ type: 'ui/site', site: 'example.co.uk' }, popup) as { tally: unknown; mode: string };
    expect(view.mode).toBe('protect');
    expect(view.tally).not.toBeNull();

    // A content script asking for UI data, another extension, a web page: all refused.
    expect(await router.handle({ type: 'ui/all' }, page)).toBeUndefined();
    expect(router.handle({ type: 'frame/reports', reports: [report({ count: 999 })] }, { ...page, id: 'someone-else' })).toBeUndefined();
    expect(router.handle({ type: 'ui/clear', site: null }, { url: 'https://evil.example/' })).toBeUndefined();
    expect(router.rejected.sender).toBe(2);
    expect((await tallies.get('example.co.uk'))?.origins['https://tracker.example']?.kinds.key?.attempted).toBe(2);
  });

  it('drops malformed content messages without counting any of them', async () => {
    const { router, tallies } = setup();
    for (const bad of [null, 'x', { type: 'frame/reports', reports: [report({ count: -5 })] },
      { type: 'frame/reports', reports: [report(), { ...report(), kind: 'passwords' }] }, { type: 'frame/bogus' }]) {
      expect(await router.handle(bad, page)).toBeUndefined();
    }
    expect(router.rejected.content).toBe(5);
    expect(await tallies.get('example.co.uk')).toBeNull();
  });

  it('reports a UI validation error naming the field instead of throwing', async () => {
    const { router } = setup();
    expect(await router.handle({ type: 'ui/set-mode', site: 'example.co.uk', mode: 'loud' }, popup))
      .toEqual({ error: 'mode: expected one of protect, monitor, off' });
    expect(router.rejected.ui).toBe(1);
  });

  it('applies a per-site mode to later reports and hellos', async () => {
    const { router, tallies } = setup();
    await router.handle({ type: 'ui/set-mode', site: 'example.co.uk', mode: 'monitor' }, popup);
    expect(await router.handle({ type: 'frame/hello' }, page)).toEqual({ mode: 'monitor' });
    await router.handle({ type: 'frame/reports', reports: [report()] }, page);
    // Monitor counts the attempt as allowed: nothing was blocked.
    expect((await tallies.get('example.co.uk'))?.origins['https://tracker.example']?.kinds.key).toEqual({ attempted: 2, blocked: 0, allowed: 2 });
  });
});
