// Issue 3: the `value` attribute. Frameworks mirror typed text into it (React
// does for controlled inputs); a third-party recorder observing attribute
// mutations and reading the attribute every way the DOM offers must learn
// nothing typed, while the page's own code reads its attribute as usual. That
// includes attribute selectors (`[value^="a"]`) run through matches and
// querySelector, and markup snapshots (outerHTML, innerHTML, getHTML,
// XMLSerializer) of the fields, their form, the document and a shadow root,
// with a React-style textarea whose typed text is mirrored into its content.
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { KINDS, useBrowser, type Env } from './env';

declare global {
  interface Window { __attrLoot: string[]; __readerReady: boolean; __mirrorReady: boolean; __mirror: Record<string, string> }
}

const USER = 'Grace';
const PASS = 'p4ss-W0rd';
const NOTE = 'meet at 9';
const CITY = 'Lyon';
// `swallowed`: read while Array.prototype has index setters that drop the
// elements and numbers the guard would list.
const SNAPSHOTS = ['innerHTML', 'document', 'getHTML', 'xmlDocument', 'xmlElement', 'swallowed'];

async function typeBoth(env: Env, query: string): Promise<{ page: Page; loot: string[]; mirror: Record<string, string> }> {
  const page = await env.s.browser.newPage();
  await page.goto(`${env.srv.FIRST}/attrs/page.html${query}`);
  await page.waitForFunction(() => window.__readerReady === true && window.__mirrorReady === true);
  await page.type('#user', USER);
  await page.type('#pass', PASS);
  await page.type('#note', NOTE);
  const city = await page.evaluateHandle(() => document.getElementById('host')!.shadowRoot!.getElementById('city')!);
  await city.asElement()!.type(CITY);
  // Mutation observers run at the next microtask checkpoint and the recorder
  // snapshots every 50 ms; give them a moment.
  await new Promise((r) => setTimeout(r, 300));
  const seen = await page.evaluate(() => ({ loot: window.__attrLoot, mirror: window.__mirror }));
  return { page, ...seen };
}

const MIRROR = { user: USER, pass: PASS, note: NOTE, city: CITY, serialised: `${USER}|${PASS}|${NOTE}` };

describe.each(KINDS)('the value attribute in %s', (kind) => {
  const env = useBrowser(kind);

  it('a third-party recorder reading the mirrored value attribute learns nothing typed', async () => {
    const { page, loot, mirror } = await typeBoth(env, '');
    const joined = loot.join('\n');
    for (const piece of ['Gr', 'ace', 'p4', 'W0rd', 'meet', 'at 9', 'Ly', 'yon']) expect(joined).not.toContain(piece);
    // The page's own code reads its attributes and its markup as it wrote them.
    expect(mirror).toEqual(MIRROR);
    await page.close();
  });

  it('control: the same recorder served first-party reads every character (the attack is real)', async () => {
    const { page, loot, mirror } = await typeBoth(env, '?reader=first');
    for (const how of ['oldValue', 'getAttribute', 'getAttributeUpper', 'getAttributeNS', 'defaultValue', 'attrNode', 'attributes', 'namedItem', 'selector', 'query']) {
      expect(loot.some((l) => l.startsWith(`${how}=`)), how).toBe(true);
    }
    expect(loot).toContain(`getAttribute=${USER}`);
    expect(loot).toContain(`getAttribute=${PASS}`);
    expect(loot).toContain(`defaultValue=${USER}`);
    expect(loot).toContain(`defaultValue=${PASS}`);
    expect(loot).toContain(`selector=${PASS}`);
    expect(loot).toContain(`query=${USER}`);
    // Every markup snapshot carries the typed text when nothing stops it.
    for (const how of SNAPSHOTS) {
      expect(loot, how).toContain(`${how}:user=${USER}`);
      expect(loot, how).toContain(`${how}:pass=${PASS}`);
      expect(loot, how).toContain(`${how}:note=${NOTE}`);
    }
    expect(loot).toContain(`outerHTML:user=${USER}`);
    expect(loot).toContain(`textareaHTML:note=${NOTE}`);
    expect(loot).toContain(`shadowInner:city=${CITY}`);
    expect(loot).toContain(`shadowGetHTML:city=${CITY}`);
    expect(mirror).toEqual(MIRROR);
    await page.close();
  });
});
