// Every message Untapped sends, typed per direction and validated where it
// crosses a trust boundary. Pages can reach none of these channels directly,
// but content scripts run in pages that may be hostile, so the background
// validates everything it receives.

import {
  HOOK_KINDS, MODES, TARGET_CLASSES,
  type HookReport, type Mode, type SiteTally,
} from './types';
import { arrayOf, count, fail, isRecord, ok, oneOf, str, type Result } from './validate';
import type { ModeSource, PolicyState } from './policy';
import { parseSettingsData, type SettingsData } from './settings-file';

/** Most report lines one message may carry (the guard aggregates, so this is generous). */
export const MAX_REPORTS_PER_MESSAGE = 500;
/** Most attempts one report line may claim. */
export const MAX_COUNT_PER_REPORT = 1_000_000;

// ---- guard (MAIN world) -> relay (ISOLATED world), over the private port ----
export type GuardToRelay =
  | { t: 'ready' }
  | { t: 'reports'; reports: HookReport[] };

// ---- relay -> guard ----
export type RelayToGuard = {
  t: 'mode';
  mode: Mode;
  /** Administrator policy (issue 5): extra sensitive-field CSS selectors. Optional. */
  sensitiveSelectors?: string[];
  /** Administrator policy: third-party script origins always allowed. Optional. */
  trustedOrigins?: string[];
};

// ---- relay (content script) -> background ----
export type ContentToBackground =
  | { type: 'frame/hello' }
  | { type: 'frame/reports'; reports: HookReport[] };

/** What the background answers to `frame/hello`. */
export interface HelloReply {
  mode: Mode;
  /** From the administrator's policy; absent when the policy sets none. */
  sensitiveSelectors?: string[];
  trustedOrigins?: string[];
}

// ---- extension pages (popup, dashboard) -> background ----
export type UiToBackground =
  | { type: 'ui/site'; site: string }
  | { type: 'ui/tab-site'; tabId: number }
  | { type: 'ui/all' }
  | { type: 'ui/set-mode'; site: string; mode: Mode }
  | { type: 'ui/clear'; site: string | null }
  | { type: 'ui/flush' }
  | { type: 'ui/policy' }
  /** The user's settings (dashboard export); answered with SettingsData. */
  | { type: 'ui/settings' }
  /** Replaces the user's settings with an imported file's; answered with SettingsData. */
  | { type: 'ui/import-settings'; settings: SettingsData };

/** What the background answers to `ui/policy`: the parsed policy and its warnings. */
export type PolicyView = PolicyState;

export interface SiteView {
  site: string;
  tally: SiteTally | null;
  mode: Mode;
  /** True when an administrator's policy fixes this site's mode. */
  locked: boolean;
  /** Where the mode comes from (administrator or user); see shared/policy. */
  source?: ModeSource;
  /** Set when a ui/set-mode was refused (the site is locked); the view is unchanged. */
  refused?: string;
}

export function parseReport(v: unknown, field: string): Result<HookReport> {
  if (!isRecord(v)) return fail(`${field}: expected an object`);
  const kind = oneOf(v.kind, HOOK_KINDS, `${field}.kind`);
  if (!kind.ok) return kind;
  const api = str(v.api, `${field}.api`, 80);
  if (!api.ok) return api;
  const origin = str(v.origin, `${field}.origin`, 300);
  if (!origin.ok) return origin;
  if (!/^(inline|opaque|extension|[a-z][a-z0-9+.-]*:\/\/[^\s/]+)$/.test(origin.value)) {
    return fail(`${field}.origin: not an origin`);
  }
  const party = oneOf(v.party, ['first', 'third'] as const, `${field}.party`);
  if (!party.ok) return party;
  const decision = oneOf(v.decision, ['allow', 'deny'] as const, `${field}.decision`);
  if (!decision.ok) return decision;
  const target = oneOf(v.target, TARGET_CLASSES, `${field}.target`);
  if (!target.ok) return target;
  const n = count(v.count, `${field}.count`, MAX_COUNT_PER_REPORT);
  if (!n.ok) return n;
  if (n.value === 0) return fail(`${field}.count: must be at least 1`);
  return ok({
    kind: kind.value, api: api.value, origin: origin.value, party: party.value,
    decision: decision.value, target: target.value, count: n.value,
  });
}

export function parseReports(v: unknown, field = 'reports'): Result<HookReport[]> {
  return arrayOf(v, field, MAX_REPORTS_PER_MESSAGE, parseReport);
}

export function parseGuardToRelay(v: unknown): Result<GuardToRelay> {
  if (!isRecord(v)) return fail('message: expected an object');
  if (v.t === 'ready') return ok({ t: 'ready' });
  if (v.t === 'reports') {
    const r = parseReports(v.reports);
    return r.ok ? ok({ t: 'reports', reports: r.value }) : r;
  }
  return fail('message.t: unknown');
}

export function parseContentToBackground(v: unknown): Result<ContentToBackground> {
  if (!isRecord(v)) return fail('message: expected an object');
  if (v.type === 'frame/hello') return ok({ type: 'frame/hello' });
  if (v.type === 'frame/reports') {
    const r = parseReports(v.reports);
    return r.ok ? ok({ type: 'frame/reports', reports: r.value }) : r;
  }
  return fail('message.type: unknown');
}

const SITE_RE = /^[a-z0-9.:\[\]-]{1,253}$/;

export function parseSite(v: unknown, field: string): Result<string> {
  const s = str(v, field, 253);
  if (!s.ok) return s;
  return SITE_RE.test(s.value) ? s : fail(`${field}: not a site name`);
}

export function parseUiToBackground(v: unknown): Result<UiToBackground> {
  if (!isRecord(v)) return fail('message: expected an object');
  switch (v.type) {
    case 'ui/site': {
      const site = parseSite(v.site, 'site');
      return site.ok ? ok({ type: 'ui/site', site: site.value }) : site;
    }
    case 'ui/tab-site': {
      const tabId = count(v.tabId, 'tabId');
      return tabId.ok ? ok({ type: 'ui/tab-site', tabId: tabId.value }) : tabId;
    }
    case 'ui/all':
      return ok({ type: 'ui/all' });
    case 'ui/flush':
      return ok({ type: 'ui/flush' });
    case 'ui/policy':
      return ok({ type: 'ui/policy' });
    case 'ui/settings':
      return ok({ type: 'ui/settings' });
    case 'ui/import-settings': {
      const settings = parseSettingsData(v.settings, 'settings');
      return settings.ok ? ok({ type: 'ui/import-settings', settings: settings.value }) : settings;
    }
    case 'ui/set-mode': {
      const site = parseSite(v.site, 'site');
      if (!site.ok) return site;
      const mode = oneOf(v.mode, MODES, 'mode');
      return mode.ok ? ok({ type: 'ui/set-mode', site: site.value, mode: mode.value }) : mode;
    }
    case 'ui/clear': {
      if (v.site === null) return ok({ type: 'ui/clear', site: null });
      const site = parseSite(v.site, 'site');
      return site.ok ? ok({ type: 'ui/clear', site: site.value }) : site;
    }
    default:
      return fail('message.type: unknown');
  }
}
