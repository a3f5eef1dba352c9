// Issue 5: parsing the administrator's policy, merging it with user settings,
// the Firefox "no policy" rejection, and the router refusing locked sites.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { applyTrusted, checkSelector, effectiveMode, emptyPolicy, matchScore, parsePolicy, ruleFor, type Policy } from '../../src/shared/policy';
import { isNoPolicyRejection, readManaged } from '../../src/background/firefox-managed';
import { POLICY_MAX_AGE_MS, PolicyStore } from '../../src/background/policy';
import { SettingsStore, defaultSettings, modeFor, type UserSettings } from '../../src/background/settings';
import { createRouter } from '../../src/background/router';
import { TallyStore, type StorageAreaLike } from '../../src/background/store';
import { Badge } from '../../src/background/badge';
import { schemaKeys } from './schema-keys';

/** storage.local-like fake: async, values copied with structuredClone as the real API does. */
function fakeArea(initial: Record<string, unknown> = {}): StorageAreaLike & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = structuredClone(initial);
  return {
    data,
    get: async (key: string) => (key in data ? { [key]: structuredClone(data[key]) } : {}),
    set: async (items: Record<string, unknown>) => { Object.assign(data, structuredClone(items)); },
  };
}

const keysOf = (raw: unknown): string[] => parsePolicy(raw).warnings.map((w) => w.key);

describe('parsePolicy', () => {
  it('reads a complete, valid policy', () => {
    const s = parsePolicy({
      defaultMode: 'monitor',
      sites: [{ pattern: '*.Example.com', mode: 'off', locked: true }, { pattern: 'shop.test', mode: 'protect' }],
      lockAllSettings: false,
      sensitiveSelectors: ['input[name="employee-id"]', '#ssn'],
      trustedOrigins: ['https://widget.example.com', 'http://127.0.0.1:8080'],
      reporting: { endpoint: 'https://siem.example.com/untapped', intervalSeconds: 60 },
    });
    expect(s.warnings).toEqual([]);
    expect(s.present).toBe(true);
    expect(s.policy).toEqual({
      defaultMode: 'monitor',
      sites: [{ pattern: '*.example.com', mode: 'off', locked: true }, { pattern: 'shop.test', mode: 'protect', locked: false }],
      lockAllSettings: false,
      sensitiveSelectors: ['input[name="employee-id"]', '#ssn'],
      trustedOrigins: ['https://widget.example.com', 'http://127.0.0.1:8080'],
      reporting: { endpoint: 'https://siem.example.com/untapped', intervalSeconds: 60 },
    });
  });

  it('no policy at all is not an error', () => {
    expect(parsePolicy({})).toEqual({ policy: emptyPolicy(), warnings: [], present: false });
    expect(parsePolicy(undefined).present).toBe(false);
  });

  it('drops each bad value with a warning naming its key, keeping the rest', () => {
    const s = parsePolicy({
      defaultMode: 'banana',
      sites: [
        { pattern: '127.0.0.2', mode: 'monitor', locked: true },
        { pattern: 'bad pattern!', mode: 'off' },
        { pattern: 'ok.test', mode: 'sometimes' },
        { pattern: 'flag.test', mode: 'off', locked: 'yes' },
        'not an object',
      ],
      lockAllSettings: 'true',
      sensitiveSelectors: ['#fine', 'input[', 'a { color: red }', 42],
      trustedOrigins: ['not an origin', 'https://cdn.test/path', 'ftp://files.test', 'https://ok.test'],
      reporting: { endpoint: 'javascript:alert(1)' },
      surprise: 1,
    });
    expect(s.warnings.map((w) => w.key)).toEqual([
      'surprise', 'defaultMode', 'sites[1].pattern', 'sites[2].mode', 'sites[3].locked', 'sites[4]',
      'lockAllSettings', 'sensitiveSelectors[1]', 'sensitiveSelectors[2]', 'sensitiveSelectors[3]',
      'trustedOrigins[0]', 'trustedOrigins[1]', 'trustedOrigins[2]', 'reporting.endpoint',
    ]);
    for (const w of s.warnings) expect(w.message.startsWith(w.key)).toBe(true);
    expect(s.policy.defaultMode).toBeUndefined();
    expect(s.policy.sites).toEqual([
      { pattern: '127.0.0.2', mode: 'monitor', locked: true },
      { pattern: 'flag.test', mode: 'off', locked: false },
    ]);
    expect(s.policy.lockAllSettings).toBe(false);
    expect(s.policy.sensitiveSelectors).toEqual(['#fine']);
    expect(s.policy.trustedOrigins).toEqual(['https://ok.test']);
    expect(s.policy.reporting).toBeUndefined();
  });

  it('wrong container types are warned about, never thrown', () => {
    expect(keysOf({ sites: 'a.test', sensitiveSelectors: {}, trustedOrigins: 5, reporting: 'https://x.test' }))
      .toEqual(['sites', 'sensitiveSelectors', 'trustedOrigins', 'reporting']);
    expect(keysOf('nonsense')).toEqual(['(policy)']);
    expect(keysOf([1, 2])).toEqual(['(policy)']);
  });

  it('reporting: interval bounds and default, credentials refused', () => {
    expect(parsePolicy({ reporting: { endpoint: 'https://r.test/x' } }).policy.reporting).toEqual({ endpoint: 'https://r.test/x', intervalSeconds: 300 });
    const s = parsePolicy({ reporting: { endpoint: 'https://r.test/x', intervalSeconds: 0 } });
    expect(s.policy.reporting?.intervalSeconds).toBe(300);
    expect(s.warnings.map((w) => w.key)).toEqual(['reporting.intervalSeconds']);
    expect(keysOf({ reporting: { endpoint: 'https://user:pw@r.test/' } })).toEqual(['reporting.endpoint']);
    expect(keysOf({ reporting: {} })).toEqual(['reporting.endpoint']);
  });

  it('duplicate patterns: the first rule wins, the second is named', () => {
    const s = parsePolicy({ sites: [{ pattern: 'a.test', mode: 'off' }, { pattern: 'A.test', mode: 'monitor' }] });
    expect(s.policy.sites).toEqual([{ pattern: 'a.test', mode: 'off', locked: false }]);
    expect(s.warnings.map((w) => w.key)).toEqual(['sites[1].pattern']);
  });

  it('the schema documents every key the parser knows, each with a title and description', () => {
    const { keys, missing } = schemaKeys();
    expect(missing).toEqual([]);
    expect(keys.sort()).toEqual(['defaultMode', 'lockAllSettings', 'reporting', 'sensitiveSelectors', 'sites', 'trustedOrigins']);
  });

  it('the schema has no enum: Chrome drops out-of-enum values (and whole lists) before Untapped could name them', () => {
    expect(readFileSync(new URL('../../managed_schema.json', import.meta.url), 'utf8')).not.toMatch(/"enum"\s*:/);
  });
});

describe('selectors', () => {
  it.each(['#a', 'input[name="x]y"]', ':is(a, b) > c', 'input[data-x=\'(\']'])('accepts %s', (sel) => {
    expect(checkSelector(sel, 'k').ok).toBe(true);
  });
  it.each(['', 'a)', 'input[', ':not(a', '"open', 'a {}', 'a;b', '> a', 'a,'])('rejects %j', (sel) => {
    expect(checkSelector(sel, 'k').ok).toBe(false);
  });
});

describe('site patterns', () => {
  it('exact names beat wildcards; longer wildcards beat shorter', () => {
    expect(matchScore('example.com', 'example.com')).toBeGreaterThan(matchScore('*.example.com', 'example.com'));
    expect(matchScore('*.example.com', 'a.example.com')).toBeGreaterThan(-1);
    expect(matchScore('*.example.com', 'badexample.com')).toBe(-1);
    expect(matchScore('example.com', 'a.example.com')).toBe(-1);
    const p: Policy = { ...emptyPolicy(), sites: [
      { pattern: '*.io', mode: 'off', locked: false },
      { pattern: '*.github.io', mode: 'monitor', locked: false },
      { pattern: 'me.github.io', mode: 'protect', locked: true },
    ] };
    expect(ruleFor(p, 'me.github.io')?.mode).toBe('protect');
    expect(ruleFor(p, 'you.github.io')?.mode).toBe('monitor');
    expect(ruleFor(p, 'x.io')?.mode).toBe('off');
    expect(ruleFor(p, 'x.com')).toBeUndefined();
  });
});

describe('effectiveMode: policy merged with user settings', () => {
  const user: UserSettings = { defaultMode: 'protect', sites: { 'a.test': 'off', 'b.test': 'monitor' } };
  const policy = (p: Partial<Policy>): Policy => ({ ...emptyPolicy(), ...p });

  it('without a policy the user decides', () => {
    expect(effectiveMode(user, emptyPolicy(), 'a.test')).toEqual({ mode: 'off', locked: false, source: 'user' });
    expect(effectiveMode(user, emptyPolicy(), 'c.test')).toEqual({ mode: 'protect', locked: false, source: 'default' });
  });

  it('a locked rule beats the user; an unlocked rule does not', () => {
    const p = policy({ sites: [{ pattern: 'a.test', mode: 'protect', locked: true }, { pattern: 'b.test', mode: 'off', locked: false }, { pattern: 'c.test', mode: 'monitor', locked: false }] });
    expect(effectiveMode(user, p, 'a.test')).toEqual({ mode: 'protect', locked: true, source: 'policy-locked' });
    expect(effectiveMode(user, p, 'b.test')).toEqual({ mode: 'monitor', locked: false, source: 'user' });
    expect(effectiveMode(user, p, 'c.test')).toEqual({ mode: 'monitor', locked: false, source: 'policy-rule' });
  });

  it('the policy default replaces the user default', () => {
    const p = policy({ defaultMode: 'monitor' });
    expect(effectiveMode(user, p, 'c.test')).toEqual({ mode: 'monitor', locked: false, source: 'policy-default' });
    expect(effectiveMode(user, p, 'a.test').mode).toBe('off');
  });

  it('the global lock ignores every user choice', () => {
    const p = policy({ lockAllSettings: true, defaultMode: 'monitor', sites: [{ pattern: 'b.test', mode: 'off', locked: false }] });
    expect(effectiveMode(user, p, 'a.test')).toEqual({ mode: 'monitor', locked: true, source: 'policy-global-lock' });
    expect(effectiveMode(user, p, 'b.test')).toEqual({ mode: 'off', locked: true, source: 'policy-global-lock' });
    expect(effectiveMode(user, policy({ lockAllSettings: true }), 'a.test')).toEqual({ mode: 'protect', locked: true, source: 'policy-global-lock' });
  });

  it('modeFor keeps working without a policy', () => {
    expect(modeFor(user, 'a.test')).toBe('off');
    expect(modeFor(defaultSettings(), 'x.test')).toBe('protect');
  });
});

describe('Firefox: "Managed storage manifest not found"', () => {
  it('reads as no policy', async () => {
    const reject = async (): Promise<Record<string, unknown>> => { throw new Error('Managed storage manifest not found'); };
    expect(await readManaged(reject)).toEqual({});
    expect(isNoPolicyRejection('Managed storage manifest not found')).toBe(true);
  });
  it('any other rejection is passed on', async () => {
    const reject = async (): Promise<Record<string, unknown>> => { throw new Error('An unexpected error occurred'); };
    await expect(readManaged(reject)).rejects.toThrow('unexpected');
  });
});

describe('PolicyStore', () => {
  it('reads once, re-reads on change and tells listeners', async () => {
    let managed: Record<string, unknown> = { sites: [{ pattern: 'a.test', mode: 'off', locked: true }] };
    let reads = 0;
    const errors: string[] = [];
    const store = new PolicyStore({ getManaged: async () => { reads++; return structuredClone(managed); }, onError: (w) => errors.push(w) });
    expect((await store.get()).policy.sites).toHaveLength(1);
    await store.get();
    expect(reads).toBe(1);
    const heard: number[] = [];
    store.onChange((s) => heard.push(s.policy.sites.length));
    managed = { sites: [] };
    await store.changed();
    expect(heard).toEqual([0]);
    expect(reads).toBe(2);
    expect(errors).toEqual([]);
  });

  it('refresh reads afresh and tells listeners only when the policy really changed', async () => {
    let managed: Record<string, unknown> = { defaultMode: 'monitor' };
    let reads = 0;
    const store = new PolicyStore({ getManaged: async () => { reads++; return structuredClone(managed); }, onError: () => undefined });
    const heard: string[] = [];
    store.onChange((s) => heard.push(String(s.policy.defaultMode)));
    await store.get();
    expect((await store.refresh()).policy.defaultMode).toBe('monitor');
    expect(heard).toEqual([]);
    managed = { defaultMode: 'off' };
    expect((await store.refresh()).policy.defaultMode).toBe('off');
    expect(heard).toEqual(['off']);
    expect(reads).toBe(3);
  });

  it('a read older than POLICY_MAX_AGE_MS is refreshed behind the cached answer, so a policy that appears without onChanged is found', async () => {
    // Chromium fills managed storage just after start-up without firing onChanged.
    let managed: Record<string, unknown> = {};
    let now = 1000;
    let reads = 0;
    const store = new PolicyStore({ getManaged: async () => { reads++; return structuredClone(managed); }, onError: () => undefined, now: () => now });
    const heard: string[] = [];
    store.onChange((st) => heard.push(String(st.policy.defaultMode)));
    expect((await store.get()).present).toBe(false);
    managed = { defaultMode: 'monitor' };
    now += POLICY_MAX_AGE_MS;
    expect((await store.get()).present).toBe(false); // still fresh: cached
    now += 1;
    // Stale: answered at once from the cache while the read runs behind it...
    expect((await store.get()).present).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    // ...and the next question gets the policy that appeared.
    expect((await store.get()).policy.defaultMode).toBe('monitor');
    expect(heard).toEqual(['monitor']);
    expect(reads).toBe(2);
  });

  it('a failing read is reported as a warning and retried, never thrown', async () => {
    let fail = true;
    const errors: string[] = [];
    const store = new PolicyStore({
      getManaged: async () => { if (fail) throw new Error('boom'); return { defaultMode: 'monitor' }; },
      onError: (w) => errors.push(w),
    });
    const s = await store.get();
    expect(s.warnings.map((w) => w.key)).toEqual(['(policy)']);
    expect(store.readErrors).toBe(1);
    expect(errors).toEqual(['read managed policy']);
    fail = false;
    expect((await store.get()).policy.defaultMode).toBe('monitor');
  });
});

describe('router with a policy', () => {
  const EXT = 'ext-id';
  const page = { id: EXT, url: `chrome-extension://${EXT}/popup.html` };
  const frame = { id: EXT, url: 'https://locked.test/', frameId: 0, tab: { id: 7, url: 'https://locked.test/' } };

  function setup(managed: Record<string, unknown>) {
    const local = fakeArea();
    const settings = new SettingsStore(local);
    const policy = new PolicyStore({ getManaged: async () => structuredClone(managed), onError: () => undefined });
    const tallies = new TallyStore({ area: local, setTimer: () => undefined, now: () => 0, onError: () => undefined });
    const badge = new Badge({ session: fakeArea(), setText: async () => undefined, setColor: async () => undefined, onError: () => undefined });
    const router = createRouter({
      extensionId: EXT, extensionBaseUrl: `chrome-extension://${EXT}/`, tallies, settings, badge,
      tabUrl: async () => undefined, badgeColor: async () => '#000', onError: () => undefined, policy,
    });
    return { router, local };
  }

  it('refuses ui/set-mode for a locked site and keeps the stored settings untouched', async () => {
    const { router, local } = setup({ sites: [{ pattern: 'locked.test', mode: 'monitor', locked: true }] });
    const reply = await router.handle({ type: 'ui/set-mode', site: 'locked.test', mode: 'off' }, page) as Record<string, unknown>;
    expect(reply).toMatchObject({ site: 'locked.test', mode: 'monitor', locked: true, source: 'policy-locked' });
    expect(String(reply.refused)).toContain('administrator');
    expect(router.rejected.locked).toBe(1);
    expect(local.data.settings).toBeUndefined();
    // The content script is told the policy's mode.
    expect(await router.handle({ type: 'frame/hello' }, frame)).toEqual({ mode: 'monitor' });
  });

  it('allows ui/set-mode for unlocked sites, and the global lock refuses every site', async () => {
    const open = setup({ sites: [{ pattern: 'locked.test', mode: 'monitor', locked: true }] });
    const ok = await open.router.handle({ type: 'ui/set-mode', site: 'free.test', mode: 'off' }, page);
    expect(ok).toMatchObject({ mode: 'off', locked: false, source: 'user' });
    expect(ok).not.toHaveProperty('refused');
    const all = setup({ lockAllSettings: true });
    const no = await all.router.handle({ type: 'ui/set-mode', site: 'free.test', mode: 'off' }, page);
    expect(no).toMatchObject({ mode: 'protect', locked: true });
    expect(no).toHaveProperty('refused');
  });

  it('ui/policy returns the parsed policy and its warnings; frame/hello carries selectors and origins', async () => {
    const { router } = setup({ sensitiveSelectors: ['#ssn', 'input['], trustedOrigins: ['https://w.test'] });
    const view = await router.handle({ type: 'ui/policy' }, page) as { warnings: { key: string }[]; policy: Policy };
    expect(view.warnings.map((w) => w.key)).toEqual(['sensitiveSelectors[1]']);
    expect(await router.handle({ type: 'frame/hello' }, frame)).toEqual({ mode: 'protect', sensitiveSelectors: ['#ssn'], trustedOrigins: ['https://w.test'] });
    // A content script cannot read the policy view.
    expect(await router.handle({ type: 'ui/policy' }, frame)).toBeUndefined();
  });
});

describe('trusted origins in the tally', () => {
  const r = (origin: string, party: 'first' | 'third', decision: 'allow' | 'deny') =>
    ({ kind: 'key' as const, api: 'addEventListener:keydown', origin, party, decision, target: 'element' as const, count: 2 });

  it('tallies a trusted origin\'s attempts as allowed, whatever the frame decided before its settings arrived', () => {
    const out = applyTrusted([r('https://widget.example', 'third', 'deny'), r('https://tracker.example', 'third', 'deny'), r('https://shop.example', 'first', 'allow')], ['https://widget.example']);
    expect(out).toEqual([r('https://widget.example', 'first', 'allow'), r('https://tracker.example', 'third', 'deny'), r('https://shop.example', 'first', 'allow')]);
  });

  it('leaves the reports alone without trusted origins, and never matches by prefix', () => {
    const reports = [r('https://widget.example.evil', 'third', 'deny')];
    expect(applyTrusted(reports, [])).toBe(reports);
    expect(applyTrusted(reports, ['https://widget.example'])).toEqual(reports);
  });
});
