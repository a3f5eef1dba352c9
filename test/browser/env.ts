// Shared set-up for browser tests: one loopback server and one browser session
// per test file and browser kind.
import { afterAll, beforeAll } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launch, openExtensionPage, type Session } from '../../scanner/lib/browsers.mjs';
import { serve } from '../../scanner/lib/serve.mjs';

export type Kind = 'chromium' | 'firefox';
export const KINDS: Kind[] = (process.env.UNTAPPED_BROWSERS?.split(',') as Kind[] | undefined) ?? ['chromium', 'firefox'];

export interface Env {
  s: Session;
  srv: Awaited<ReturnType<typeof serve>>;
}

export function useBrowser(kind: Kind, opts: { extension?: boolean } = {}): Env {
  const env = {} as Env;
  beforeAll(async () => {
    env.srv = await serve('test/fixtures');
    env.s = await launch(kind, opts);
  });
  afterAll(async () => {
    await env.s?.close();
    await env.srv?.close();
  });
  return env;
}

/** The popup for `site`, as a person would read it: one entry per row. */
export interface PopupRow { origin: string; party: string; tried: string; blocked: number; allowed: number }

export async function readPopup(env: Env, site: string): Promise<{ page: Page; rows: PopupRow[] }> {
  const page = await openExtensionPage(env.s, `popup.html?site=${encodeURIComponent(site)}`, '[data-testid="site"]');
  const rows = await page.$$eval('tr[data-origin]', (trs) => trs.map((tr) => ({
    origin: tr.getAttribute('data-origin') ?? '',
    party: tr.getAttribute('data-party') ?? '',
    tried: tr.querySelector('[data-field="tried"]')?.textContent ?? '',
    blocked: Number(tr.querySelector('[data-field="blocked"]')?.textContent),
    allowed: Number(tr.querySelector('[data-field="allowed"]')?.textContent),
  })));
  return { page, rows };
}

/**
 * Polls the popup until `done(rows)` holds (reports travel guard -> relay ->
 * background in batches), then returns the rows it last saw.
 */
export async function waitForPopup(env: Env, site: string, done: (rows: PopupRow[]) => boolean, timeout = 10_000): Promise<PopupRow[]> {
  const until = Date.now() + timeout;
  let last: PopupRow[] = [];
  while (Date.now() < until) {
    const { page, rows } = await readPopup(env, site);
    await page.close();
    last = rows;
    if (done(rows)) return rows;
    await new Promise((r) => setTimeout(r, 300));
  }
  return last;
}

/** Reads the popup until two reads a second apart agree: every batch has landed. */
export async function waitForQuiet(env: Env, site: string, timeout = 15_000): Promise<PopupRow[]> {
  const until = Date.now() + timeout;
  let prev = JSON.stringify((await readPopupClosed(env, site)));
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 1000));
    const rows = await readPopupClosed(env, site);
    const now = JSON.stringify(rows);
    if (now === prev) return rows;
    prev = now;
  }
  throw new Error(`popup for ${site} never settled`);
}

async function readPopupClosed(env: Env, site: string): Promise<PopupRow[]> {
  const { page, rows } = await readPopup(env, site);
  await page.close();
  return rows;
}

/** Sends a `ui/*` message to the background from an extension page, as the popup does. */
export async function sendUi<T = unknown>(env: Env, msg: Record<string, unknown>): Promise<T> {
  const page = await openExtensionPage(env.s, 'popup.html?site=untapped.invalid', '[data-testid="site"]');
  try {
    return await page.evaluate((m) => {
      type Api = { runtime: { sendMessage(m: unknown): Promise<unknown> } };
      const g = globalThis as unknown as { browser?: Api; chrome?: Api };
      return (g.browser ?? g.chrome)!.runtime.sendMessage(m) as Promise<T>;
    }, msg) as T;
  } finally {
    await page.close();
  }
}
