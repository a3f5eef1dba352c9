// The user-settings file the dashboard exports and imports. An imported file
// is untrusted: it is validated here (in the dashboard, to show the error, and
// again in the background, which trusts no page), and every error names the
// field so a person can fix the file.

import { MODES, type Mode } from './types';
import { fail, isRecord, ok, oneOf, type Result } from './validate';

export const SETTINGS_FORMAT = 'untapped-settings';
export const SETTINGS_FILE_VERSION = 1;
/** More per-site entries than any person sets by hand; bounds what an import can store. */
export const MAX_SITE_SETTINGS = 10_000;

/** Same shape as the background's UserSettings. */
export interface SettingsData {
  defaultMode: Mode;
  sites: Record<string, Mode>;
}

export interface SettingsFile extends SettingsData {
  format: typeof SETTINGS_FORMAT;
  version: typeof SETTINGS_FILE_VERSION;
}

const SITE_RE = /^[a-z0-9.:\[\]-]{1,253}$/;

export function toSettingsFile(s: SettingsData): SettingsFile {
  return { format: SETTINGS_FORMAT, version: SETTINGS_FILE_VERSION, defaultMode: s.defaultMode, sites: { ...s.sites } };
}

/** The settings part, as carried by a message (`field` names where it sits). */
export function parseSettingsData(v: unknown, field: string): Result<SettingsData> {
  const at = (f: string) => (field ? `${field}.${f}` : f);
  if (!isRecord(v)) return fail(`${field || 'file'}: expected an object`);
  const mode = oneOf(v.defaultMode, MODES, at('defaultMode'));
  if (!mode.ok) return mode;
  if (!isRecord(v.sites)) return fail(`${at('sites')}: expected an object of site: mode`);
  const entries = Object.entries(v.sites);
  if (entries.length > MAX_SITE_SETTINGS) return fail(`${at('sites')}: more than ${MAX_SITE_SETTINGS} sites`);
  const sites: Record<string, Mode> = {};
  for (const [site, m] of entries) {
    const name = `${at('sites')}["${site.slice(0, 80)}"]`;
    if (!SITE_RE.test(site)) return fail(`${name}: not a site name (lower-case host, e.g. example.com)`);
    const r = oneOf(m, MODES, name);
    if (!r.ok) return r;
    sites[site] = r.value;
  }
  return ok({ defaultMode: mode.value, sites });
}

/** A whole file as text, as the person picked it. */
export function parseSettingsFile(text: string): Result<SettingsData> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return fail(`file: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isRecord(v)) return fail('file: expected an object');
  if (v.format !== SETTINGS_FORMAT) return fail(`format: expected "${SETTINGS_FORMAT}"`);
  if (v.version !== SETTINGS_FILE_VERSION) return fail(`version: expected ${SETTINGS_FILE_VERSION}`);
  return parseSettingsData(v, '');
}
