// Issue 2: the guard working end to end, in real Chromium and Firefox.
import { describe, expect, it } from 'vitest';
import { KINDS, useBrowser, waitForPopup, waitForQuiet, type Env } from './env';

declare global {
  interface Window { __captured: string[]; __firstParty: string[]; __tiktokRegistered: boolean; __forgeAttempts: string[] }
}

async function typeAndTap(env: Env, path: string) {
  const page = await env.s.browser.newPage();
  await page.goto(env.srv.FIRST + path);
  await page.waitForFunction(() => window.__tiktokRegistered === true && Array.isArray(window.__firstParty));
  await page.type('#email', 'ada@example.com');
  await page.type('#password', 'hunter2!');
  await page.type('#card', '4111111111111111');
  await page.click('#pay');
  const result = await page.evaluate(() => ({ captured: window.__captured, firstParty: window.__firstParty }));
  return { page, ...result };
}

describe.each(KINDS)('foundation in %s', (kind) => {
  const env = useBrowser(kind);

  // First in the file on purpose: the browser has just started, so this also
  // covers a background still starting when the first report leaves.
  it('a tab closed the moment a third party hooked it still gets that party counted', async () => {
    const page = await env.s.browser.newPage();
    await page.goto(env.srv.OTHER + '/typing-third.html');
    await page.waitForFunction(() => window.__tiktokRegistered === true);
    await page.close();
    const rows = await waitForPopup(env, '127.0.0.2', (r) => r.some((x) => x.origin === env.srv.THIRD));
    const third = rows.find((r) => r.origin === env.srv.THIRD);
    expect(third, JSON.stringify(rows)).toBeDefined();
    expect(third!.blocked).toBe(3);
  });

  it('a third-party TikTok-style script on document receives nothing while the user types a password and taps', async () => {
    const { page, captured, firstParty } = await typeAndTap(env, '/typing-third.html');
    // The page's own listeners saw every keystroke and the tap...
    expect(firstParty.filter((e) => e.startsWith('keydown:')).length).toBe('ada@example.com'.length + 'hunter2!'.length + 16);
    expect(firstParty).toContain('click:');
    // ...and the injected keylogger saw none of it.
    expect(captured).toEqual([]);
    await page.close();
  });

  it('the same script served first-party works as without the extension', async () => {
    const { page, captured } = await typeAndTap(env, '/typing-first.html');
    const keydowns = captured.filter((e) => e.startsWith('keydown:'));
    expect(keydowns.length).toBe('ada@example.com'.length + 'hunter2!'.length + 16);
    expect(keydowns.slice(15, 23).map((e) => e.split(':')[1]).join('')).toBe('hunter2!');
    expect(captured.filter((e) => e.startsWith('click:'))).toEqual(['click::pay']);
    await page.close();
  });

  it('the popup lists the third-party origin with what it tried and what was blocked', async () => {
    const thirdOrigin = env.srv.THIRD;
    const rows = await waitForPopup(env, '127.0.0.1', (r) => r.some((x) => x.origin === thirdOrigin));
    const third = rows.find((r) => r.origin === thirdOrigin);
    expect(third).toBeDefined();
    expect(third!.party).toBe('third');
    // tiktok.js registered keydown + keypress (keystrokes) and click (taps) once per visit.
    expect(third!.tried).toContain('keystrokes 2');
    expect(third!.tried).toContain('taps 1');
    expect(third!.blocked).toBe(3);
    expect(third!.allowed).toBe(0);
    // The same script served first-party was allowed and is shown as first party.
    const first = rows.find((r) => r.origin === env.srv.FIRST);
    expect(first?.party).toBe('first');
    expect(first?.blocked).toBe(0);
    expect(first!.allowed).toBeGreaterThanOrEqual(3);
  });

  it('a page that forges reports changes no count', async () => {
    const before = await waitForQuiet(env, '127.0.0.1');
    expect(before.length).toBeGreaterThan(0);
    const page = await env.s.browser.newPage();
    await page.goto(env.srv.FIRST + '/forge.html');
    await page.waitForFunction(() => Array.isArray(window.__forgeAttempts));
    // Give any forged report more than the batching delays to arrive.
    await new Promise((r) => setTimeout(r, 1500));
    const after = await waitForPopup(env, '127.0.0.1', () => true);
    expect(after.find((r) => r.origin.includes('forged'))).toBeUndefined();
    expect(after).toEqual(before);
    await page.close();
  });
});
