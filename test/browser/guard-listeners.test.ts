// Issue 3 (part 1): every way a listener gets in, as a third-party script
// would try it, in real Chromium and Firefox. The same attack code served
// first-party must work exactly as without the extension.
import { describe, expect, it } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { KINDS, useBrowser, type Env } from './env';

declare global {
  interface Window {
    __captured: string[]; __firstParty: string[]; __readback: Record<string, boolean>;
    __attacksDone: boolean; __closedRoot: ShadowRoot; __moreTaps?: HTMLElement[];
  }
}

const TYPED = 'ab';

async function open(env: Env, group: string, from: 'first' | 'third'): Promise<Page> {
  const page = await env.s.browser.newPage();
  await page.goto(`${env.srv.FIRST}/guard/field.html?a=${group}&from=${from}`);
  await page.waitForFunction(() => window.__attacksDone === true);
  return page;
}

/** What a person does: types into every field (shadow ones included) and taps. */
async function act(page: Page): Promise<number> {
  const ids = await page.evaluate(() => [...document.querySelectorAll('input')].map((i) => i.id).filter(Boolean));
  let typed = 0;
  for (const id of ids) { await page.type(`#${id}`, TYPED); typed += TYPED.length; }
  await page.type('#open-host >>> #open-field', TYPED);
  await page.evaluate(() => (window.__closedRoot.getElementById('closed-field') as HTMLInputElement).focus());
  await page.keyboard.type(TYPED);
  typed += 2 * TYPED.length;
  await page.click('#pay');
  await page.click('#svgrect');
  // Buttons an attack put where a selector cannot reach (a shadow root).
  const more = await page.evaluate(() => (window.__moreTaps ?? []).length);
  for (let i = 0; i < more; i++) await ((await page.evaluateHandle((j) => window.__moreTaps![j]!, i)).asElement() as ElementHandle<Element>).click();
  return typed;
}

async function outcome(page: Page) {
  return page.evaluate(() => ({ captured: window.__captured, firstParty: window.__firstParty, readback: window.__readback }));
}

/** The labels an attack group records when nothing stops it (label:event type). */
const EXPECTED: Record<string, string[]> = {
  listeners: [
    'ael-document:keydown', 'ael-window:keyup', 'ael-field:input', 'ael-handleEvent:click', 'ael-open-root:keydown',
    'ael-open-field:keydown', 'ael-closed-root:keydown', 'ael-closed-field:input', 'ael-svg:mousedown',
  ],
  props: [
    'prop-document:keydown', 'prop-window:keyup', 'prop-field-input:input', 'prop-pay:mousedown', 'prop-svg:click',
    'prop-shadow:keyup', 'prop-proto-setter:keypress', 'prop-other-realm:keyup', 'prop-other-realm-doc:keypress',
    'prop-window-desc:keydown', 'prop-window-realm:keypress', 'prop-document-proto:keyup', 'prop-svg-proto:mousedown',
  ],
  inline: [
    'attr-set:keydown', 'attr-set-ns:input', 'attr-node:click', 'attr-value:keyup', 'inner-html:keydown', 'outer-html:keydown',
    'adjacent-html:keydown', 'document-write:keydown', 'domparser-adopt:keydown', 'domparser-import:keydown',
    'template-clone:keydown', 'contextual-fragment:keydown', 'object-markup:keydown', 'object-name:keypress',
    'weakmap-before:keydown',
  ],
  moves: [
    'move-append:keydown', 'move-append:input', 'move-append:click', 'move-detached:keydown', 'move-detached:input',
    'move-range:keydown', 'move-range:input', 'move-before:click', 'move-prop:keydown', 'move-inline:input',
    'move-closed:keydown', 'move-closed-tap:click', 'move-open:click', 'move-peer:keydown', 'move-table:click', 'move-clone:value',
    'move-read:value',
  ],
};

describe.each(KINDS)('listener paths in %s', (kind) => {
  const env = useBrowser(kind);

  for (const group of Object.keys(EXPECTED)) {
    it(`a third-party script's ${group} attacks hear nothing while the page's own listeners hear everything`, async () => {
      const page = await open(env, group, 'third');
      const typed = await act(page);
      const { captured, firstParty, readback } = await outcome(page);
      expect(captured).toEqual([]);
      // The page's own document listener saw every key and both taps...
      expect(firstParty.filter((e) => e.startsWith('doc-keydown:')).length).toBe(typed);
      expect(firstParty).toContain('doc-click:pay');
      // ...and its own property, attribute, markup and shadow handlers all ran.
      for (const own of ['inline-click', 'prop-keydown', 'attr-keyup', 'markup-input', 'shadow-keydown']) expect(firstParty).toContain(own);
      // A denied handler still reads back as what was set.
      for (const [label, ok] of Object.entries(readback)) expect({ label, ok }).toEqual({ label, ok: true });
      await page.close();
    });

    it(`the same ${group} code served first-party works as without the extension`, async () => {
      const page = await open(env, group, 'first');
      await act(page);
      const { captured, readback } = await outcome(page);
      const expected = [...EXPECTED[group]!];
      // attacks.js feature-tests these two, so an engine without them would
      // skip them silently: both engines tested here have them, and must.
      const has = await page.evaluate(() => [typeof Element.prototype.setHTMLUnsafe, typeof (Document as unknown as { parseHTMLUnsafe?: unknown }).parseHTMLUnsafe]);
      expect(has, 'setHTMLUnsafe and Document.parseHTMLUnsafe').toEqual(['function', 'function']);
      if (group === 'inline') expected.push('set-html-unsafe:keydown', 'parse-html-unsafe:keydown');
      expect([...new Set(captured)].sort()).toEqual(expected.sort());
      for (const [label, ok] of Object.entries(readback)) expect({ label, ok }).toEqual({ label, ok: true });
      await page.close();
    });
  }
});
