import { describe, expect, it } from 'vitest';
import { Badge, badgeColorFor, badgeText, GRADE_COLORS } from '../../src/background/badge';
import { FakeStorageArea as FakeSession } from '../fakes/storage';
import type { SiteTally } from '../../src/shared/types';

function fakeAction() {
  const text = new Map<number, string>();
  const color = new Map<number, string>();
  return {
    text, color,
    setText: async (tabId: number, t: string) => { text.set(tabId, t); },
    setColor: async (tabId: number, c: string) => { color.set(tabId, c); },
  };
}

const tally = (kinds: SiteTally['origins'][string]['kinds'], sensitive = 0): SiteTally => ({
  site: 's', firstSeen: 1, lastSeen: 1, timeline: {},
  origins: { 'https://t.example': { party: 'third', kinds, sensitive, sensitiveAllowed: 0, apis: {}, firstSeen: 1, lastSeen: 1 } },
});

describe('badge', () => {
  it('text abbreviates large counts', () => {
    expect([0, 7, 999, 1000, 25_400, 2_000_000].map(badgeText)).toEqual(['', '7', '999', '1k', '25k', '1M+']);
  });

  it('colour follows the exposure grade', () => {
    expect(badgeColorFor(null)).toBe(GRADE_COLORS.A);
    expect(badgeColorFor(tally({ key: { attempted: 2, blocked: 2, allowed: 0 } }))).toBe(GRADE_COLORS.B);
    expect(badgeColorFor(tally({ key: { attempted: 2, blocked: 2, allowed: 0 } }, 2))).toBe(GRADE_COLORS.C);
    expect(new Set(Object.values(GRADE_COLORS)).size).toBe(5);
  });

  it('counts per tab, resets on navigation, and survives a restarted worker via session storage', async () => {
    const session = new FakeSession();
    const a = fakeAction();
    const errors: string[] = [];
    const badge = new Badge({ session, ...a, onError: (w) => { errors.push(w); } });
    await badge.reset(1, GRADE_COLORS.A);
    await badge.add(1, 3, GRADE_COLORS.B);
    await badge.add(2, 1, GRADE_COLORS.A);
    expect(a.text.get(1)).toBe('3');
    expect(a.color.get(1)).toBe(GRADE_COLORS.B);
    const restarted = new Badge({ session, ...fakeAction(), onError: (w) => { errors.push(w); } });
    expect(await restarted.get(1)).toBe(3);
    await restarted.add(1, 2, GRADE_COLORS.B);
    expect(await restarted.get(1)).toBe(5);
    await restarted.reset(1, GRADE_COLORS.A);
    expect(await restarted.get(1)).toBe(0);
    expect(errors).toEqual([]);
  });

  it('reports arriving together as the worker starts are all counted', async () => {
    const session = new FakeSession();
    await session.set({ badge: { 1: 4 } });
    const a = fakeAction();
    const badge = new Badge({ session, ...a, onError: () => undefined });
    // A just-started worker: its first calls all find the counts not loaded yet.
    await Promise.all([badge.add(1, 2, GRADE_COLORS.B), badge.add(1, 3, GRADE_COLORS.B), badge.add(2, 1, GRADE_COLORS.B)]);
    expect(await badge.get(1)).toBe(9);
    expect(await badge.get(2)).toBe(1);
    expect(a.text.get(1)).toBe('9');
  });

  it('a closed tab is reported, not thrown', async () => {
    const errors: string[] = [];
    const badge = new Badge({
      session: new FakeSession(),
      setText: async () => { throw new Error('No tab with id: 9'); },
      setColor: async () => undefined,
      onError: (w) => { errors.push(w); },
    });
    await badge.add(9, 1, GRADE_COLORS.A);
    expect(errors).toEqual(['update badge']);
  });
});
