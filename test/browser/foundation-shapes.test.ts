// Issue 2: every listener shape, every frame kind, native look, badge.
import { afterAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { KINDS, sendUi, useBrowser, type Env } from './env';

declare global {
  interface Window {
    __got: Record<string, number>; __threw: string[]; __optionsReady: boolean;
    __captured: string[]; __firstParty: string[]; __loggerReady: boolean;
  }
}

const TYPED = 'secret';

async function openOptions(env: Env): Promise<Page> {
  const page = await env.s.browser.newPage();
  await page.goto(env.srv.FIRST + '/options.html');
  await page.waitForFunction(() => window.__optionsReady === true);
  // Let the relay hand the guard this site's mode before the user types.
  await new Promise((r) => setTimeout(r, 300));
  await page.type('#f', TYPED);
  await page.click('#b');
  return page;
}

async function frameNamed(page: Page, name: string): Promise<Frame> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      const el = await f.frameElement();
      const n = el ? await el.evaluate((e) => (e as HTMLIFrameElement).name) : null;
      if (n === name) return f;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`frame ${name} not found`);
}

describe.each(KINDS)('listener shapes and frames in %s', (kind) => {
  const env = useBrowser(kind);
  afterAll(async () => {
    await sendUi(env, { type: 'ui/set-mode', site: '127.0.0.1', mode: 'protect' });
  });

  it('protect: a third party gets nothing through any listener shape, and nothing throws', async () => {
    const page = await openOptions(env);
    const { got, threw, firstParty } = await page.evaluate(() => ({ got: window.__got, threw: window.__threw, firstParty: window.__firstParty }));
    expect(firstParty.join('')).toBe(TYPED);
    expect(threw).toEqual([]);
    expect(got).toEqual({ fn: 0, object: 0, capture: 0, captureObj: 0, once: 0, passive: 0, signal: 0, removed: 0, removedObj: 0 });
    await page.close();
  });

  it('monitor: the same registrations keep their native meaning (once, signal, remove, handleEvent)', async () => {
    await sendUi(env, { type: 'ui/set-mode', site: '127.0.0.1', mode: 'monitor' });
    const page = await openOptions(env);
    const { got, threw } = await page.evaluate(() => ({ got: window.__got, threw: window.__threw }));
    expect(threw).toEqual([]);
    expect(got).toEqual({
      fn: TYPED.length, object: TYPED.length, capture: TYPED.length, captureObj: TYPED.length,
      once: 1, passive: 1, signal: 0, removed: 0, removedObj: 0,
    });
    await page.close();
    await sendUi(env, { type: 'ui/set-mode', site: '127.0.0.1', mode: 'protect' });
  });

  it('the guarded methods look native', async () => {
    const page = await env.s.browser.newPage();
    await page.goto(env.srv.FIRST + '/options.html');
    const facts = await page.evaluate(() => {
      const proto = EventTarget.prototype;
      const fts = Function.prototype.toString;
      // dispatchEvent is never wrapped: it shows this engine's native format.
      const nativeText = (name: string) => fts.call(proto.dispatchEvent).replace('dispatchEvent', name);
      const out: Record<string, unknown> = {};
      for (const name of ['addEventListener', 'removeEventListener'] as const) {
        const fn = proto[name];
        const d = Object.getOwnPropertyDescriptor(proto, name)!;
        let constructs = true;
        try { new (fn as unknown as new () => unknown)(); } catch (e) { constructs = !(e instanceof TypeError); }
        out[name] = {
          toString: fts.call(fn) === nativeText(name),
          toStringToString: fts.call(fts) === nativeText('toString'),
          viaMethod: String(fn) === nativeText(name),
          name: fn.name, length: fn.length, hasPrototype: 'prototype' in fn, constructs,
          writable: d.writable, enumerable: d.enumerable, isFunction: typeof d.value === 'function',
        };
      }
      return out;
    });
    for (const [name, length] of [['addEventListener', 2], ['removeEventListener', 2]] as const) {
      expect(facts[name]).toEqual({
        toString: true, toStringToString: true, viaMethod: true, name, length,
        hasPrototype: false, constructs: false, writable: true, enumerable: true, isFunction: true,
      });
    }
    await page.close();
  });

  it('first-party code that patches addEventListener on top (zone.js-style) still works, and no patching recovers an unguarded native', async () => {
    const page = await env.s.browser.newPage();
    await page.goto(env.srv.FIRST + '/typing-third.html');
    await page.waitForFunction(() => Array.isArray(window.__firstParty));
    await page.addScriptTag({ url: env.srv.FIRST + '/scripts/zone-like.js' });
    await page.waitForFunction(() => (window as unknown as { __zoneReady: boolean }).__zoneReady === true);
    // A third party now tries every way back to a native: the descriptor, deletion, redefinition.
    await page.addScriptTag({ url: env.srv.THIRD + '/scripts/native-hunter.js' });
    await page.waitForFunction(() => (window as unknown as { __hunterDone: boolean }).__hunterDone === true);
    await page.type('#email', 'ab');
    const r = await page.evaluate(() => ({
      zoneCalls: (window as unknown as { __zoneCalls: number }).__zoneCalls,
      firstParty: window.__firstParty,
      hunted: (window as unknown as { __hunted: string[] }).__hunted,
    }));
    expect(r.zoneCalls).toBeGreaterThanOrEqual(1);
    expect(r.firstParty.filter((e) => e.startsWith('zone:'))).toEqual(['zone:a', 'zone:b']);
    expect(r.hunted).toEqual([]);
    await page.close();
  });

  it('guards every frame: same-origin, cross-origin, srcdoc, sandboxed srcdoc, about:blank, data: and blob:', async () => {
    const page = await env.s.browser.newPage();
    await page.goto(env.srv.FIRST + '/frames.html');
    // A sandboxed srcdoc's own listener hears the keys: nothing outside an
    // opaque origin can call into it, so its own inline code is first party there.
    const names = ['same', 'cross', 'srcdoc', 'sandboxed', 'blank', 'data', 'blob'];
    const frameByName = (name: string): Promise<Frame> => frameNamed(page, name);
    for (const name of names) {
      const f = await frameByName(name);
      await f.waitForFunction(() => window.__loggerReady === true && Array.isArray(window.__firstParty), { timeout: 10_000 });
      await f.type('#f', 'pw');
      const r = await f.evaluate(() => ({
        captured: window.__captured,
        // Proof the keys arrived: the frame's own listener, or for the frames
        // whose inline code is a known gap (below) the parent's listener.
        saw: (window as unknown as { __parentSaw?: string[] }).__parentSaw ?? window.__firstParty,
      }));
      expect({ name, ...r }).toEqual({ name, captured: [], saw: ['p', 'w'] });
    }
    await page.close();
  });

  // KNOWN GAP (docs/threat-model.md, "Known gaps of attribution"): the frame's
  // own inline scripts in srcdoc and document.write'd about:blank frames have
  // no URL the guard can trust, so it fails closed and treats them as third
  // party. This pins today's behaviour: it fails, and must be updated, the day
  // they are recognised as first party.
  it('KNOWN GAP (pinned): the own inline listeners of srcdoc and document.write\'d about:blank frames (and blob: frames in Firefox) are treated as third party', async () => {
    const page = await env.s.browser.newPage();
    await page.goto(env.srv.FIRST + '/frames.html');
    // Firefox also shows a blob: document's inline scripts without a URL it can trust.
    for (const name of kind === 'firefox' ? ['srcdoc', 'blank', 'blob'] : ['srcdoc', 'blank']) {
      const f = await frameNamed(page, name);
      await f.waitForFunction(() => window.__loggerReady === true && Array.isArray(window.__firstParty)
        && Array.isArray((window as unknown as { __parentSaw?: string[] }).__parentSaw), { timeout: 10_000 });
      await f.type('#f', 'pw');
      const r = await f.evaluate(() => ({ own: window.__firstParty, parent: (window as unknown as { __parentSaw: string[] }).__parentSaw }));
      expect({ name, ...r }).toEqual({ name, own: [], parent: ['p', 'w'] });
    }
    await page.close();
  });
});
