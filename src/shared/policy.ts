// Administrator policy (storage.managed): parsed in one place, merged with
// the user's settings in one place. Every key is optional; a bad value is
// dropped with a warning that names the key, and the rest of the policy still
// applies. Nothing here throws on input. Keys and meaning: managed_schema.json
// and docs/admin-guide.md.

import { MODES, type HookReport, type Mode } from './types';
import { isRecord, type Result, fail, ok } from './validate';

export interface SiteRule {
  /** `example.com` (that site) or `*.example.com` (that site and every site under it). */
  pattern: string;
  mode: Mode;
  /** When true the user cannot change this site's mode. */
  locked: boolean;
}

export interface ReportingPolicy {
  endpoint: string;
  intervalSeconds: number;
}

export interface Policy {
  defaultMode?: Mode;
  sites: SiteRule[];
  /** The global lock: users may change nothing. */
  lockAllSettings: boolean;
  sensitiveSelectors: string[];
  trustedOrigins: string[];
  reporting?: ReportingPolicy;
}

export interface PolicyWarning {
  /** The key as an admin wrote it, e.g. `sites[1].pattern`. */
  key: string;
  message: string;
}

export interface PolicyState {
  policy: Policy;
  warnings: PolicyWarning[];
  /** False when there is no policy at all (Firefox rejects; Chromium returns {}). */
  present: boolean;
}

export const emptyPolicy = (): Policy => ({ sites: [], lockAllSettings: false, sensitiveSelectors: [], trustedOrigins: [] });
export const noPolicy = (): PolicyState => ({ policy: emptyPolicy(), warnings: [], present: false });

export const KNOWN_KEYS = ['defaultMode', 'sites', 'lockAllSettings', 'sensitiveSelectors', 'trustedOrigins', 'reporting'] as const;

export const MAX_SITE_RULES = 1000;
export const MAX_SELECTORS = 200;
export const MAX_TRUSTED = 500;
export const DEFAULT_REPORT_INTERVAL_S = 300;
export const MIN_REPORT_INTERVAL_S = 1;
export const MAX_REPORT_INTERVAL_S = 86_400;

const isMode = (v: unknown): v is Mode => typeof v === 'string' && (MODES as readonly string[]).includes(v);

// A site as Untapped keys it (registrable domain, IP or single label), with an
// optional `*.` in front. Same alphabet the message validators accept.
const PATTERN_RE = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$|^(\*\.)?\[[0-9a-f:.]+\]$/;

export function parsePattern(v: unknown, key: string): Result<string> {
  if (typeof v !== 'string') return fail(`${key}: expected a string`);
  const p = v.trim().toLowerCase().replace(/\.$/, '');
  if (p.length === 0 || p.length > 253 || !PATTERN_RE.test(p)) {
    return fail(`${key}: "${v}" is not a site pattern (use example.com or *.example.com)`);
  }
  return ok(p);
}

/** An http(s) origin, normalised the way the guard reports origins. */
export function parseOrigin(v: unknown, key: string): Result<string> {
  if (typeof v !== 'string') return fail(`${key}: expected a string`);
  let u: URL;
  try {
    u = new URL(v);
  } catch (e) {
    return fail(`${key}: "${v}" is not a URL (${e instanceof Error ? e.message : 'unparseable'})`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return fail(`${key}: "${v}" is not an http(s) origin`);
  if (u.pathname !== '/' || u.search || u.hash || u.username || u.password) {
    return fail(`${key}: "${v}" is not an origin (no path, query or credentials; e.g. https://cdn.example.com)`);
  }
  return ok(u.origin);
}

/**
 * A cheap syntactic check for CSS selectors, usable where there is no DOM (the
 * Chromium service worker). It rejects what would break `querySelector` most
 * often or smuggle in a rule block; the guard must still try/catch each use.
 */
export function checkSelector(v: unknown, key: string): Result<string> {
  if (typeof v !== 'string') return fail(`${key}: expected a string`);
  const s = v.trim();
  if (s.length === 0 || s.length > 500) return fail(`${key}: selector must be 1 to 500 characters`);
  if (/[{};]/.test(s)) return fail(`${key}: "${v}" is not a selector (contains { } or ;)`);
  const closers: Record<string, string> = { '[': ']', '(': ')' };
  const stack: string[] = [];
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\') { i++; continue; }
    if (quote) { if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') stack.push(closers[c] as string);
    else if (c === ']' || c === ')') { if (stack.pop() !== c) return fail(`${key}: "${v}" has an unmatched ${c}`); }
  }
  if (quote || stack.length > 0) return fail(`${key}: "${v}" is not a complete selector (unclosed ${quote ?? stack[stack.length - 1]})`);
  if (/^[>+~,]|[>+~,]$/.test(s)) return fail(`${key}: "${v}" starts or ends with a combinator`);
  return ok(s);
}

function parseList<T>(
  raw: unknown, key: string, max: number, each: (v: unknown, key: string) => Result<T>, warnings: PolicyWarning[],
): T[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    warnings.push({ key, message: `${key}: expected a list; ignored` });
    return [];
  }
  if (raw.length > max) warnings.push({ key, message: `${key}: more than ${max} entries; only the first ${max} are used` });
  const out: T[] = [];
  raw.slice(0, max).forEach((v, i) => {
    const r = each(v, `${key}[${i}]`);
    if (r.ok) out.push(r.value);
    // Errors start with the exact field that failed (`sites[1].pattern: ...`).
    else warnings.push({ key: r.error.slice(0, r.error.indexOf(':')), message: `${r.error}; ignored` });
  });
  return out;
}

function parseRule(v: unknown, key: string, warnings: PolicyWarning[]): Result<SiteRule> {
  if (!isRecord(v)) return fail(`${key}: expected an object with pattern and mode`);
  const pattern = parsePattern(v.pattern, `${key}.pattern`);
  if (!pattern.ok) return pattern;
  if (!isMode(v.mode)) return fail(`${key}.mode: expected one of ${MODES.join(', ')}`);
  let locked = false;
  if (v.locked !== undefined) {
    if (typeof v.locked === 'boolean') locked = v.locked;
    // The rule stays usable (unlocked) so one wrong flag does not drop a mode.
    else warnings.push({ key: `${key}.locked`, message: `${key}.locked: expected true or false; treated as false` });
  }
  return ok({ pattern: pattern.value, mode: v.mode, locked });
}

/** Parses whatever storage.managed held. Never throws; unknown keys are warned about. */
export function parsePolicy(raw: unknown): PolicyState {
  const state = noPolicy();
  const { policy, warnings } = state;
  if (raw === undefined || raw === null) return state;
  if (!isRecord(raw)) {
    warnings.push({ key: '(policy)', message: '(policy): expected an object; whole policy ignored' });
    state.present = true;
    return state;
  }
  state.present = Object.keys(raw).length > 0;

  for (const k of Object.keys(raw)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(k)) warnings.push({ key: k, message: `${k}: not a setting Untapped knows; ignored` });
  }

  if (raw.defaultMode !== undefined) {
    if (isMode(raw.defaultMode)) policy.defaultMode = raw.defaultMode;
    else warnings.push({ key: 'defaultMode', message: `defaultMode: expected one of ${MODES.join(', ')}; ignored` });
  }

  policy.sites = parseList(raw.sites, 'sites', MAX_SITE_RULES, (v, key) => parseRule(v, key, warnings), warnings);
  const seen = new Set<string>();
  policy.sites = policy.sites.filter((r, i) => {
    if (!seen.has(r.pattern)) { seen.add(r.pattern); return true; }
    warnings.push({ key: `sites[${i}].pattern`, message: `sites[${i}].pattern: "${r.pattern}" appears more than once; the first rule wins` });
    return false;
  });

  if (raw.lockAllSettings !== undefined) {
    if (typeof raw.lockAllSettings === 'boolean') policy.lockAllSettings = raw.lockAllSettings;
    else warnings.push({ key: 'lockAllSettings', message: 'lockAllSettings: expected true or false; ignored' });
  }

  policy.sensitiveSelectors = parseList(raw.sensitiveSelectors, 'sensitiveSelectors', MAX_SELECTORS, checkSelector, warnings);
  policy.trustedOrigins = [...new Set(parseList(raw.trustedOrigins, 'trustedOrigins', MAX_TRUSTED, parseOrigin, warnings))];

  if (raw.reporting !== undefined) {
    const r = parseReporting(raw.reporting, warnings);
    if (r) policy.reporting = r;
  }
  return state;
}

function parseReporting(raw: unknown, warnings: PolicyWarning[]): ReportingPolicy | undefined {
  if (!isRecord(raw)) {
    warnings.push({ key: 'reporting', message: 'reporting: expected an object with endpoint; ignored' });
    return undefined;
  }
  let endpoint: URL;
  try {
    endpoint = new URL(String(raw.endpoint ?? ''));
  } catch {
    warnings.push({ key: 'reporting.endpoint', message: `reporting.endpoint: "${String(raw.endpoint)}" is not a URL; reporting is off` });
    return undefined;
  }
  if (typeof raw.endpoint !== 'string' || (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') || endpoint.username || endpoint.password) {
    warnings.push({ key: 'reporting.endpoint', message: 'reporting.endpoint: expected an http(s) URL without credentials; reporting is off' });
    return undefined;
  }
  let intervalSeconds = DEFAULT_REPORT_INTERVAL_S;
  const iv = raw.intervalSeconds;
  if (iv !== undefined) {
    if (typeof iv === 'number' && Number.isInteger(iv) && iv >= MIN_REPORT_INTERVAL_S && iv <= MAX_REPORT_INTERVAL_S) intervalSeconds = iv;
    else warnings.push({ key: 'reporting.intervalSeconds', message: `reporting.intervalSeconds: expected a whole number from ${MIN_REPORT_INTERVAL_S} to ${MAX_REPORT_INTERVAL_S}; using ${DEFAULT_REPORT_INTERVAL_S}` });
  }
  for (const k of Object.keys(raw)) {
    if (k !== 'endpoint' && k !== 'intervalSeconds') warnings.push({ key: `reporting.${k}`, message: `reporting.${k}: not a setting Untapped knows; ignored` });
  }
  return { endpoint: endpoint.href, intervalSeconds };
}

/** Whether `pattern` covers `site`, and how specifically (higher wins; -1: no match). */
export function matchScore(pattern: string, site: string): number {
  if (pattern.startsWith('*.')) {
    const base = pattern.slice(2);
    return site === base || site.endsWith('.' + base) ? base.length : -1;
  }
  // An exact name always beats any wildcard.
  return site === pattern ? 1000 + pattern.length : -1;
}

export function ruleFor(policy: Policy, site: string): SiteRule | undefined {
  let best: SiteRule | undefined;
  let bestScore = -1;
  for (const r of policy.sites) {
    const s = matchScore(r.pattern, site);
    if (s > bestScore) { best = r; bestScore = s; }
  }
  return best;
}

/** Where a site's effective mode comes from, for the UI. */
export type ModeSource = 'policy-locked' | 'policy-global-lock' | 'user' | 'policy-rule' | 'policy-default' | 'default';

export interface Effective {
  mode: Mode;
  locked: boolean;
  source: ModeSource;
}

export interface UserModes {
  defaultMode: Mode;
  sites: Record<string, Mode>;
}

/**
 * The one merge of policy and user settings. Order:
 * 1. a locked policy rule for the site;
 * 2. the global lock: the user's choices are ignored, policy rule or default applies;
 * 3. the user's own choice for the site;
 * 4. an unlocked policy rule (the admin's default for that site);
 * 5. the policy's default mode, then the user's default mode.
 */
export function effectiveMode(user: UserModes, policy: Policy, site: string): Effective {
  const rule = site ? ruleFor(policy, site) : undefined;
  if (rule?.locked) return { mode: rule.mode, locked: true, source: 'policy-locked' };
  if (policy.lockAllSettings) {
    if (rule) return { mode: rule.mode, locked: true, source: 'policy-global-lock' };
    return { mode: policy.defaultMode ?? user.defaultMode, locked: true, source: 'policy-global-lock' };
  }
  const own = site ? user.sites[site] : undefined;
  if (own !== undefined) return { mode: own, locked: false, source: 'user' };
  if (rule) return { mode: rule.mode, locked: false, source: 'policy-rule' };
  if (policy.defaultMode !== undefined) return { mode: policy.defaultMode, locked: false, source: 'policy-default' };
  return { mode: user.defaultMode, locked: false, source: 'default' };
}

/**
 * Reports as the administrator's trusted origins make them: an attempt by a
 * trusted origin is tallied as allowed first-party code, as the guard reports
 * it once the frame has its settings. Needed because a frame starts fail-closed
 * and may report (and then let through, as its listeners decide per event) a
 * trusted origin's registrations before its settings arrive; at browser start
 * Chromium's first storage.managed read takes about 3 s.
 */
export function applyTrusted(reports: HookReport[], trustedOrigins: readonly string[]): HookReport[] {
  if (trustedOrigins.length === 0) return reports;
  const trusted = new Set(trustedOrigins);
  return reports.map((r) => (r.party === 'third' && trusted.has(r.origin) ? { ...r, party: 'first', decision: 'allow' } : r));
}
