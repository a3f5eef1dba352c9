// Issue 3: which option of a select the user chose. A third party polling the
// index, the options collection's index, each option's `selected` and
// `selectedOptions` must keep seeing the choice as it was before the user's
// edit; the page sees the new one.
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { KINDS, useBrowser, type Env } from './env';

declare global {
  interface Window { __choices: string[]; __readerReady: boolean; __pageReady: boolean; __pageSaw: string[] }
}

async function choose(env: Env, query: string): Promise<{ page: Page; choices: string[]; pageSaw: string[] }> {
  const page = await env.s.browser.newPage();
  await page.goto(`${env.srv.FIRST}/select/page.html${query}`);
  // The reader's first poll records the choice before the user's (else a
  // first-party reader could start after it and never see the first option).
  await page.waitForFunction(() => window.__readerReady === true && window.__pageReady === true && window.__choices.length > 0);
  // The user picks "Enterprise" with the keyboard (trusted keystrokes).
  await page.focus('#plan');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => window.__pageSaw.some((x) => x.startsWith('enterprise')));
  // Several of the reader's 50 ms polls after the choice.
  await new Promise((r) => setTimeout(r, 300));
  const seen = await page.evaluate(() => ({ choices: window.__choices, pageSaw: window.__pageSaw }));
  return { page, ...seen };
}

describe.each(KINDS)('select choices in %s', (kind) => {
  const env = useBrowser(kind);

  it('a third party polling the choice keeps seeing the first option; the page sees each choice', async () => {
    const { page, choices, pageSaw } = await choose(env, '');
    expect(choices).toEqual(['index=0 options=0 selected=0 selectedOptions=Basic']);
    expect(pageSaw[pageSaw.length - 1]).toBe('enterprise#2');
    await page.close();
  });

  it('control: the same reader served first-party follows every choice (the attack is real)', async () => {
    const { page, choices, pageSaw } = await choose(env, '?reader=first');
    expect(choices[0]).toBe('index=0 options=0 selected=0 selectedOptions=Basic');
    expect(choices[choices.length - 1]).toBe('index=2 options=2 selected=2 selectedOptions=Enterprise');
    expect(pageSaw[pageSaw.length - 1]).toBe('enterprise#2');
    await page.close();
  });
});
