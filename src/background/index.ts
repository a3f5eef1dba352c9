// Background entry: a service worker in Chromium, an event page in Firefox.
// The thin shell that hands browser.* to the logic modules. Listeners are
// registered synchronously at top level so a woken worker sees the event that
// woke it.

import browser from 'webextension-polyfill';
import { TallyStore } from './store';
import { SettingsStore, SETTINGS_KEY } from './settings';
import { Badge, badgeColorFor } from './badge';
import { createRouter, type Sender } from './router';
import { PolicyStore } from './policy';
import { Reporter } from './reporting';
import { createDefuseListener, type StreamFilterLike } from './firefox-source-names';
import { modeFor } from './settings';
import { siteOfUrl } from '../shared/site';

const onError = (what: string, err: unknown): void => console.warn('[untapped]', what, err);

const tallies = new TallyStore({
  area: browser.storage.local,
  setTimer: (fn, ms) => setTimeout(fn, ms),
  now: () => Date.now(),
  onError,
});
const settings = new SettingsStore(browser.storage.local);
const badge = new Badge({
  // storage.session exists in both browsers' MV3; fall back to memory if not.
  session: browser.storage.session ?? { get: async () => ({}), set: async () => undefined },
  setText: (tabId, text) => browser.action.setBadgeText({ tabId, text }),
  setColor: (tabId, color) => browser.action.setBadgeBackgroundColor({ tabId, color }),
  onError,
});

// Administrator policy (issue 5): read once here, re-read on storage.onChanged
// for `managed`; the reporting endpoint follows it.
const policy = new PolicyStore({ getManaged: () => browser.storage.managed.get(), onError });
const reporter = new Reporter({
  fetch: (url, init) => fetch(url, init),
  tallies: () => tallies.all(),
  area: browser.storage.local,
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
  onError,
});
const applyReporting = (): void => {
  policy.get().then((s) => reporter.configure(s.policy.reporting)).catch((e: unknown) => onError('apply reporting policy', e));
};
policy.onChange((s) => void reporter.configure(s.policy.reporting).catch((e: unknown) => onError('apply reporting policy', e)));
applyReporting();

const router = createRouter({
  extensionId: browser.runtime.id,
  extensionBaseUrl: browser.runtime.getURL(''),
  tallies,
  settings,
  badge,
  tabUrl: async (tabId) => (await browser.tabs.get(tabId)).url,
  badgeColor: async (site) => badgeColorFor(await tallies.get(site)),
  onError,
  policy,
  onTallied: () => void reporter.poke().catch((e: unknown) => onError('reporting', e)),
});

browser.runtime.onMessage.addListener((msg: unknown, sender: browser.Runtime.MessageSender) =>
  router.handle(msg, sender as Sender));

browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && SETTINGS_KEY in changes) settings.invalidate();
  if (area === 'managed') void policy.changed();
});

// Firefox only (it alone has filterResponseData, and only its build asks for
// the permission): defuse `//# sourceURL=` names in other sites' scripts,
// which SpiderMonkey would print in their stacks in place of their URLs.
const webRequest = browser.webRequest as (typeof browser.webRequest & {
  filterResponseData?: (id: string) => StreamFilterLike;
}) | undefined;
if (typeof webRequest?.filterResponseData === 'function') {
  const filterResponseData = webRequest.filterResponseData.bind(webRequest);
  webRequest.onBeforeRequest.addListener(
    createDefuseListener({
      filterResponseData,
      modeFor: async (topUrl) => modeFor(await settings.get(), topUrl ? siteOfUrl(topUrl) : '', (await policy.get()).policy),
      onError,
    }),
    { urls: ['<all_urls>'], types: ['script'] },
    ['blocking'],
  );
}

browser.tabs.onRemoved.addListener((tabId) => badge.forget(tabId));

// Flush pending tally writes when the event page / worker is about to go.
browser.runtime.onSuspend?.addListener(() => void tallies.flush());
