// Pure tally arithmetic: folding validated reports into per-site,
// per-script-origin, per-hook-kind counts, within fixed bounds so storage
// cannot grow without limit however many sites a person visits.

import type { HookReport, Mode, OriginTally, SiteTally } from '../shared/types';

/**
 * 1: first release.
 * 2: OriginTally.sensitiveAllowed (sensitive attempts that were let through).
 */
export const SCHEMA_VERSION = 2;

export interface TallyDb {
  version: number;
  sites: Record<string, SiteTally>;
}

export const emptyDb = (): TallyDb => ({ version: SCHEMA_VERSION, sites: {} });

/** Bounds on what is kept; the least recently seen goes first. */
export interface Limits {
  maxSites: number;
  maxOriginsPerSite: number;
  /** Hour buckets of timeline per site (the default is 60 days). */
  maxTimelineBuckets: number;
}

export const DEFAULT_LIMITS: Limits = { maxSites: 2000, maxOriginsPerSite: 200, maxTimelineBuckets: 24 * 60 };

const HOUR = 3_600_000;

/** Whether a report's attempts count as blocked under the site's mode. */
export const isBlocked = (r: HookReport, mode: Mode): boolean => r.decision === 'deny' && mode === 'protect';

/** Folds reports into the db; returns how many attempts were blocked. */
export function applyReports(
  db: TallyDb, site: string, reports: readonly HookReport[], mode: Mode, now: number, limits: Limits = DEFAULT_LIMITS,
): number {
  let site_ = db.sites[site];
  if (site_ === undefined) {
    site_ = { site, origins: {}, firstSeen: now, lastSeen: now, timeline: {} };
    db.sites[site] = site_;
    evictOldest(db.sites, limits.maxSites, site);
  }
  site_.lastSeen = now;
  let blocked = 0;
  let attempts = 0;
  let newOrigin = false;
  for (const r of reports) {
    let o: OriginTally | undefined = site_.origins[r.origin];
    if (o === undefined) {
      o = { party: r.party, kinds: {}, sensitive: 0, sensitiveAllowed: 0, apis: {}, firstSeen: now, lastSeen: now };
      site_.origins[r.origin] = o;
      newOrigin = true;
    }
    // An origin seen as third-party anywhere on the site stays third-party.
    if (r.party === 'third') o.party = 'third';
    o.lastSeen = now;
    const c = o.kinds[r.kind] ?? (o.kinds[r.kind] = { attempted: 0, blocked: 0, allowed: 0 });
    c.attempted += r.count;
    const isDenied = isBlocked(r, mode);
    if (isDenied) {
      c.blocked += r.count;
      blocked += r.count;
    } else {
      c.allowed += r.count;
    }
    if (r.target === 'sensitive') {
      o.sensitive += r.count;
      if (!isDenied) o.sensitiveAllowed = (o.sensitiveAllowed ?? 0) + r.count;
    }
    o.apis[r.api] = (o.apis[r.api] ?? 0) + r.count;
    attempts += r.count;
  }
  // Evict after the batch so an origin in this very batch is never the one dropped.
  if (newOrigin) evictOldest(site_.origins, limits.maxOriginsPerSite, null);
  const bucket = String(Math.floor(now / HOUR));
  if (site_.timeline[bucket] === undefined) {
    site_.timeline[bucket] = 0;
    trimTimeline(site_.timeline, limits.maxTimelineBuckets);
  }
  site_.timeline[bucket] = (site_.timeline[bucket] ?? 0) + attempts;
  return blocked;
}

/** Drops the least recently seen entries until at most `max` remain; never `keep`. */
function evictOldest(entries: Record<string, { lastSeen: number }>, max: number, keep: string | null): void {
  const keys = Object.keys(entries);
  if (keys.length <= max) return;
  const order = keys.filter((k) => k !== keep).sort((a, b) => (entries[a]?.lastSeen ?? 0) - (entries[b]?.lastSeen ?? 0));
  for (let i = 0; i < keys.length - max && i < order.length; i++) delete entries[order[i] as string];
}

function trimTimeline(timeline: Record<string, number>, max: number): void {
  const keys = Object.keys(timeline);
  if (keys.length <= max) return;
  keys.sort((a, b) => Number(a) - Number(b));
  for (let i = 0; i < keys.length - max; i++) delete timeline[keys[i] as string];
}
