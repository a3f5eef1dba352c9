// Issue 3: keystrokes into editors whose field the guard's event check cannot
// see from outside. Seen from the window, an event from inside a CLOSED shadow
// root targets the root's host, and typing into a contenteditable <body> or a
// designMode document targets the body. A TikTok-style keylogger listening on
// the window and document must still learn no key, code or input data from
// any of them, while the page's own listeners hear every key.
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { KINDS, useBrowser, type Env } from './env';

declare global {
  interface Window {
    __edLogged: string[]; __edHeard: number; __edTiming: string[]; __edLoggerReady: boolean; __edLoggerFrames: number; __edReady: boolean;
    __edFirst: { keys: string[]; data: string[]; values: Record<string, string> };
    __edFocus: Record<string, () => void>;
  }
}

// One secret per editor, in the order they are typed into.
const SECRETS: Record<string, string> = {
  shadowed: 'Kw4m', // closed root made with attachShadow (the first keystroke of the page)
  declared: 'Pj8r', // declarative closed root
  editor: 'Xv2n', // contenteditable element
  rich: 'Hq5t', // iframe whose body is contenteditable
  design: 'Zb9y', // iframe in designMode
};
const ALL = Object.values(SECRETS).join('');

async function typeIntoEditors(env: Env, query: string): Promise<{ page: Page; logged: string[]; heard: number; timing: string[]; first: Window['__edFirst'] }> {
  const page = await env.s.browser.newPage();
  await page.goto(`${env.srv.FIRST}/editables/page.html${query}`);
  await page.waitForFunction(() => window.__edLoggerReady === true && window.__edReady === true && window.__edLoggerFrames === 2
    && typeof window.__edFocus.rich === 'function' && typeof window.__edFocus.design === 'function');
  for (const [editor, secret] of Object.entries(SECRETS)) {
    // Focus through the page's own code: nothing outside reaches the closed fields.
    await page.evaluate((e) => window.__edFocus[e]!(), editor);
    await page.keyboard.type(secret);
    await page.waitForFunction((e, s) => window.__edFirst.values[e] === s, {}, editor, secret);
  }
  // A few of the logger's 30 ms polls after the last keystroke.
  await new Promise((r) => setTimeout(r, 300));
  const seen = await page.evaluate(() => ({ logged: window.__edLogged.slice(), heard: window.__edHeard, timing: window.__edTiming.slice(), first: window.__edFirst }));
  return { page, ...seen };
}

/** What the logger could rebuild from the events it was handed: one line per channel that told it anything. */
function leaked(logged: string[]): string {
  const channels = { key: '', code: '', keyCode: '', charCode: '', which: '', data: '' };
  for (const line of logged) {
    const type = line.slice(0, line.indexOf(':'));
    const [key, code, keyCode, which, charCode, data] = line.slice(line.indexOf(':') + 1).split('|') as [string, string, string, string, string, string];
    if (type === 'keydown') {
      if (key.length === 1) channels.key += key;
      if (/^(Key|Digit)/.test(code)) channels.code += code.slice(-1);
      if (Number(keyCode) > 0) channels.keyCode += String.fromCharCode(Number(keyCode));
    }
    if (type === 'keypress') {
      if (Number(charCode) > 0) channels.charCode += String.fromCharCode(Number(charCode));
      if (Number(which) > 0) channels.which += String.fromCharCode(Number(which));
    }
    if (type === 'input' && data !== 'null' && data !== 'undefined') channels.data += data;
  }
  return Object.values(channels).filter((c) => c !== '').join('\n');
}

describe.each(KINDS)('editors the guard cannot see into, in %s', (kind) => {
  const env = useBrowser(kind);

  it('a third-party keylogger on the window and document learns no key typed into closed roots, contenteditable or designMode', async () => {
    const { page, logged, heard, timing, first } = await typeIntoEditors(env, '');
    // Its own listeners are silenced, as everywhere...
    expect(heard).toBe(0);
    // ...but the page handed it the trusted events of every keystroke (top document and both frames)...
    expect(logged.filter((l) => l.startsWith('keydown:')).length).toBe(ALL.length);
    // ...and every one of them told it nothing.
    expect(leaked(logged)).toBe('');
    for (const line of logged.filter((l) => /^key(down|up|press):/.test(l))) expect(line).toMatch(/^key\w+:Unidentified\|\|0\|0\|0\|undefined$/);
    // Event Timing does not hand it the page's first keystroke either.
    expect(timing.filter((t) => t.startsWith('key'))).toEqual([]);
    // The page's own listeners heard every key, and its editors hold the text.
    expect(first.keys.join('')).toBe(ALL);
    for (const [editor, secret] of Object.entries(SECRETS)) expect(first.values[editor]).toBe(secret);
    await page.close();
  });

  it('control: the same logger served first-party hears every key of every editor (the attack is real)', async () => {
    const { page, logged, heard, timing, first } = await typeIntoEditors(env, '?logger=first');
    expect(heard).toBeGreaterThan(0);
    const rebuilt = leaked(logged);
    for (const secret of Object.values(SECRETS)) expect(rebuilt).toContain(secret);
    expect(timing).toContain('keydown@closed-field');
    expect(first.keys.join('')).toBe(ALL);
    await page.close();
  });
});
