// The administrator's reporting endpoint (policy `reporting`). What leaves the
// browser is built field by field from counts: per site, per script origin,
// per hook kind, attempted/blocked/allowed/sensitive. Never API names, never
// typed content (the tallies hold none to begin with).
//
// Robust to a dying service worker: batches are cut by diffing the durable
// tallies against a persisted snapshot of what was already batched, and the
// queue, snapshot and backoff state live in storage. Timers are only a
// convenience; any wake-up (new reports, start-up) catches up on what is due.
// While the endpoint is down, sends back off exponentially and the queue is
// capped (oldest batches dropped and counted in `dropped`).

import type { Counts, HookKind, Party } from '../shared/types';
import { HOOK_KINDS } from '../shared/types';
import type { ReportingPolicy } from '../shared/policy';
import { isRecord } from '../shared/validate';
import type { StorageAreaLike } from './store';
import type { TallyDb } from './tally';

export interface FetchInit {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  credentials: 'omit';
  cache: 'no-store';
}
export type FetchLike = (url: string, init: FetchInit) => Promise<{ ok: boolean; status: number }>;

export interface ReporterDeps {
  fetch: FetchLike;
  tallies: () => Promise<TallyDb>;
  area: StorageAreaLike;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  now: () => number;
  onError: (what: string, err: unknown) => void;
}

export const REPORTING_KEY = 'reporting';
/** Most batches kept while the endpoint is unreachable. */
export const MAX_QUEUE = 100;
/** Most batches in one POST. */
export const MAX_PER_POST = 20;
export const RETRY_BASE_MS = 5_000;
export const RETRY_MAX_MS = 3_600_000;

export const backoffMs = (failures: number): number =>
  Math.min(RETRY_BASE_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_MS);

/** What one origin did on one site during one batch. Numbers only. */
export interface OriginReport {
  origin: string;
  party: Party;
  attempted: number;
  blocked: number;
  allowed: number;
  sensitive: number;
  kinds: Partial<Record<HookKind, Counts>>;
}
export interface SiteReport { site: string; origins: OriginReport[] }
export interface Batch { from: string; to: string; sites: SiteReport[] }
export interface Payload {
  schema: 1;
  product: 'untapped';
  sentAt: string;
  /** Batches dropped (queue full) since the last successful send. */
  dropped: number;
  batches: Batch[];
}

/** Cumulative counts already batched: site -> origin -> kind -> counts, plus sensitive. */
type Snapshot = Record<string, Record<string, { sensitive: number; kinds: Partial<Record<HookKind, Counts>> }>>;

interface Persisted {
  snapshot: Snapshot;
  queue: Batch[];
  failures: number;
  retryAt: number;
  lastCut: number;
  dropped: number;
}

const fresh = (): Persisted => ({ snapshot: {}, queue: [], failures: 0, retryAt: 0, lastCut: 0, dropped: 0 });

export function snapshotOf(db: TallyDb): Snapshot {
  const snap: Snapshot = {};
  for (const [site, t] of Object.entries(db.sites)) {
    const s: Snapshot[string] = (snap[site] = {});
    for (const [origin, o] of Object.entries(t.origins)) {
      const kinds: Partial<Record<HookKind, Counts>> = {};
      for (const k of HOOK_KINDS) {
        const c = o.kinds[k];
        if (c) kinds[k] = { attempted: c.attempted, blocked: c.blocked, allowed: c.allowed };
      }
      s[origin] = { sensitive: o.sensitive, kinds };
    }
  }
  return snap;
}

// A count lower than last time means the user cleared the tallies since:
// everything now there is new.
const delta = (cur: number, prev: number | undefined): number => (prev === undefined || cur < prev ? cur : cur - prev);

/** What changed in `db` since `snap`, as site reports (only origins that did something). */
export function diff(snap: Snapshot, db: TallyDb): SiteReport[] {
  const sites: SiteReport[] = [];
  for (const [site, t] of Object.entries(db.sites)) {
    const origins: OriginReport[] = [];
    for (const [origin, o] of Object.entries(t.origins)) {
      const prev = snap[site]?.[origin];
      const r: OriginReport = {
        origin, party: o.party === 'third' ? 'third' : 'first',
        attempted: 0, blocked: 0, allowed: 0, sensitive: delta(o.sensitive, prev?.sensitive), kinds: {},
      };
      for (const k of HOOK_KINDS) {
        const c = o.kinds[k];
        if (!c) continue;
        const p = prev?.kinds[k];
        const d = { attempted: delta(c.attempted, p?.attempted), blocked: delta(c.blocked, p?.blocked), allowed: delta(c.allowed, p?.allowed) };
        if (d.attempted + d.blocked + d.allowed === 0) continue;
        r.kinds[k] = d;
        r.attempted += d.attempted;
        r.blocked += d.blocked;
        r.allowed += d.allowed;
      }
      if (r.attempted > 0 || r.sensitive > 0) origins.push(r);
    }
    if (origins.length > 0) sites.push({ site, origins });
  }
  return sites;
}

function readPersisted(raw: unknown): Persisted {
  const p = fresh();
  if (!isRecord(raw)) return p;
  if (isRecord(raw.snapshot)) p.snapshot = raw.snapshot as Snapshot;
  if (Array.isArray(raw.queue)) p.queue = (raw.queue as Batch[]).slice(-MAX_QUEUE);
  for (const k of ['failures', 'retryAt', 'lastCut', 'dropped'] as const) {
    const v = raw[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) p[k] = v;
  }
  return p;
}

export class Reporter {
  private config: ReportingPolicy | undefined;
  private state: Persisted | null = null;
  private loading: Promise<Persisted> | null = null;
  private cutTimer: unknown = null;
  private retryTimer: unknown = null;
  private sending = false;
  /** For diagnostics and tests. */
  readonly stats = { sent: 0, failed: 0, dropped: 0 };

  constructor(private readonly deps: ReporterDeps) {}

  private load(): Promise<Persisted> {
    this.loading ??= this.deps.area.get(REPORTING_KEY).then(
      (items) => (this.state = readPersisted(items[REPORTING_KEY])),
      (e: unknown) => {
        this.deps.onError('read reporting state', e);
        return (this.state = fresh());
      },
    );
    return this.loading;
  }

  private async save(): Promise<void> {
    try {
      await this.deps.area.set({ [REPORTING_KEY]: this.state });
    } catch (e) {
      this.deps.onError('write reporting state', e);
    }
  }

  /** Applies the policy's reporting setting (undefined: reporting off, state forgotten). */
  async configure(cfg: ReportingPolicy | undefined): Promise<void> {
    const st = await this.load();
    this.stopTimers();
    this.config = cfg;
    if (!cfg) {
      if (st.lastCut !== 0 || st.queue.length > 0) {
        this.state = fresh();
        await this.save();
      }
      return;
    }
    if (st.lastCut === 0) {
      // Report activity from the moment the policy applies, not history.
      st.snapshot = snapshotOf(await this.deps.tallies());
      st.lastCut = this.deps.now();
      await this.save();
    }
    await this.poke();
  }

  /** Call after tallies changed, and on wake-up: cuts a batch if one is due, sends what is queued. */
  async poke(): Promise<void> {
    const cfg = this.config;
    if (!cfg) return;
    const st = await this.load();
    const now = this.deps.now();
    const due = st.lastCut + cfg.intervalSeconds * 1000;
    if (now >= due) await this.cut();
    else if (this.cutTimer === null) {
      this.cutTimer = this.deps.setTimer(() => {
        this.cutTimer = null;
        void this.poke();
      }, due - now);
    }
    await this.send();
  }

  private async cut(): Promise<void> {
    const st = this.state as Persisted;
    const db = await this.deps.tallies();
    const sites = diff(st.snapshot, db);
    const now = this.deps.now();
    st.snapshot = snapshotOf(db);
    const from = new Date(st.lastCut).toISOString();
    st.lastCut = now;
    if (sites.length > 0) {
      st.queue.push({ from, to: new Date(now).toISOString(), sites });
      while (st.queue.length > MAX_QUEUE) {
        st.queue.shift();
        st.dropped++;
        this.stats.dropped++;
      }
    }
    await this.save();
  }

  private async send(): Promise<void> {
    const cfg = this.config;
    const st = this.state;
    if (!cfg || !st || this.sending || st.queue.length === 0) return;
    const now = this.deps.now();
    if (now < st.retryAt) {
      if (this.retryTimer === null) {
        this.retryTimer = this.deps.setTimer(() => {
          this.retryTimer = null;
          void this.send();
        }, st.retryAt - now);
      }
      return;
    }
    this.sending = true;
    const batches = st.queue.slice(0, MAX_PER_POST);
    const payload: Payload = { schema: 1, product: 'untapped', sentAt: new Date(now).toISOString(), dropped: st.dropped, batches };
    let delivered = false;
    try {
      const res = await this.deps.fetch(cfg.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        credentials: 'omit',
        cache: 'no-store',
      });
      delivered = res.ok;
      if (!res.ok) this.deps.onError('reporting endpoint answered', res.status);
    } catch (e) {
      this.deps.onError('reporting endpoint unreachable', e);
    } finally {
      this.sending = false;
    }
    // Policy removed or the state reset while the request was in flight.
    if (this.config !== cfg || this.state !== st) return;
    if (delivered) {
      this.stats.sent += batches.length;
      const sent = new Set(batches);
      st.queue = st.queue.filter((b) => !sent.has(b));
      st.dropped = Math.max(0, st.dropped - payload.dropped);
      st.failures = 0;
      st.retryAt = 0;
      await this.save();
      if (st.queue.length > 0) await this.send();
    } else {
      this.stats.failed++;
      st.failures++;
      st.retryAt = this.deps.now() + backoffMs(st.failures);
      await this.save();
      await this.send();
    }
  }

  private stopTimers(): void {
    if (this.cutTimer !== null) this.deps.clearTimer(this.cutTimer);
    if (this.retryTimer !== null) this.deps.clearTimer(this.retryTimer);
    this.cutTimer = null;
    this.retryTimer = null;
  }
}
