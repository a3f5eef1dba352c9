// Issue 3: fields inside CLOSED shadow roots. A third-party script that ran
// before the page's components replaced attachShadow and so holds the closed
// root; it must still learn nothing the user types into the field inside.
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { KINDS, useBrowser, type Env } from './env';

declare global {
  interface Window {
    __grabbed: number; __stolen: string[]; __grabberReady: boolean; __componentReady: boolean;
    __payField: { keys: string[]; value: string | null };
    __focusSecret: () => void;
  }
}

const SECRET = 'S3cret-77';

async function typeSecret(env: Env, query: string): Promise<{ page: Page; stolen: string[]; first: Window['__payField']; grabbed: number }> {
  const page = await env.s.browser.newPage();
  await page.goto(`${env.srv.FIRST}/shadow/page.html${query}`);
  await page.waitForFunction(() => window.__grabberReady === true && window.__componentReady === true);
  // Focus through the component's own method: nothing outside can reach the field.
  await page.evaluate(() => window.__focusSecret());
  await page.keyboard.type(SECRET);
  // Several of the grabber's 50 ms polls after the last keystroke.
  await new Promise((r) => setTimeout(r, 400));
  const seen = await page.evaluate(() => ({ stolen: window.__stolen, first: window.__payField, grabbed: window.__grabbed }));
  return { page, ...seen };
}

describe.each(KINDS)('closed shadow roots in %s', (kind) => {
  const env = useBrowser(kind);

  it('a third party holding a closed root learns nothing typed into its field; the component reads it all', async () => {
    const { page, stolen, first, grabbed } = await typeSecret(env, '');
    expect(grabbed).toBe(1);
    expect(stolen).toEqual([]);
    expect(first.value).toBe(SECRET);
    expect(first.keys.join('')).toBe(SECRET);
    await page.close();
  });

  it('control: the same grabber served first-party reads the typed value (the attack is real)', async () => {
    const { page, stolen, first } = await typeSecret(env, '?grabber=first');
    expect(stolen).toContain(SECRET);
    expect(first.value).toBe(SECRET);
    await page.close();
  });
});
