// Pure tally arithmetic: folding validated reports into per-site,
// per-script-origin, per-hook-kind counts.

import type { HookReport, Mode, OriginTally, SiteTally } from '../shared/types';

export const SCHEMA_VERSION = 1;

export interface TallyDb {
  version: number;
  sites: Record<string, SiteTally>;
}

export const emptyDb = (): TallyDb => ({ version: SCHEMA_VERSION, sites: {} });

const HOUR = 3_600_000;

/** Whether a report's attempts count as blocked under the site's mode. */
export const isBlocked = (r: HookReport, mode: Mode): boolean => r.decision === 'deny' && mode === 'protect';

/** Folds reports into the db; returns how many attempts were blocked. */
export function applyReports(db: TallyDb, site: string, reports: readonly HookReport[], mode: Mode, now: number): number {
  let site_ = db.sites[site];
  if (site_ === undefined) {
    site_ = { site, origins: {}, firstSeen: now, lastSeen: now, timeline: {} };
    db.sites[site] = site_;
  }
  site_.lastSeen = now;
  let blocked = 0;
  let attempts = 0;
  for (const r of reports) {
    let o: OriginTally | undefined = site_.origins[r.origin];
    if (o === undefined) {
      o = { party: r.party, kinds: {}, sensitive: 0, apis: {}, firstSeen: now, lastSeen: now };
      site_.origins[r.origin] = o;
    }
    // An origin seen as third-party anywhere on the site stays third-party.
    if (r.party === 'third') o.party = 'third';
    o.lastSeen = now;
    const c = o.kinds[r.kind] ?? (o.kinds[r.kind] = { attempted: 0, blocked: 0, allowed: 0 });
    c.attempted += r.count;
    if (isBlocked(r, mode)) {
      c.blocked += r.count;
      blocked += r.count;
    } else {
      c.allowed += r.count;
    }
    if (r.target === 'sensitive') o.sensitive += r.count;
    o.apis[r.api] = (o.apis[r.api] ?? 0) + r.count;
    attempts += r.count;
  }
  const bucket = String(Math.floor(now / HOUR));
  site_.timeline[bucket] = (site_.timeline[bucket] ?? 0) + attempts;
  return blocked;
}
