// Tally exports for people and researchers: JSON (everything, as stored) and
// CSV (one row per site, script origin and hook kind, with the site's score).

import type { TallyDb } from '../background/tally';
import { HOOK_KINDS } from '../shared/types';
import { scoreSite } from '../shared/score';

export const TALLIES_FORMAT = 'untapped-tallies';

export function talliesJson(db: TallyDb, now: number): string {
  return JSON.stringify({ format: TALLIES_FORMAT, exportedAt: new Date(now).toISOString(), ...db }, null, 2);
}

export const CSV_COLUMNS = [
  'site', 'origin', 'party', 'kind', 'attempted', 'blocked', 'allowed', 'sensitive', 'sensitive_allowed',
  'first_seen', 'last_seen', 'score_without', 'grade_without', 'score_with', 'grade_with',
] as const;

/** Quotes when needed, and defuses cells a spreadsheet would run as a formula. */
export function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function talliesCsv(db: TallyDb): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const site of Object.keys(db.sites).sort()) {
    const t = db.sites[site]!;
    const sc = scoreSite(t);
    for (const origin of Object.keys(t.origins).sort()) {
      const o = t.origins[origin]!;
      for (const kind of HOOK_KINDS) {
        const c = o.kinds[kind];
        if (!c) continue;
        lines.push([
          site, origin, o.party, kind, c.attempted, c.blocked, c.allowed, o.sensitive, o.sensitiveAllowed ?? 0,
          new Date(o.firstSeen).toISOString(), new Date(o.lastSeen).toISOString(),
          sc.exposure.score, sc.exposure.grade, sc.residual.score, sc.residual.grade,
        ].map(csvCell).join(','));
      }
    }
  }
  return lines.join('\r\n') + '\r\n';
}
