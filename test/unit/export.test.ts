import { describe, expect, it } from 'vitest';
import { csvCell, talliesCsv, talliesJson } from '../../src/ui/export';
import type { TallyDb } from '../../src/background/tally';

const db: TallyDb = {
  version: 2,
  sites: {
    'shop.example': {
      site: 'shop.example', firstSeen: 0, lastSeen: 3_600_000, timeline: { 0: 3, 1: 4 },
      origins: {
        'https://t.example': {
          party: 'third', sensitive: 2, sensitiveAllowed: 0, apis: {}, firstSeen: 0, lastSeen: 3_600_000,
          kinds: { key: { attempted: 5, blocked: 5, allowed: 0 }, tap: { attempted: 1, blocked: 1, allowed: 0 } },
        },
        'https://shop.example': {
          party: 'first', sensitive: 0, sensitiveAllowed: 0, apis: {}, firstSeen: 0, lastSeen: 0,
          kinds: { key: { attempted: 1, blocked: 0, allowed: 1 } },
        },
      },
    },
  },
};

describe('tally export', () => {
  it('CSV: one row per site, origin and kind, with the site score', () => {
    expect(talliesCsv(db).split('\r\n')).toEqual([
      'site,origin,party,kind,attempted,blocked,allowed,sensitive,sensitive_allowed,first_seen,last_seen,score_without,grade_without,score_with,grade_with',
      'shop.example,https://shop.example,first,key,1,0,1,0,0,1970-01-01T00:00:00.000Z,1970-01-01T00:00:00.000Z,40,C,0,A',
      'shop.example,https://t.example,third,key,5,5,0,2,0,1970-01-01T00:00:00.000Z,1970-01-01T01:00:00.000Z,40,C,0,A',
      'shop.example,https://t.example,third,tap,1,1,0,2,0,1970-01-01T00:00:00.000Z,1970-01-01T01:00:00.000Z,40,C,0,A',
      '',
    ]);
  });

  it('CSV cells are quoted when needed and never start a formula', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(-1)).toBe('-1');
  });

  it('JSON: everything, with what it is and when', () => {
    const parsed = JSON.parse(talliesJson(db, Date.UTC(2026, 0, 2)));
    expect(parsed).toEqual({ format: 'untapped-tallies', exportedAt: '2026-01-02T00:00:00.000Z', ...db });
  });
});
