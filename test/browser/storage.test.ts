// Issue 4: durable tallies in real Chromium and Firefox. A burst of 10,000
// third-party attempts is counted exactly; the counts survive the background
// being stopped (Chromium: its service worker) and the browser restarting on
// the same profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launch, type Session } from '../../scanner/lib/browsers.mjs';
import { serve } from '../../scanner/lib/serve.mjs';
import { KINDS, type Kind } from './env';
import { openPageIn, pollUntil, sendFrom } from './ui-helpers';

interface Counts { attempted: number; blocked: number; allowed: number }
interface Db { version: number; sites: Record<string, { origins: Record<string, { party: string; kinds: Record<string, Counts> }> }> }

const SITE = '127.0.0.2';

/**
 * Restart in Firefox: an unsigned build can only be a temporary add-on, which
 * Firefox forgets when it quits, so "restart" here is the same profile, the
 * add-on installed again with the same id and the same fixed UUID
 * (launch() pins it), as a signed add-on would simply stay installed.
 * Measured: its storage.local is still there (with or without
 * extensions.webextensions.keepStorageOnUninstall).
 */

async function extPage(s: Session): Promise<Page> {
  return openPageIn(s, 'popup.html?site=untapped.invalid', '[data-testid="site"]', 30_000);
}

function totals(db: Db, origin: string): Counts {
  const t = { attempted: 0, blocked: 0, allowed: 0 };
  for (const c of Object.values(db.sites[SITE]?.origins[origin]?.kinds ?? {})) {
    t.attempted += c.attempted;
    t.blocked += c.blocked;
    t.allowed += c.allowed;
  }
  return t;
}

async function readAll(s: Session): Promise<Db> {
  const page = await extPage(s);
  try {
    return await sendFrom<Db>(page, { type: 'ui/all' });
  } finally {
    await page.close();
  }
}

describe.each(KINDS)('durable tallies in %s', (kind: Kind) => {
  let srv: Awaited<ReturnType<typeof serve>>;
  let profile: string;
  let s: Session;

  beforeAll(async () => {
    srv = await serve('test/fixtures');
    profile = mkdtempSync(join(tmpdir(), `untapped-storage-${kind}-`));
    s = await launch(kind, { userDataDir: profile });
  });
  afterAll(async () => {
    await s?.close();
    await srv?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('counts a burst of 10,000 third-party attempts exactly', async () => {
    const page = await s.browser.newPage();
    const started = Date.now();
    await page.goto(srv.OTHER + '/burst.html');
    await page.waitForFunction(() => (window as unknown as { __burstDone?: boolean }).__burstDone === true, { timeout: 30_000 });
    const made = await page.evaluate(() => (window as unknown as { __burstMade: number }).__burstMade);
    expect(made).toBe(10_000);
    const db = await pollUntil(() => readAll(s), (d) => totals(d, srv.THIRD).attempted >= 10_000, 30_000, 500);
    console.log(`[${kind}] 10,000 attempts made and tallied in ${Date.now() - started} ms`);
    expect(totals(db, srv.THIRD)).toEqual({ attempted: 10_000, blocked: 10_000, allowed: 0 });
    // Nothing more arrives later (no double counting either).
    await new Promise((r) => setTimeout(r, 1500));
    expect(totals(await readAll(s), srv.THIRD)).toEqual({ attempted: 10_000, blocked: 10_000, allowed: 0 });
    await page.close();
  });

  it.runIf(kind === 'chromium')('the tallies survive the service worker being stopped', async () => {
    const before = await readAll(s);
    expect(totals(before, srv.THIRD).attempted).toBe(10_000);
    const id = new URL(s.extensionBase!).host;
    const swTarget = await s.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${id}/`));
    const worker = await swTarget.worker();
    await worker!.evaluate(() => { (globalThis as unknown as { __untappedProbe: number }).__untappedProbe = 1; });
    // Stop the worker as Chromium does when it idles one out (puppeteer closes
    // the worker's target and detaches, after which Chromium stops it).
    await worker!.close();
    await pollUntil(async () => (await s.browser.targets()).includes(swTarget), (alive) => !alive, 15_000, 100);
    expect((await s.browser.targets()).includes(swTarget)).toBe(false);
    const page = await extPage(s);
    // The next message wakes a fresh worker, which reads the tallies from storage.
    const after = await sendFrom<Db>(page, { type: 'ui/all' });
    const fresh = await s.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${id}/`));
    expect(await (await fresh.worker())!.evaluate(() => (globalThis as unknown as { __untappedProbe?: number }).__untappedProbe)).toBeUndefined();
    expect(after).toEqual(before);
    await page.close();
  });

  it.runIf(kind === 'firefox')('the tallies survive the add-on being reloaded (a fresh event page)', async () => {
    // Firefox has no worker target to stop from automation; reloading the
    // add-on ends its event page and all its memory the same way.
    const before = await readAll(s);
    expect(totals(before, srv.THIRD).attempted).toBe(10_000);
    const page = await extPage(s);
    await page.evaluate(() => { (globalThis as unknown as { browser: { runtime: { reload(): void } } }).browser.runtime.reload(); });
    // The reload closes the extension's pages; wait for that, then read through a new one.
    await pollUntil(async () => (await s.browser.pages()).some((p) => p.url().startsWith(s.extensionBase!)), (open) => !open, 15_000, 200);
    const after = await pollUntil(() => readAll(s).catch(() => null), (d) => d !== null, 30_000, 500);
    expect(after).toEqual(before);
  });

  it('the tallies survive a browser restart on the same profile', async () => {
    const before = await readAll(s);
    expect(totals(before, srv.THIRD).attempted).toBe(10_000);
    await s.close();
    s = await launch(kind, { userDataDir: profile });
    if (kind === 'chromium') {
      // On a reused profile the worker takes seconds to start on this loaded
      // machine; a page that asks earlier waits for it.
      await s.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(s.extensionBase!), { timeout: 60_000 });
    }
    const after = await readAll(s);
    expect(after).toEqual(before);
  });
});
