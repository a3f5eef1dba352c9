import { describe, expect, it } from 'vitest';
import { parseSettingsData, parseSettingsFile, toSettingsFile } from '../../src/shared/settings-file';

const file = (over: Record<string, unknown>) => JSON.stringify({ format: 'untapped-settings', version: 1, defaultMode: 'protect', sites: {}, ...over });

describe('settings file', () => {
  it('round-trips what it exports', () => {
    const s = { defaultMode: 'monitor' as const, sites: { 'shop.example': 'off' as const, '127.0.0.1': 'protect' as const } };
    expect(parseSettingsFile(JSON.stringify(toSettingsFile(s)))).toEqual({ ok: true, value: s });
  });

  it.each([
    ['not json', '{', /^file: not JSON/],
    ['an array', '[]', /^file: expected an object$/],
    ['another format', file({ format: 'other' }), /^format: expected "untapped-settings"$/],
    ['a newer version', file({ version: 2 }), /^version: expected 1$/],
    ['a bad default mode', file({ defaultMode: 'paranoid' }), /^defaultMode: expected one of protect, monitor, off$/],
    ['sites not an object', file({ sites: ['a'] }), /^sites: expected an object of site: mode$/],
    ['a bad site name', file({ sites: { 'Shop.Example': 'off' } }), /^sites\["Shop\.Example"\]: not a site name/],
    ['a bad mode for a site', file({ sites: { 'shop.example': 'loud' } }), /^sites\["shop\.example"\]: expected one of protect, monitor, off$/],
  ])('rejects %s, naming the field', (_, text, error) => {
    const r = parseSettingsFile(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it('bounds how many sites a file may set', () => {
    const sites: Record<string, string> = {};
    for (let i = 0; i <= 10_000; i++) sites[`s${i}.example`] = 'off';
    const r = parseSettingsData({ defaultMode: 'protect', sites }, 'settings');
    expect(r).toEqual({ ok: false, error: 'settings.sites: more than 10000 sites' });
  });
});
