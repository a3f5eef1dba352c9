// Reads the administrator's policy from storage.managed in one place, keeps
// it parsed in memory, and re-reads it when storage.onChanged reports the
// `managed` area (Chromium applies policy files a few seconds after an
// extension starts, and reloads them while running). Listeners (the reporter)
// hear about every change.

import { noPolicy, parsePolicy, type PolicyState } from '../shared/policy';
import { readManaged } from './firefox-managed';

export interface PolicyDeps {
  /** storage.managed.get(), as the browser gives it (Firefox may reject). */
  getManaged: () => Promise<Record<string, unknown>>;
  onError: (what: string, err: unknown) => void;
  now?: () => number;
}

/**
 * A read older than this is read again. Chromium fills managed storage a
 * moment after start-up without firing storage.onChanged, and Firefox never
 * fires it, so a cached first read would otherwise hide the policy for good.
 */
export const POLICY_MAX_AGE_MS = 3000;

export class PolicyStore {
  private cached: Promise<PolicyState> | null = null;
  private readonly listeners: Array<(s: PolicyState) => void> = [];
  /** Reads that failed for a reason other than "no policy". */
  readErrors = 0;

  constructor(private readonly deps: PolicyDeps) {}

  private cachedAt = 0;
  private refreshing = false;

  get(): Promise<PolicyState> {
    const now = (this.deps.now ?? Date.now)();
    if (this.cached !== null && now - this.cachedAt > POLICY_MAX_AGE_MS && !this.refreshing) {
      // Stale: answer with what is cached (a frame waits for this answer
      // before its settings apply) and read again in the background.
      const current = this.cached;
      this.refreshing = true;
      this.refresh()
        .catch((e: unknown) => this.deps.onError('refresh managed policy', e))
        .finally(() => { this.refreshing = false; });
      return current;
    }
    if (this.cached === null) this.cachedAt = now;
    this.cached ??= readManaged(this.deps.getManaged).then(
      (raw) => {
        const state = parsePolicy(raw);
        for (const w of state.warnings) this.deps.onError('policy', w.message);
        return state;
      },
      (e: unknown) => {
        this.readErrors++;
        this.deps.onError('read managed policy', e);
        // Not cached: the next caller tries again.
        this.cached = null;
        const state = noPolicy();
        state.warnings.push({ key: '(policy)', message: `(policy): could not be read (${e instanceof Error ? e.message : String(e)})` });
        return state;
      },
    );
    return this.cached;
  }

  /** storage.onChanged fired for `managed`: read again and tell listeners. */
  async changed(): Promise<PolicyState> {
    this.cached = null;
    const state = await this.get();
    for (const l of this.listeners) l(state);
    return state;
  }

  /** Re-reads now (the dashboard asks for the current policy); listeners hear only of a real change. */
  async refresh(): Promise<PolicyState> {
    const before = this.cached ? JSON.stringify((await this.cached).policy) : null;
    this.cached = null;
    const state = await this.get();
    if (before !== JSON.stringify(state.policy)) for (const l of this.listeners) l(state);
    return state;
  }

  onChange(listener: (s: PolicyState) => void): void {
    this.listeners.push(listener);
  }
}
