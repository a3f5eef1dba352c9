// Helpers for the popup, dashboard and storage tests (issue 4): talking to the
// background from an extension page, as the popup and automation do.
import type { Page } from 'puppeteer-core';
import type { Env } from './env';
import { openExtensionPage, type Session } from '../../scanner/lib/browsers.mjs';

/** Sends a ui/* message from an already open extension page (Firefox: `browser`, Chromium: `chrome`). */
export function sendFrom<T>(page: Page, msg: Record<string, unknown>): Promise<T> {
  return page.evaluate((m) => {
    type Api = { runtime: { sendMessage(m: unknown): Promise<unknown> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    return (g.browser ?? g.chrome)!.runtime.sendMessage(m);
  }, msg) as Promise<T>;
}

/** Polls `read` until `done` holds; returns the last value (the caller asserts on it). */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, timeout = 15_000, every = 300): Promise<T> {
  const until = Date.now() + timeout;
  let v = await read();
  while (!done(v) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, every));
    v = await read();
  }
  return v;
}

/** Opens the fixture, types into the login form and taps Pay, as a person would. */
export async function visitCheckout(env: Env, path = '/typing-third.html'): Promise<Page> {
  const page = await env.s.browser.newPage();
  await page.goto(env.srv.FIRST + path);
  await page.waitForFunction(() => (window as unknown as { __tiktokRegistered?: boolean }).__tiktokRegistered === true);
  await page.type('#email', 'ada@example.com');
  await page.type('#password', 'hunter2!');
  await page.click('#pay');
  return page;
}

/**
 * openExtensionPage, once more if the first try fails: Firefox's BiDi
 * sometimes answers a selector poll made mid-navigation with a protocol error
 * ("right-hand side of 'in' should be an object"). A page that never shows
 * the selector still fails.
 */
export async function openPage(env: Env, path: string, selector: string): Promise<Page> {
  return openPageIn(env.s, path, selector);
}

/** openPage for a session of one's own (the storage test relaunches its browser). */
export async function openPageIn(s: Session, path: string, selector: string, timeout = 15_000): Promise<Page> {
  try {
    return await openExtensionPage(s, path, selector, timeout);
  } catch (e) {
    console.warn(`[${s.kind}] opening ${path} failed once (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); retrying`);
    for (const p of await s.browser.pages()) if (p.url().includes(path)) await p.close();
    return openExtensionPage(s, path, selector, timeout);
  }
}
