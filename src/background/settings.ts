// User settings: the default mode and per-site overrides, persisted in
// storage.local. (Administrator policy is merged on top in shared/policy.)

import { MODES, type Mode } from '../shared/types';
import { isRecord } from '../shared/validate';
import { effectiveMode, emptyPolicy, type Effective, type Policy } from '../shared/policy';
import type { StorageAreaLike } from './store';

export interface UserSettings {
  defaultMode: Mode;
  sites: Record<string, Mode>;
}

export const SETTINGS_KEY = 'settings';
export const defaultSettings = (): UserSettings => ({ defaultMode: 'protect', sites: {} });

const isMode = (v: unknown): v is Mode => typeof v === 'string' && (MODES as readonly string[]).includes(v);

/** Reads stored settings, keeping every valid part of a damaged record. */
export function readSettings(raw: unknown): UserSettings {
  const s = defaultSettings();
  if (!isRecord(raw)) return s;
  if (isMode(raw.defaultMode)) s.defaultMode = raw.defaultMode;
  if (isRecord(raw.sites)) {
    for (const [site, mode] of Object.entries(raw.sites)) if (isMode(mode)) s.sites[site] = mode;
  }
  return s;
}

export class SettingsStore {
  private cached: Promise<UserSettings> | null = null;
  constructor(private readonly area: StorageAreaLike) {}

  get(): Promise<UserSettings> {
    this.cached ??= this.area.get(SETTINGS_KEY).then((items) => readSettings(items[SETTINGS_KEY]));
    return this.cached;
  }

  async setSiteMode(site: string, mode: Mode): Promise<UserSettings> {
    const s = structuredClone(await this.get());
    s.sites[site] = mode;
    await this.area.set({ [SETTINGS_KEY]: s });
    this.cached = Promise.resolve(s);
    return s;
  }

  /** Replaces everything (an imported settings file, validated by the caller). */
  async replace(next: UserSettings): Promise<UserSettings> {
    const s = structuredClone(next);
    await this.area.set({ [SETTINGS_KEY]: s });
    this.cached = Promise.resolve(s);
    return s;
  }

  /** Forget the cache when storage changed elsewhere (another extension page). */
  invalidate(): void {
    this.cached = null;
  }
}

/** The site's mode with the administrator's policy applied (see shared/policy effectiveMode). */
export function modeFor(settings: UserSettings, site: string, policy: Policy = emptyPolicy()): Mode {
  return effectiveMode(settings, policy, site).mode;
}

/** Mode, whether it is locked, and where it comes from, for the UI and the router. */
export function resolveSite(settings: UserSettings, site: string, policy: Policy = emptyPolicy()): Effective {
  return effectiveMode(settings, policy, site);
}
