// Durable tallies. The service worker (Chromium) or event page (Firefox) can
// be stopped at any moment, so every change is written to storage.local
// shortly after it happens; writes are batched so a burst of reports costs
// one write, and everything read on wake-up is validated and migrated.
// Data that cannot be read into the current schema (a newer version, damage)
// is moved aside under ASIDE_KEY, never dropped.

import type { Counts, HookReport, Mode, OriginTally, SiteTally } from '../shared/types';
import { HOOK_KINDS } from '../shared/types';
import { applyReports, DEFAULT_LIMITS, emptyDb, SCHEMA_VERSION, type Limits, type TallyDb } from './tally';
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
  limits?: Limits;
}

export const TALLY_KEY = 'tallies';
/** Records that could not be migrated, kept for a later version or a person to recover. */
export const ASIDE_KEY = 'talliesAside';
export const WRITE_DELAY_MS = 300;

export interface AsideRecord {
  at: number;
  reason: string;
  raw: unknown;
}

export class TallyStore {
  private db: TallyDb = emptyDb();
  private loaded: Promise<void> | null = null;
  private dirty = false;
  private writeScheduled = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: StoreDeps) {}

  load(): Promise<void> {
    this.loaded ??= this.deps.area.get(TALLY_KEY).then(
      async (items) => {
        const m = migrate(items[TALLY_KEY]);
        this.db = m.db;
        if (m.aside.length > 0) {
          this.deps.onError('stored tallies kept aside', m.aside.map((a) => a.reason).join('; '));
          // Written before any tally write can replace the original record.
          await this.keepAside(m.aside.map((a) => ({ at: this.deps.now(), ...a })));
        }
        if (m.changed) this.markDirty();
      },
      (e: unknown) => { this.deps.onError('load tallies', e); },
    );
    return this.loaded;
  }

  private async keepAside(records: AsideRecord[]): Promise<void> {
    try {
      const prev = (await this.deps.area.get(ASIDE_KEY))[ASIDE_KEY];
      const list = Array.isArray(prev) ? prev : prev === undefined ? [] : [prev];
      await this.deps.area.set({ [ASIDE_KEY]: [...list, ...records] });
    } catch (e) {
      this.deps.onError('keep unreadable tallies aside', e);
    }
  }

  async add(site: string, reports: readonly HookReport[], mode: Mode): Promise<number> {
    await this.load();
    const blocked = applyReports(this.db, site, reports, mode, this.deps.now(), this.deps.limits ?? DEFAULT_LIMITS);
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
      this.writing = this.writing.then(() => this.deps.area.set({ [TALLY_KEY]: this.db })).catch((e: unknown) => {
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

export interface Migrated {
  db: TallyDb;
  /** Parts that could not be read, with why; the caller stores them aside. */
  aside: { reason: string; raw: unknown }[];
  /** True when the stored form differs from `db` and should be rewritten. */
  changed: boolean;
}

/** Reads whatever storage held into the current schema; never throws, never drops data silently. */
export function migrate(raw: unknown): Migrated {
  if (raw === undefined) return { db: emptyDb(), aside: [], changed: false };
  if (!isRecord(raw) || !isRecord(raw.sites) || typeof raw.version !== 'number') {
    return { db: emptyDb(), aside: [{ reason: 'tallies: not a tally record', raw }], changed: true };
  }
  if (raw.version > SCHEMA_VERSION || raw.version < 1 || !Number.isInteger(raw.version)) {
    // A newer Untapped wrote this (then the user downgraded): keep it for when they upgrade again.
    return { db: emptyDb(), aside: [{ reason: `tallies.version: ${raw.version} is not one this version reads (${SCHEMA_VERSION})`, raw }], changed: true };
  }
  const db = emptyDb();
  const aside: Migrated['aside'] = [];
  for (const [name, site] of Object.entries(raw.sites)) {
    const t = readSite(site, raw.version);
    if (t === null) aside.push({ reason: `tallies.sites["${name}"]: unreadable`, raw: site });
    else db.sites[name] = t;
  }
  return { db, aside, changed: raw.version !== SCHEMA_VERSION || aside.length > 0 };
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function readCounts(v: unknown): Counts | null {
  if (!isRecord(v) || !num(v.attempted) || !num(v.blocked) || !num(v.allowed)) return null;
  return { attempted: v.attempted, blocked: v.blocked, allowed: v.allowed };
}

function readOrigin(v: unknown, version: number): OriginTally | null {
  if (!isRecord(v) || (v.party !== 'first' && v.party !== 'third') || !isRecord(v.kinds) || !isRecord(v.apis)) return null;
  if (!num(v.sensitive) || !num(v.firstSeen) || !num(v.lastSeen)) return null;
  const kinds: OriginTally['kinds'] = {};
  let allowed = 0;
  for (const k of HOOK_KINDS) {
    if (v.kinds[k] === undefined) continue;
    const c = readCounts(v.kinds[k]);
    if (c === null) return null;
    kinds[k] = c;
    allowed += c.allowed;
  }
  const apis: Record<string, number> = {};
  for (const [api, n] of Object.entries(v.apis)) if (num(n)) apis[api] = n;
  let sensitiveAllowed: number;
  if (version >= 2) {
    if (!num(v.sensitiveAllowed)) return null;
    sensitiveAllowed = v.sensitiveAllowed;
  } else {
    // Schema 1 kept no split. Assume the worst that the counts allow: every
    // sensitive attempt was let through, up to how many of the origin's
    // attempts were allowed at all.
    sensitiveAllowed = Math.min(v.sensitive, allowed);
  }
  return { party: v.party, kinds, sensitive: v.sensitive, sensitiveAllowed, apis, firstSeen: v.firstSeen, lastSeen: v.lastSeen };
}

function readSite(v: unknown, version: number): SiteTally | null {
  if (!isRecord(v) || typeof v.site !== 'string' || !isRecord(v.origins) || !isRecord(v.timeline)) return null;
  if (!num(v.firstSeen) || !num(v.lastSeen)) return null;
  const origins: Record<string, OriginTally> = {};
  for (const [name, o] of Object.entries(v.origins)) {
    const r = readOrigin(o, version);
    if (r === null) return null;
    origins[name] = r;
  }
  const timeline: Record<string, number> = {};
  for (const [h, n] of Object.entries(v.timeline)) if (num(n)) timeline[h] = n;
  return { site: v.site, origins, firstSeen: v.firstSeen, lastSeen: v.lastSeen, timeline };
}
