// The worked examples of docs/score.md, exactly.
import { describe, expect, it } from 'vitest';
import { gradeFor, scoreSite } from '../../src/shared/score';
import type { Counts, HookKind, OriginTally, Party, SiteTally } from '../../src/shared/types';

type C = [number, number, number];
const counts = ([attempted, blocked, allowed]: C): Counts => ({ attempted, blocked, allowed });

function origin(party: Party, kinds: Partial<Record<HookKind, C>>, sensitive = 0, sensitiveAllowed = 0): OriginTally {
  const k: OriginTally['kinds'] = {};
  for (const [kind, c] of Object.entries(kinds) as [HookKind, C][]) k[kind] = counts(c);
  return { party, kinds: k, sensitive, sensitiveAllowed, apis: {}, firstSeen: 1, lastSeen: 2 };
}

const site = (origins: Record<string, OriginTally>): SiteTally => ({ site: 'shop.example', origins, firstSeen: 1, lastSeen: 2, timeline: {} });

describe('surveillance score: docs/score.md worked examples', () => {
  it('1. checkout page with a TikTok-style keylogger, Protect: 20 B without, 0 A with', () => {
    const s = scoreSite(site({
      'http://localhost:8080': origin('third', { key: [2, 2, 0], tap: [1, 1, 0] }),
      'http://127.0.0.1:8080': origin('first', { key: [6, 0, 6], tap: [1, 0, 1] }),
    }));
    expect(s.exposure).toEqual({ score: 20, grade: 'B', origins: { typing: 1, sensitive: 0, taps: 1, prototype: 0 } });
    expect(s.residual).toEqual({ score: 0, grade: 'A', origins: { typing: 0, sensitive: 0, taps: 0, prototype: 0 } });
    expect(s.firstPartyAttempts).toBe(7);
  });

  it('2. the same page in Monitor: 20 B both', () => {
    const s = scoreSite(site({ 'http://localhost:8080': origin('third', { key: [2, 0, 2], tap: [1, 0, 1] }) }));
    expect([s.exposure.score, s.exposure.grade, s.residual.score, s.residual.grade]).toEqual([20, 'B', 20, 'B']);
  });

  it('3. login page with three analytics scripts: 55 D without, 20 B with', () => {
    const s = scoreSite(site({
      'https://a.example': origin('third', { key: [4, 4, 0] }, 4, 0),
      'https://b.example': origin('third', { value: [10, 6, 4] }),
      'https://c.example': origin('third', { tap: [3, 0, 3] }),
    }));
    expect(s.exposure).toEqual({ score: 55, grade: 'D', origins: { typing: 2, sensitive: 1, taps: 1, prototype: 0 } });
    expect(s.residual).toEqual({ score: 20, grade: 'B', origins: { typing: 1, sensitive: 0, taps: 1, prototype: 0 } });
  });

  it('4. heavily instrumented shop: capped at 100 F without, 0 A with', () => {
    const origins: Record<string, OriginTally> = {};
    for (let i = 0; i < 4; i++) {
      const kinds: Partial<Record<HookKind, C>> = { key: [5, 5, 0] };
      if (i < 3) kinds.tap = [2, 2, 0];
      if (i < 2) kinds.prototype = [1, 1, 0];
      origins[`https://t${i}.example`] = origin('third', kinds, 5, 0);
    }
    const s = scoreSite(site(origins));
    expect(s.exposure).toEqual({ score: 100, grade: 'F', origins: { typing: 4, sensitive: 4, taps: 3, prototype: 2 } });
    expect(s.residual.score).toBe(0);
    expect(s.residual.grade).toBe('A');
  });

  it('5. a site that only watches itself: 0 A, first-party attempts shown for information', () => {
    const s = scoreSite(site({ 'https://shop.example': origin('first', { key: [1000, 0, 1000] }) }));
    expect([s.exposure.score, s.exposure.grade, s.residual.score, s.residual.grade]).toEqual([0, 'A', 0, 'A']);
    expect(s.firstPartyAttempts).toBe(1000);
  });
});

describe('surveillance score: edges', () => {
  it('grade boundaries', () => {
    expect([0, 9, 10, 29, 30, 49, 50, 69, 70, 100].map(gradeFor)).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'F', 'F']);
  });

  it('no tally is an A with nothing counted', () => {
    expect(scoreSite(null).exposure).toEqual({ score: 0, grade: 'A', origins: { typing: 0, sensitive: 0, taps: 0, prototype: 0 } });
  });

  it('call counts do not move the score: one origin, one call or a million', () => {
    const one = scoreSite(site({ 'https://x.example': origin('third', { key: [1, 1, 0] }) }));
    const many = scoreSite(site({ 'https://x.example': origin('third', { key: [1_000_000, 1_000_000, 0] }) }));
    expect(many.exposure.score).toBe(one.exposure.score);
  });

  it('a record without sensitiveAllowed never counts sensitive hooks as allowed', () => {
    const o = origin('third', { key: [3, 3, 0] }, 3);
    delete o.sensitiveAllowed;
    expect(scoreSite(site({ 'https://x.example': o })).residual.origins.sensitive).toBe(0);
  });
});
