// Issue 5: enterprise policy, through the browsers' real policy files.
// Chromium: /etc/chromium/policies/managed/<file>.json; Firefox ESR on Debian:
// /etc/firefox/policies/policies.json. Both are machine-wide, and other test
// runs share this machine: every rule here names only the site 127.0.0.2
// (the fixture server's {{OTHER}} origin), no global default mode or global
// lock is pushed, and the files are removed in afterAll (and on exit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Page } from 'puppeteer-core';
import { chromiumExtensionId, GECKO_ID, launch, openExtensionPage } from '../../scanner/lib/browsers.mjs';
import { serve } from '../../scanner/lib/serve.mjs';
import { KINDS, waitForPopup, waitForQuiet, type Env, type Kind } from './env';
import type { Payload } from '../../src/background/reporting';

declare global {
  interface Window {
    __captured: string[]; __tiktokRegistered: boolean;
    __widgetHeard: string[]; __widgetReady: boolean; __probeHeard: string[]; __probeReady: boolean;
    __probeSeen: { employee: string; nickname: string } | null;
  }
}

const SITE = '127.0.0.2';
const CHROMIUM_FILE = `/etc/chromium/policies/managed/untapped-policy-test-${process.pid}.json`;
const FIREFOX_FILE = '/etc/firefox/policies/policies.json';
const REPORT_PATH = '/collect/untapped-policy-report';
// Typed into the page; must never reach the reporting endpoint.
const CANARY = 'Qz7Canary';

function policyFor(srv: Env['srv']): Record<string, unknown> {
  return {
    sites: [
      { pattern: SITE, mode: 'monitor', locked: true },
      { pattern: 'bad pattern!', mode: 'off' },
      // A typo in a mode: Chrome would drop the whole list if the schema had an enum.
      { pattern: 'invalid-mode.test', mode: 'banana' },
    ],
    sensitiveSelectors: ['#untapped-policy-test-only', 'input['],
    trustedOrigins: ['not an origin', 'http://127.0.0.2:1'],
    reporting: { endpoint: srv.OTHER + REPORT_PATH, intervalSeconds: 1 },
  };
}

/** Writes the browser's policy file; returns a function that puts things back as they were. */
/** Makes `dir` (and parents) and returns a function removing the ones it made, if still empty. */
function makeDirs(dir: string): () => void {
  const made: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) made.push(d);
  mkdirSync(dir, { recursive: true });
  return () => {
    for (const d of made) {
      if (readdirSync(d).length > 0) break;
      rmdirSync(d);
    }
  };
}

function writePolicy(kind: Kind, policy: Record<string, unknown>): () => void {
  if (kind === 'chromium') {
    const unmake = makeDirs(dirname(CHROMIUM_FILE));
    writeFileSync(CHROMIUM_FILE, JSON.stringify({ '3rdparty': { extensions: { [chromiumExtensionId()]: policy } } }));
    return () => {
      rmSync(CHROMIUM_FILE, { force: true });
      unmake();
    };
  }
  const before = existsSync(FIREFOX_FILE) ? readFileSync(FIREFOX_FILE, 'utf8') : null;
  // Keep whatever policies were already there; add ours for the extension only.
  const doc = before ? (JSON.parse(before) as { policies?: Record<string, unknown> }) : {};
  const policies = (doc.policies ??= {});
  const third = (policies['3rdparty'] ??= {}) as { Extensions?: Record<string, unknown> };
  (third.Extensions ??= {})[GECKO_ID] = policy;
  const unmake = makeDirs(dirname(FIREFOX_FILE));
  writeFileSync(FIREFOX_FILE, JSON.stringify(doc));
  return () => {
    if (before === null) rmSync(FIREFOX_FILE, { force: true });
    else writeFileSync(FIREFOX_FILE, before);
    unmake();
  };
}

async function poll<T>(what: string, fn: () => Promise<T | undefined>, timeout = 20_000): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

interface PopupState { mode: string | null; locked: boolean; allDisabled: boolean; radios: number }

async function popupState(page: Page): Promise<PopupState> {
  return page.evaluate(() => {
    const radios = [...document.querySelectorAll<HTMLInputElement>('input[name="mode"]')];
    return {
      mode: radios.find((r) => r.checked)?.value ?? null,
      locked: document.querySelector('[data-testid="locked"]') !== null,
      allDisabled: radios.length > 0 && radios.every((r) => r.matches(':disabled')),
      radios: radios.length,
    };
  });
}

async function typeOn(env: Env, origin: string): Promise<{ page: Page; captured: string[] }> {
  const page = await env.s.browser.newPage();
  await page.goto(origin + '/typing-third.html');
  await page.waitForFunction(() => window.__tiktokRegistered === true);
  await page.type('#email', 'ada@example.com');
  await page.type('#password', CANARY);
  await page.click('#pay');
  return { page, captured: await page.evaluate(() => window.__captured) };
}

describe.each(KINDS)('enterprise policy in %s', (kind) => {
  const env = {} as Env;
  let restore: (() => void) | null = null;
  const cleanup = (): void => {
    const r = restore;
    restore = null;
    r?.();
  };

  beforeAll(async () => {
    env.srv = await serve('test/fixtures');
    restore = writePolicy(kind, policyFor(env.srv));
    process.once('exit', cleanup);
    try {
      env.s = await launch(kind);
    } catch (e) {
      cleanup();
      throw e;
    }
  });

  afterAll(async () => {
    try {
      await env.s?.close();
    } finally {
      cleanup();
      process.off('exit', cleanup);
      await env.srv?.close();
    }
  });

  it('a locked site rule: the popup switch is disabled and a forced ui/set-mode is refused by the background', async () => {
    // Chromium may apply policy files a moment after start: poll the popup.
    const state = await poll('the popup to show the lock', async () => {
      const page = await openExtensionPage(env.s, `popup.html?site=${SITE}`, '[data-testid="modes"]');
      const s = await popupState(page);
      await page.close();
      return s.locked ? s : undefined;
    });
    expect(state).toEqual({ mode: 'monitor', locked: true, allDisabled: true, radios: 3 });

    const page = await openExtensionPage(env.s, `popup.html?site=${SITE}`, '[data-testid="locked"]');
    // A person clicking "Off" changes nothing.
    await page.click('input[name="mode"][value="off"]').catch(() => undefined /* a disabled input may refuse the click itself */);
    expect((await popupState(page)).mode).toBe('monitor');
    // A message sent past the UI is refused by the background.
    const reply = await forceSetMode(page, SITE, 'off');
    expect(reply.mode).toBe('monitor');
    expect(reply.locked).toBe(true);
    expect(reply.source).toBe('policy-locked');
    expect(reply.refused).toMatch(/administrator/);
    await page.close();
    const again = await openExtensionPage(env.s, `popup.html?site=${SITE}`, '[data-testid="locked"]');
    expect(await popupState(again)).toEqual({ mode: 'monitor', locked: true, allDisabled: true, radios: 3 });
    await again.close();
  });

  it('the pushed mode takes effect on the page: monitor on 127.0.0.2 lets the keylogger see typing; protect elsewhere does not', async () => {
    const other = await typeOn(env, env.srv.OTHER);
    const keydowns = other.captured.filter((e) => e.startsWith('keydown:'));
    expect(keydowns.length).toBe('ada@example.com'.length + CANARY.length);
    expect(keydowns.slice(-CANARY.length).map((e) => e.split(':')[1]).join('')).toBe(CANARY);
    await other.page.close();
    // The same page on a site no rule names keeps the default, protect.
    const first = await typeOn(env, env.srv.FIRST);
    expect(first.captured).toEqual([]);
    await first.page.close();
  });

  it('the dashboard shows what the administrator set and names every invalid key', async () => {
    const page = await openExtensionPage(env.s, 'dashboard.html', '[data-testid="policy-warnings"]');
    const seen = await page.evaluate(() => ({
      keys: [...document.querySelectorAll('[data-testid="policy-warnings"] li')].map((li) => li.getAttribute('data-key')),
      text: document.querySelector('[data-testid="policy-warnings"]')?.textContent ?? '',
      rules: [...document.querySelectorAll('[data-testid="policy-sites"] tr')].map((tr) => [tr.getAttribute('data-pattern'), tr.getAttribute('data-locked')]),
      trusted: document.querySelector('[data-testid="policy-trusted"]')?.textContent?.trim(),
      reporting: document.querySelector('[data-testid="policy-reporting"] code')?.textContent,
    }));
    const invalid = ['sites[1].pattern', 'sites[2].mode', 'sensitiveSelectors[1]', 'trustedOrigins[0]'];
    expect(seen.keys).toEqual(invalid);
    for (const k of invalid) expect(seen.text).toContain(k);
    expect(seen.rules).toEqual([[SITE, 'true']]);
    expect(seen.trusted).toBe('http://127.0.0.2:1');
    expect(seen.reporting).toBe(env.srv.OTHER + REPORT_PATH);
    await page.close();
  });

  it('the reporting endpoint receives per-origin counts for the site, and nothing typed', async () => {
    // Self-contained: this visit alone is enough to report (earlier tests add to the same tallies).
    // The page stays open until its batches have landed (closing it could drop the last one).
    const visit = await typeOn(env, env.srv.OTHER);
    // Reports travel guard -> relay -> background in batches: wait for the keylogger's row, then for quiet.
    const seen = await waitForPopup(env, SITE, (r) => r.some((x) => x.party === 'third'), 20_000);
    expect(seen.filter((r) => r.party === 'third'), JSON.stringify(seen)).not.toEqual([]);
    const rows = await waitForQuiet(env, SITE);
    await visit.page.close();
    // The keylogger's origin as the popup shows it (the guard attributes it).
    const third = rows.filter((r) => r.party === 'third');
    expect(third.length).toBeGreaterThan(0);
    const reports = () => env.srv.requests.filter((r) => r.method === 'POST' && r.url === REPORT_PATH);
    type Sum = { attempted: number; blocked: number; allowed: number };
    const sums = (): Record<string, Sum> => {
      const out: Record<string, Sum> = {};
      for (const r of reports()) {
        const p = JSON.parse(r.body) as Payload;
        for (const b of p.batches) for (const s of b.sites) {
          if (s.site !== SITE) continue;
          for (const o of s.origins) {
            const t = (out[o.origin] ??= { attempted: 0, blocked: 0, allowed: 0 });
            t.attempted += o.attempted; t.blocked += o.blocked; t.allowed += o.allowed;
          }
        }
      }
      return out;
    };
    // Every origin's counts, summed over the batches that arrived, match the popup.
    const want = Object.fromEntries(rows.map((r) => [r.origin, { attempted: r.blocked + r.allowed, blocked: r.blocked, allowed: r.allowed }]));
    const got = await poll('reports to reach the endpoint', async () => {
      const s = sums();
      const mine = Object.fromEntries(Object.keys(want).map((o) => [o, s[o]]));
      return JSON.stringify(mine) === JSON.stringify(want) ? mine as Record<string, Sum> : undefined;
    }).catch((e: unknown) => { throw new Error(`${String(e)}; endpoint has ${JSON.stringify(sums())}, popup ${JSON.stringify(want)}`); });
    expect(got).toEqual(want);
    // Monitor (the locked rule) lets the keylogger through: keydown, keypress and click at least.
    expect(Math.min(...third.map((r) => got[r.origin]!.allowed))).toBeGreaterThanOrEqual(3);
    expect(third.every((r) => got[r.origin]!.blocked === 0)).toBe(true);
    expect(reports()[0]!.headers['content-type']).toBe('application/json');
    for (const r of reports()) {
      expect(r.body).not.toContain(CANARY);
      expect(r.body).not.toContain('ada@example');
      expect(r.body).not.toContain('addEventListener');
      const p = JSON.parse(r.body) as Payload;
      expect(p).toMatchObject({ schema: 1, product: 'untapped' });
    }
  });

  // Firefox reads policies.json only at start-up, so a live change can only be
  // made (and tested) in Chromium, which reloads its policy directory while
  // running and fires storage.onChanged for `managed`.
  it.runIf(kind === 'chromium')('a policy changed while the browser runs applies without a restart (Chromium)', async () => {
    // A dashboard left open follows the change too.
    const dashboard = await openExtensionPage(env.s, 'dashboard.html', '[data-testid="policy-sites"]');
    const dashboardRule = () => dashboard.evaluate(() => document.querySelector('[data-testid="policy-sites"] tr')?.textContent ?? '');
    expect(await dashboardRule()).toContain('Monitor');
    const policy = policyFor(env.srv);
    policy.sites = [{ pattern: SITE, mode: 'off', locked: true }];
    writeFileSync(CHROMIUM_FILE, JSON.stringify({ '3rdparty': { extensions: { [chromiumExtensionId()]: policy } } }));
    const state = await poll('the new rule to reach the popup', async () => {
      const page = await openExtensionPage(env.s, `popup.html?site=${SITE}`, '[data-testid="modes"]');
      const st = await popupState(page);
      await page.close();
      return st.mode === 'off' ? st : undefined;
    }, 45_000);
    expect(state).toEqual({ mode: 'off', locked: true, allDisabled: true, radios: 3 });
    const rule = await poll('the open dashboard to show the new rule', async () => {
      const text = await dashboardRule();
      return text.includes('Off') ? text : undefined;
    }, 10_000);
    expect(rule).toContain(SITE);
    // The invalid entries of the new file are named as well (no stale warnings from the old one).
    const keys = await dashboard.evaluate(() => [...document.querySelectorAll('[data-testid="policy-warnings"] li')].map((li) => li.getAttribute('data-key')));
    expect(keys).toEqual(['sensitiveSelectors[1]', 'trustedOrigins[0]']);
    await dashboard.close();
  });
});

/**
 * Pushes `policy` only for as long as one check needs it: written, browser
 * launched, check run, file removed (Firefox reads it once at start-up, so
 * there it goes right after the launch; Chromium reloads it, so it stays
 * until the check is done).
 */
async function withPolicy(
  kind: Kind,
  policy: Record<string, unknown> | ((srv: Env['srv']) => Record<string, unknown>),
  check: (env: Env) => Promise<void>,
): Promise<void> {
  const srv = await serve('test/fixtures');
  let restore: (() => void) | null = writePolicy(kind, typeof policy === 'function' ? policy(srv) : policy);
  const remove = (): void => { const r = restore; restore = null; r?.(); };
  process.once('exit', remove);
  let s: Env['s'] | undefined;
  try {
    s = await launch(kind);
    if (kind === 'firefox') remove();
    await check({ s, srv });
  } finally {
    remove();
    process.off('exit', remove);
    await s?.close();
    await srv.close();
  }
}

const forceSetMode = (page: Page, site: string, mode: string) => page.evaluate(async (site, mode) => {
  type Ext = { runtime: { sendMessage(m: unknown): Promise<unknown> } };
  const g = globalThis as unknown as { browser?: Ext; chrome: Ext };
  return (g.browser ?? g.chrome).runtime.sendMessage({ type: 'ui/set-mode', site, mode });
}, site, mode) as Promise<{ mode: string; locked: boolean; refused?: string; source?: string }>;

describe.each(KINDS)('policy variants in %s', (kind) => {
  // The global lock affects every site, so it is pushed only briefly.
  it('global lock (lockAllSettings): every site is read-only in the popup and the background refuses changes', async () => {
    await withPolicy(kind, { lockAllSettings: true }, async (env) => {
      const state = await poll('the global lock to reach the popup', async () => {
        const page = await openExtensionPage(env.s, 'popup.html?site=127.0.0.1', '[data-testid="modes"]');
        const st = await popupState(page);
        await page.close();
        return st.locked ? st : undefined;
      });
      expect(state).toEqual({ mode: 'protect', locked: true, allDisabled: true, radios: 3 });
      const page = await openExtensionPage(env.s, 'popup.html?site=127.0.0.1', '[data-testid="locked"]');
      const reply = await forceSetMode(page, '127.0.0.1', 'off');
      expect(reply).toMatchObject({ mode: 'protect', locked: true, source: 'policy-global-lock' });
      expect(reply.refused).toMatch(/administrator/);
      await page.close();
    });
  });

  // The first tab the browser opens, as soon as it has started: the settings
  // must reach a frame whose hello came before the policy was read.
  it('trusted origins and extra sensitive selectors apply on the first page opened', async () => {
    const policy = (srv: Env['srv']) => ({ trustedOrigins: [srv.THIRD], sensitiveSelectors: ['input[name="employee-id"]'] });
    await withPolicy(kind, policy, async (env) => {
      const page = await env.s.browser.newPage();
      await page.goto(env.srv.FIRST + '/policy.html');
      await page.waitForFunction(() => window.__widgetReady === true && window.__probeReady === true);
      // Type until the trusted widget hears it (its settings may land a moment after the page starts).
      await poll('the trusted widget to hear typing', async () => {
        await page.type('#nickname', 'x');
        const heard = await page.evaluate(() => window.__widgetHeard.length);
        return heard > 0 ? heard : undefined;
      });
      await page.type('#employee', 'E77');
      await page.type('#nickname', 'Ada');
      const seen = await page.evaluate(async () => {
        await new Promise((r) => setTimeout(r, 200));
        return { widget: window.__widgetHeard.join(''), probe: window.__probeHeard, values: window.__probeSeen };
      });
      // The trusted origin hears what was typed from then on; the untrusted one hears nothing.
      expect(seen.widget.endsWith('E77Ada')).toBe(true);
      expect(seen.probe).toEqual([]);
      // The untrusted probe reading the fields: the administrator's selector makes the
      // employee id sensitive (nothing, not even the default), while the other field
      // shows only its default, never what was typed.
      expect(seen.values).toEqual({ employee: '', nickname: 'NICK-0000' });
      await page.close();
      const rows = await waitForPopup(env, '127.0.0.1', (r) => r.some((x) => x.origin === env.srv.THIRD) && r.some((x) => x.origin === env.srv.OTHER));
      const widget = rows.find((r) => r.origin === env.srv.THIRD);
      const probe = rows.find((r) => r.origin === env.srv.OTHER);
      expect(widget, JSON.stringify(rows)).toMatchObject({ blocked: 0 });
      expect(widget!.allowed).toBeGreaterThanOrEqual(1);
      expect(probe!.blocked).toBeGreaterThanOrEqual(1);
    });
  });

  it('an unlocked rule is the administrator\'s default: shown as such, and the user may change it', async () => {
    await withPolicy(kind, { sites: [{ pattern: SITE, mode: 'monitor', locked: false }] }, async (env) => {
      const adminDefault = async (page: Page) => page.evaluate(() => document.querySelector('[data-testid="admin-default"]') !== null);
      await poll('the unlocked rule to reach the popup', async () => {
        const page = await openExtensionPage(env.s, `popup.html?site=${SITE}`, '[data-testid="modes"]');
        const st = await popupState(page);
        const note = await adminDefault(page);
        await page.close();
        return st.mode === 'monitor' && note ? st : undefined;
      });
      const page = await openExtensionPage(env.s, `popup.html?site=${SITE}`, '[data-testid="admin-default"]');
      expect(await popupState(page)).toEqual({ mode: 'monitor', locked: false, allDisabled: false, radios: 3 });
      await page.click('input[name="mode"][value="protect"]');
      await page.waitForFunction(() => document.querySelector<HTMLInputElement>('input[name="mode"][value="protect"]')?.checked === true);
      await page.close();
      // The user's choice now wins over the administrator's default and is no longer marked as the admin's.
      const again = await openExtensionPage(env.s, `popup.html?site=${SITE}`, '[data-testid="modes"]');
      expect(await popupState(again)).toEqual({ mode: 'protect', locked: false, allDisabled: false, radios: 3 });
      expect(await adminDefault(again)).toBe(false);
      await again.close();
    });
  });
});
