// Per-tab blocked counts on the toolbar badge. Counts live in memory and are
// mirrored to storage.session so a restarted service worker picks them up.

import type { StorageAreaLike } from './store';
import { scoreSite, type Grade } from '../shared/score';
import type { SiteTally } from '../shared/types';

export interface BadgeDeps {
  session: StorageAreaLike;
  setText: (tabId: number, text: string) => Promise<void>;
  setColor: (tabId: number, color: string) => Promise<void>;
  onError: (what: string, err: unknown) => void;
}

const KEY = 'badge';

/**
 * Badge colour per grade of the site's exposure (what third parties tried),
 * so the count is read against how hard the site watches. Dark enough for the
 * badge's white text in both browsers.
 */
export const GRADE_COLORS: Readonly<Record<Grade, string>> = {
  A: '#1e6e3b', B: '#4d7c0f', C: '#a15c00', D: '#c2410c', F: '#b3261e',
};

export function badgeColorFor(tally: SiteTally | null): string {
  return GRADE_COLORS[scoreSite(tally).exposure.grade];
}

export function badgeText(n: number): string {
  if (n <= 0) return '';
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${Math.floor(n / 1000)}k`;
  return '1M+';
}

export class Badge {
  private counts: Record<string, number> | null = null;
  /** One read of storage.session, shared: concurrent first calls must not each install their own counts. */
  private loading: Promise<Record<string, number>> | null = null;
  constructor(private readonly deps: BadgeDeps) {}

  private load(): Promise<Record<string, number>> {
    this.loading ??= this.deps.session.get(KEY)
      .catch((e: unknown) => {
        this.deps.onError('read badge counts', e);
        return {} as Record<string, unknown>;
      })
      .then((items) => {
        const raw = items[KEY];
        this.counts = typeof raw === 'object' && raw !== null ? { ...(raw as Record<string, number>) } : {};
        return this.counts;
      });
    return this.loading;
  }

  async reset(tabId: number, color: string): Promise<void> {
    const counts = await this.load();
    counts[tabId] = 0;
    await this.show(tabId, color);
  }

  async add(tabId: number, blocked: number, color: string): Promise<void> {
    const counts = await this.load();
    counts[tabId] = (counts[tabId] ?? 0) + blocked;
    await this.show(tabId, color);
  }

  async get(tabId: number): Promise<number> {
    return (await this.load())[tabId] ?? 0;
  }

  forget(tabId: number): void {
    if (this.counts) delete this.counts[tabId];
  }

  private async show(tabId: number, color: string): Promise<void> {
    const n = this.counts?.[tabId] ?? 0;
    try {
      await this.deps.setText(tabId, badgeText(n));
      await this.deps.setColor(tabId, color);
      await this.deps.session.set({ [KEY]: this.counts });
    } catch (e) {
      // The tab may have closed between the report and the update.
      this.deps.onError('update badge', e);
    }
  }
}
