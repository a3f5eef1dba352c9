// Routes validated messages to the stores. Content-script and extension-page
// messages are told apart by who sent them, never by what they claim.

import { parseContentToBackground, parseUiToBackground, type HelloReply, type SiteView, type UiToBackground } from '../shared/messages';
import { siteOfUrl } from '../shared/site';
import type { TallyStore } from './store';
import type { SettingsStore } from './settings';
import { modeFor, resolveSite } from './settings';
import { applyTrusted, noPolicy, type PolicyState } from '../shared/policy';
import type { Badge } from './badge';
import type { TallyDb } from './tally';

export interface Sender {
  id?: string;
  url?: string;
  frameId?: number;
  tab?: { id?: number; url?: string };
}

export interface RouterDeps {
  extensionId: string;
  extensionBaseUrl: string;
  tallies: TallyStore;
  settings: SettingsStore;
  badge: Badge;
  tabUrl: (tabId: number) => Promise<string | undefined>;
  badgeColor: (site: string) => Promise<string>;
  onError: (what: string, err: unknown) => void;
  /** Administrator policy (background/policy.ts); none when absent. */
  policy?: { get(): Promise<PolicyState>; refresh?(): Promise<PolicyState> };
  /** Called after reports were tallied (the reporting endpoint cuts batches from the tallies). */
  onTallied?: () => void;
}

export interface Router {
  handle(msg: unknown, sender: Sender): Promise<unknown> | undefined;
  /** Invalid messages received, by kind, for diagnostics and tests. */
  readonly rejected: { content: number; ui: number; sender: number; locked: number };
}

function topSite(sender: Sender): string {
  const url = sender.tab?.url ?? (sender.frameId === 0 ? sender.url : undefined);
  return url ? siteOfUrl(url) : '';
}

export function createRouter(deps: RouterDeps): Router {
  const rejected = { content: 0, ui: 0, sender: 0, locked: 0 };

  const fromExtensionPage = (s: Sender): boolean =>
    s.id === deps.extensionId && typeof s.url === 'string' && s.url.startsWith(deps.extensionBaseUrl);

  const fromContentScript = (s: Sender): boolean =>
    s.id === deps.extensionId && s.tab !== undefined && typeof s.tab.id === 'number' && !fromExtensionPage(s);

  const policyState = (): Promise<PolicyState> => deps.policy?.get() ?? Promise.resolve(noPolicy());

  async function siteView(site: string): Promise<SiteView> {
    const settings = await deps.settings.get();
    const eff = resolveSite(settings, site, (await policyState()).policy);
    return { site, tally: await deps.tallies.get(site), mode: eff.mode, locked: eff.locked, source: eff.source };
  }

  const ui: { [K in UiToBackground['type']]: (m: Extract<UiToBackground, { type: K }>) => Promise<unknown> } = {
    'ui/site': (m) => siteView(m.site),
    'ui/tab-site': async (m) => {
      const url = await deps.tabUrl(m.tabId);
      return siteView(url ? siteOfUrl(url) : '');
    },
    'ui/all': (): Promise<TallyDb> => deps.tallies.all(),
    'ui/set-mode': async (m) => {
      // Enforced here, not only by the disabled switch in the UI.
      const eff = resolveSite(await deps.settings.get(), m.site, (await policyState()).policy);
      if (eff.locked) {
        rejected.locked++;
        return { ...(await siteView(m.site)), refused: `${m.site}: the protection mode is set by your administrator` };
      }
      await deps.settings.setSiteMode(m.site, m.mode);
      return siteView(m.site);
    },
    // Read afresh: the dashboard asks after storage.onChanged, which may reach it before us.
    'ui/policy': () => deps.policy?.refresh?.() ?? policyState(),
    'ui/settings': () => deps.settings.get(),
    'ui/import-settings': (m) => deps.settings.replace(m.settings),
    'ui/clear': async (m) => {
      await deps.tallies.clear(m.site);
      return true;
    },
    'ui/flush': async () => {
      await deps.tallies.flush();
      return true;
    },
  };

  /**
   * One tab's messages are handled in the order they came: a page's hello
   * resets its badge, and the reports sent right after it (the guard sends
   * its first batch at once) must not be counted before that reset.
   */
  const tabQueues = new Map<number, Promise<unknown>>();
  function inTabOrder(msg: unknown, sender: Sender): Promise<unknown> {
    const tabId = sender.tab?.id as number;
    const prev = tabQueues.get(tabId) ?? Promise.resolve();
    const next = prev.then(() => handleContent(msg, sender));
    // The chain continues whatever this message's outcome; the caller sees its error.
    const tail = next.catch((e: unknown) => deps.onError('content message', e));
    tabQueues.set(tabId, tail);
    void tail.then(() => { if (tabQueues.get(tabId) === tail) tabQueues.delete(tabId); });
    return next;
  }

  async function handleContent(msg: unknown, sender: Sender): Promise<unknown> {
    const parsed = parseContentToBackground(msg);
    if (!parsed.ok) {
      rejected.content++;
      return undefined;
    }
    const tabId = sender.tab?.id as number;
    const site = topSite(sender);
    const settings = await deps.settings.get();
    const { policy } = await policyState();
    const mode = modeFor(settings, site, policy);
    if (parsed.value.type === 'frame/hello') {
      if (sender.frameId === 0 && site) await deps.badge.reset(tabId, await deps.badgeColor(site));
      const reply: HelloReply = { mode };
      if (policy.sensitiveSelectors.length > 0) reply.sensitiveSelectors = policy.sensitiveSelectors;
      if (policy.trustedOrigins.length > 0) reply.trustedOrigins = policy.trustedOrigins;
      return reply;
    }
    if (!site) return undefined;
    const blocked = await deps.tallies.add(site, applyTrusted(parsed.value.reports, policy.trustedOrigins), mode);
    deps.onTallied?.();
    await deps.badge.add(tabId, blocked, await deps.badgeColor(site));
    return undefined;
  }

  async function handleUi(msg: unknown): Promise<unknown> {
    const parsed = parseUiToBackground(msg);
    if (!parsed.ok) {
      rejected.ui++;
      return { error: parsed.error };
    }
    const m = parsed.value;
    return (ui[m.type] as (m: UiToBackground) => Promise<unknown>)(m);
  }

  return {
    rejected,
    handle(msg, sender) {
      if (fromExtensionPage(sender)) return handleUi(msg);
      if (fromContentScript(sender)) return inTabOrder(msg, sender);
      rejected.sender++;
      return undefined;
    },
  };
}
