// The surveillance score: a pure function from one site's tallies to a 0-100
// score and a letter grade, in two figures (docs/score.md has the model and
// worked examples; test/unit/score.test.ts checks exactly those examples).
//
// - exposure: what third parties attempted (the site as it is without Untapped)
// - residual: what third parties were allowed (what is left with Untapped)
//
// The score counts distinct third-party script origins per kind of
// surveillance, not raw call counts: one script registering a listener a
// thousand times watches the user no more than one registering it once, and
// counts depend on how long the user stayed. First-party scripts never raise
// the score; they are reported for information only.

import { HOOK_KINDS, type HookKind, type OriginTally, type SiteTally } from './types';

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';
export const GRADES: readonly Grade[] = ['A', 'B', 'C', 'D', 'F'];

/** Points per distinct third-party origin, and the most each factor may add. */
export const FACTORS = {
  /** Hooked keystrokes or read typed values. */
  typing: { points: 15, max: 45 },
  /** Hooked a password, card, one-time-code or email field. */
  sensitive: { points: 20, max: 40 },
  /** Subscribed to taps / pointer events. */
  taps: { points: 5, max: 15 },
  /** Tried to redefine guarded prototype properties. */
  prototype: { points: 10, max: 20 },
} as const;
export type Factor = keyof typeof FACTORS;

/** Lowest score of each grade after A (A is 0-9). */
export const GRADE_FLOORS: Readonly<Record<Exclude<Grade, 'A'>, number>> = { B: 10, C: 30, D: 50, F: 70 };

export interface Figure {
  score: number;
  grade: Grade;
  /** Distinct third-party origins counted per factor. */
  origins: Record<Factor, number>;
}

export interface SiteScore {
  /** Everything third parties attempted: the site without protection. */
  exposure: Figure;
  /** Only what third parties were allowed: what is left with Untapped. */
  residual: Figure;
  /** First-party hook attempts (shown for information; never scored). */
  firstPartyAttempts: number;
}

export function gradeFor(score: number): Grade {
  if (score >= GRADE_FLOORS.F) return 'F';
  if (score >= GRADE_FLOORS.D) return 'D';
  if (score >= GRADE_FLOORS.C) return 'C';
  if (score >= GRADE_FLOORS.B) return 'B';
  return 'A';
}

type Which = 'attempted' | 'allowed';

const n = (o: OriginTally, kind: HookKind, which: Which): number => o.kinds[kind]?.[which] ?? 0;

function sensitiveOf(o: OriginTally, which: Which): number {
  // Older records (schema 1) had no split; the store migrates them, but a
  // missing field still must not count as "allowed".
  return which === 'attempted' ? o.sensitive : (o.sensitiveAllowed ?? 0);
}

function figure(origins: readonly OriginTally[], which: Which): Figure {
  const counted: Record<Factor, number> = { typing: 0, sensitive: 0, taps: 0, prototype: 0 };
  for (const o of origins) {
    if (n(o, 'key', which) > 0 || n(o, 'value', which) > 0) counted.typing++;
    if (sensitiveOf(o, which) > 0) counted.sensitive++;
    if (n(o, 'tap', which) > 0) counted.taps++;
    if (n(o, 'prototype', which) > 0) counted.prototype++;
  }
  let score = 0;
  for (const f of Object.keys(FACTORS) as Factor[]) {
    score += Math.min(FACTORS[f].max, counted[f] * FACTORS[f].points);
  }
  score = Math.min(100, score);
  return { score, grade: gradeFor(score), origins: counted };
}

export function scoreSite(tally: SiteTally | null | undefined): SiteScore {
  const third: OriginTally[] = [];
  let firstPartyAttempts = 0;
  for (const o of Object.values(tally?.origins ?? {})) {
    if (o.party === 'third') {
      third.push(o);
    } else {
      for (const k of HOOK_KINDS) firstPartyAttempts += n(o, k, 'attempted');
    }
  }
  return { exposure: figure(third, 'attempted'), residual: figure(third, 'allowed'), firstPartyAttempts };
}
