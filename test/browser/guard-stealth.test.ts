// Issue 3, part 2: the guard's wrappers cannot be told from natives, and the
// private MAIN/ISOLATED channel cannot be sniffed, replayed or flooded.
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser, waitForQuiet, type Env } from './env';

declare global {
  interface Window {
    __probe: unknown;
    __sniffed: string[];
    __flood(): void;
    __posted: number;
    __readNow: boolean;
    __readerResult: string | null;
  }
}

async function probe(env: Env): Promise<{ top: Record<string, unknown>; child: Record<string, unknown> }> {
  const page = await env.s.browser.newPage();
  await page.goto(`${env.srv.FIRST}/stealth/page.html`);
  await page.waitForFunction(() => window.__probe !== undefined, { timeout: 20_000 });
  const result = await page.evaluate(() => JSON.parse(JSON.stringify(window.__probe)));
  await page.close();
  // Ports differ between the two servers; nothing else may.
  return JSON.parse(JSON.stringify(result).replace(/:\d{4,5}\//g, ':PORT/'));
}

describe.each(KINDS)('stealth in %s', (kind) => {
  const env = useBrowser(kind);
  const bare = useBrowser(kind, { extension: false });

  it('every wrapped API looks exactly as it does without the extension, also from another realm', async () => {
    const [withExt, without] = [await probe(env), await probe(bare)];
    // Sanity: the probe saw the natives' own text, the cross-realm text included.
    const ael = (without.top['EventTarget.prototype.addEventListener'] as { crossRealm: string }).crossRealm;
    expect(ael).toMatch(/^function addEventListener\(\) \{\s+\[native code\]\s+\}$/);
    for (const realm of ['top', 'child'] as const) {
      for (const [api, traits] of Object.entries(without[realm])) {
        // Full stacks too: V8 counts the guard's frames against
        // Error.stackTraceLimit, so an error thrown under a wrapper is
        // captured again from the wrapper's caller (scrub in wrap.ts); a
        // guard that only deleted its own lines would leave the page fewer
        // of its frames than natively, in the top realm and in a child realm.
        expect(withExt[realm][api], `${realm} ${api}`).toEqual(traits);
      }
    }
    // And no error thrown through a wrapper named an extension URL.
    expect(JSON.stringify(withExt)).not.toMatch(/"stackLeaks":true/);
    expect(JSON.stringify(withExt)).not.toMatch(/(chrome|moz)-extension:/);
  });

  it('a page that sniffs, replays and floods the channel changes no tally and sees no traffic', async () => {
    const site = '127.0.0.1';
    const before = await waitForQuiet(env, site);
    const page = await env.s.browser.newPage();
    await page.goto(`${env.srv.FIRST}/stealth/flood.html`);
    await page.type('#pw', 'hunter2!');
    await page.evaluate(() => window.__flood());
    // One real, denied read by the third party, so real traffic flows while the page listens.
    await page.evaluate(() => { window.__readNow = true; });
    await page.waitForFunction(() => window.__readerResult !== null);
    expect(await page.evaluate(() => window.__readerResult)).toBe('');
    expect(await page.evaluate(() => window.__posted)).toBe(1_000_000);
    const after = await waitForQuiet(env, site);
    expect(await page.evaluate(() => window.__sniffed)).toEqual([]);
    // Exactly the one real read was added; nothing forged arrived.
    expect(after.find((r) => r.origin.includes('forged'))).toBeUndefined();
    const third = (rows: typeof after) => rows.find((r) => r.origin === env.srv.THIRD);
    const typed = (t: string | undefined) => Number(/typed values (\d+)/.exec(t ?? '')?.[1] ?? 0);
    expect(typed(third(after)?.tried) - typed(third(before)?.tried)).toBe(1);
    expect(third(after)!.blocked - (third(before)?.blocked ?? 0)).toBe(1);
    const others = (rows: typeof after) => rows.filter((r) => r.origin !== env.srv.THIRD);
    expect(others(after)).toEqual(others(before));
    await page.close();
  });
});
