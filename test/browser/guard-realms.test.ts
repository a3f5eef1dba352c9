// Issue 3 (part 1): no realm yields an unguarded native. A third-party script
// takes addEventListener, an on* setter, setAttribute, the value getter and
// the value attribute's readers (getAttribute, outerHTML: the page mirrors
// what is typed there, as React does) from every kind of same-origin realm
// and uses them on the top page's fields.
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { KINDS, useBrowser, type Env } from './env';

declare global {
  interface Window { __realmErrors: Record<string, string>; __realmsUsed: string[]; __popupDone: boolean }
}

/** Realms a page script can reach and use (data: frames are opaque-origin, so unreachable). */
const REALMS = ['initial-blank', 'markup-frame', 'about-blank', 'frames-index', 'detached', 'srcdoc', 'nested-srcdoc', 'javascript-url', 'blob', 'static-frames', 'popup',
  // Frames that keep the number of frames unchanged (removed and added, replaced).
  'swap-frame', 'replaced-frame', 'markup-swap',
  // Frames connected by Range.insertNode and execCommand, and one inside a frame's initial about:blank.
  'range-frame', 'editing-frame', 'nested-blank',
  // A frame connected while the page had broken array iteration, or an Object.prototype with a `get`.
  'broken-iteration', 'polluted-descriptors',
  // The natives behind the top realm's own wrappers, asked for through a Proxy trap on Object.prototype.
  'proxy-traps'];

async function run(env: Env, from: 'first' | 'third') {
  const page = await env.s.browser.newPage();
  await page.goto(`${env.srv.FIRST}/guard/realms.html?from=${from}`);
  await page.waitForFunction(() => window.__attacksDone === true, { timeout: 20_000 });
  // The attacker's own widget: allowed to hear its own click, which opens the popup.
  await page.click('#attacker-button');
  await page.waitForFunction(() => window.__popupDone === true);
  // And its second popup, made into javascript: markup (src/guard/synthetic.ts).
  await page.click('#attacker-popup-markup');
  await page.waitForFunction(() => (window as unknown as { __jsurlPopupDone?: boolean }).__jsurlPopupDone === true, { timeout: 15_000 });
  const ids = await page.evaluate(() => [...document.querySelectorAll('input')].map((i) => i.id));
  for (const id of ids) await page.type(`#${id}`, 'ab');
  const result = await page.evaluate(() => ({
    initialHref: (window as unknown as { __initialHref: string }).__initialHref,
    captured: window.__captured, firstParty: window.__firstParty, used: window.__realmsUsed, errors: window.__realmErrors,
  }));
  for (const p of await env.s.browser.pages()) if (p !== page && (await p.evaluate(() => !!window.opener).catch(() => false))) await p.close();
  await page.close();
  return result;
}

describe.each(KINDS)('realms in %s', (kind) => {
  const env = useBrowser(kind);

  it('a third party using natives from every same-origin realm hears nothing', async () => {
    const { captured, firstParty, used, errors, initialHref } = await run(env, 'third');
    // The parser-made frame was reached in its initial about:blank, which no content script runs in.
    expect(initialHref).toBe('about:blank');
    // Every realm was really reached and its natives really called (in
    // Firefox a removed frame's natives throw instead, which also yields nothing)...
    expect([...used, ...Object.keys(errors).filter((r) => r === 'detached')].sort()).toEqual([...REALMS].sort());
    // ...the javascript: markup popup really opened and was made (its inline code sealed)...
    expect(errors['jsurl-popup']).toBeUndefined();
    // ...the opaque data: frame could not be reached at all...
    expect(errors['data-url']).toMatch(/SecurityError|denied|cross-origin|null/i);
    // ...and none of them heard a key or read the password, while the page heard all 23 fields.
    expect(captured).toEqual([]);
    expect(firstParty.filter((e) => e.startsWith('doc-keydown:')).length).toBe(2 * 23);
  });

  it('the same code served first-party hears through every realm', async () => {
    const { captured, used } = await run(env, 'first');
    expect(used.filter((r) => r !== 'detached').sort()).toEqual(REALMS.filter((r) => r !== 'detached').sort());
    const heard = new Set(captured.map((c) => c.split(':')[0]));
    for (const realm of REALMS) {
      if (realm === 'detached') {
        // Known gap (docs/threat-model.md, "Realms"): through a removed
        // iframe's natives even first-party code is answered as third-party
        // in Firefox, and its addEventListener delivers nothing in Chromium.
        continue;
      }
      for (const path of ['ael', 'prop', 'attr', 'value', 'mirror', 'mirror-attr', 'mirror-markup']) expect(heard).toContain(`${realm}-${path}`);
    }
  });
});
