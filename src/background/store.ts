// Durable tallies. The service worker (Chromium) or event page (Firefox) can
// be stopped at any moment, so every change is written to storage.local
// shortly after it happens; writes are batched so a burst of reports costs
// one write, and everything read on wake-up is validated and migrated.

import type { HookReport, Mode, SiteTally } from '../shared/types';
import { applyReports, emptyDb, SCHEMA_VERSION, type TallyDb } from './tally';
import { isRecord } from '../shared/validate';

export interface StorageAreaLike {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export interface StoreDeps {
  area: StorageAreaLike;
  setTimer: (fn: () => void, ms: number) => unknown;
  now: () => number;
  onError: (what: string, err: unknown) => void;
}

export const TALLY_KEY = 'tallies';
const WRITE_DELAY_MS = 300;

export class TallyStore {
  private db: TallyDb = emptyDb();
  private loaded: Promise<void> | null = null;
  private dirty = false;
  private writeScheduled = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: StoreDeps) {}

  load(): Promise<void> {
    this.loaded ??= this.deps.area.get(TALLY_KEY).then(
      (items) => { this.db = migrate(items[TALLY_KEY], this.deps.onError); },
      (e: unknown) => { this.deps.onError('load tallies', e); },
    );
    return this.loaded;
  }

  async add(site: string, reports: readonly HookReport[], mode: Mode): Promise<number> {
    await this.load();
    const blocked = applyReports(this.db, site, reports, mode, this.deps.now());
    this.markDirty();
    return blocked;
  }

  async get(site: string): Promise<SiteTally | null> {
    await this.load();
    return this.db.sites[site] ?? null;
  }

  async all(): Promise<TallyDb> {
    await this.load();
    return this.db;
  }

  async clear(site: string | null): Promise<void> {
    await this.load();
    if (site === null) this.db.sites = {};
    else delete this.db.sites[site];
    this.markDirty();
    await this.flush();
  }

  /** Writes now if anything changed; resolves when storage has it. */
  async flush(): Promise<void> {
    await this.load();
    if (this.dirty) {
      this.dirty = false;
      const snapshot = this.db;
      this.writing = this.writing.then(() => this.deps.area.set({ [TALLY_KEY]: snapshot })).catch((e: unknown) => {
        this.dirty = true;
        this.deps.onError('write tallies', e);
      });
    }
    return this.writing;
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    this.deps.setTimer(() => {
      this.writeScheduled = false;
      void this.flush();
    }, WRITE_DELAY_MS);
  }
}

/** Reads whatever storage held into the current schema; never throws. */
export function migrate(raw: unknown, onError: (what: string, err: unknown) => void): TallyDb {
  if (raw === undefined) return emptyDb();
  if (!isRecord(raw) || !isRecord(raw.sites) || typeof raw.version !== 'number') {
    onError('stored tallies unreadable; starting afresh', raw);
    return emptyDb();
  }
  if (raw.version === SCHEMA_VERSION) return raw as unknown as TallyDb;
  onError(`stored tallies have unknown version ${raw.version}`, null);
  return emptyDb();
}
