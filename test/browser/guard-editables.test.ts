// Issue 3: keystrokes into editors whose field the guard's event check cannot
// see from outside. Seen from the window, an event from inside a CLOSED shadow
// root targets the root's host, and typing into a contenteditable <body> or a
// designMode document targets the body. A TikTok-style keylogger listening on
// the window and document is silenced, and the events the page hands it
// (analytics.track) must tell it no key, code, input or textInput data from
// any editor, while the page's own listeners hear every key. And the fields in
// closed roots, which the page hands the logger to "watch", read as before the
// user typed, as does the page's selection while their text is selected.
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { KINDS, useBrowser, type Env } from './env';

declare global {
  interface Window {
    __edLogged: string[]; __edRead: string[]; __edHeard: number; __edTiming: string[]; __edLoggerReady: boolean; __edLoggerFrames: number; __edReady: boolean;
    __edFirst: { keys: string[]; data: string[]; values: Record<string, string> };
    __edFocus: Record<string, () => void>;
    __hjSeen: string[]; __hjFirst: string[]; __hjReady: boolean;
  }
}

// One secret per editor, in the order they are typed into.
const SECRETS: Record<string, string> = {
  shadowed: 'Kw4m', // closed root made with attachShadow (the page's first keystroke: Event Timing's first-input)
  plain: 'Gd3w', // an ordinary field, for comparison
  declared: 'Pj8r', // declarative closed root
  editor: 'Xv2n', // contenteditable element
  rich: 'Hq5t', // iframe whose body is contenteditable
  design: 'Zb9y', // iframe in designMode
};
const ALL = Object.values(SECRETS).join('');
// The closed-root fields, which the page also hands to the logger to "watch", and whose text the user selects.
const SELECTED = ['shadowed', 'declared'];

async function typeIntoEditors(env: Env, query: string): Promise<{ page: Page; logged: string[]; read: string[]; heard: number; timing: string[]; first: Window['__edFirst'] }> {
  const page = await env.s.browser.newPage();
  await page.goto(`${env.srv.FIRST}/editables/page.html${query}`);
  await page.waitForFunction(() => window.__edLoggerReady === true && window.__edReady === true && window.__edLoggerFrames === 2
    && typeof window.__edFocus.rich === 'function' && typeof window.__edFocus.design === 'function');
  for (const [editor, secret] of Object.entries(SECRETS)) {
    // Focus through the page's own code: nothing outside reaches the closed fields.
    await page.evaluate((e) => window.__edFocus[e]!(), editor);
    await page.keyboard.type(secret);
    await page.waitForFunction((e, s) => window.__edFirst.values[e] === s, {}, editor, secret);
    if (SELECTED.includes(editor)) {
      // The user selects what they typed (Ctrl+A in the field) and leaves it selected for a few polls.
      await page.keyboard.down('Control');
      await page.keyboard.press('a');
      await page.keyboard.up('Control');
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  // A few of the logger's 30 ms polls after the last keystroke.
  await new Promise((r) => setTimeout(r, 300));
  const seen = await page.evaluate(() => ({ logged: window.__edLogged.slice(), read: window.__edRead.slice(), heard: window.__edHeard, timing: window.__edTiming.slice(), first: window.__edFirst }));
  return { page, ...seen };
}

/** What the logger could rebuild from the events it was handed: one line per channel that told it anything. */
function leaked(logged: string[]): string {
  const channels = { key: '', code: '', keyCode: '', charCode: '', which: '', data: '', textInput: '' };
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
    if (type === 'textInput' && data !== 'null' && data !== 'undefined') channels.textInput += data;
  }
  return Object.values(channels).filter((c) => c !== '').join('\n');
}

describe.each(KINDS)('editors the guard cannot see into, in %s', (kind) => {
  const env = useBrowser(kind);

  it('a third-party keylogger on the window and document learns no key typed into closed roots, contenteditable or designMode', async () => {
    const { page, logged, read, heard, timing, first } = await typeIntoEditors(env, '');
    // Its own listeners are silenced, as everywhere...
    expect(heard).toBe(0);
    // ...but the page handed it the trusted events of every keystroke (top document and both
    // frames, plus Control and A twice for the selections)...
    expect(logged.filter((l) => l.startsWith('keydown:')).length).toBe(ALL.length + 4);
    // ...and every one of them told it nothing.
    expect(leaked(logged)).toBe('');
    for (const line of logged.filter((l) => /^key(down|up|press):/.test(l))) expect(line).toMatch(/^key\w+:Unidentified\|\|0\|0\|0\|undefined$/);
    // The closed-root fields it was handed, and the page's selection while their text was
    // selected, read as before the user typed.
    expect(read).toEqual([]);
    // Event Timing does not hand it the page's first keystroke either.
    expect(timing.filter((t) => t.startsWith('key'))).toEqual([]);
    // The page's own listeners heard every key, and its editors hold the text.
    expect(first.keys.join('')).toBe(ALL);
    for (const [editor, secret] of Object.entries(SECRETS)) expect(first.values[editor]).toBe(secret);
    await page.close();
  });

  it('control: the same logger served first-party hears every key of every editor (the attack is real)', async () => {
    const { page, logged, read, heard, timing, first } = await typeIntoEditors(env, '?logger=first');
    expect(heard).toBeGreaterThan(0);
    for (const editor of SELECTED) expect(read).toContain(SECRETS[editor]);
    const rebuilt = leaked(logged);
    for (const secret of Object.values(SECRETS)) expect(rebuilt).toContain(secret);
    expect(timing).toContain('keydown@closed-field');
    expect(first.keys.join('')).toBe(ALL);
    await page.close();
  });

  // Object.setPrototypeOf on a field: the hook's getter is third-party code, so
  // the read it makes on the page's behalf is a third-party read.
  const hijack = async (query: string) => {
    const page = await env.s.browser.newPage();
    await page.goto(`${env.srv.FIRST}/editables/hijack.html${query}`);
    await page.waitForFunction(() => window.__hjReady === true);
    await page.type('#pin', '9183');
    await page.waitForFunction(() => window.__hjFirst.length === 4);
    const seen = await page.evaluate(() => ({ hook: window.__hjSeen.slice(), first: window.__hjFirst.slice() }));
    await page.close();
    return seen;
  };

  it('a third party that swaps a field\'s prototype sees only the pristine value through its getter', async () => {
    const { hook, first } = await hijack('');
    // The page's four reads passed through the hook, and it saw nothing typed.
    expect(hook).toEqual(['', '', '', '']);
    // The page reads what the attacker's getter hands it: the attack breaks the field, it learns nothing.
    expect(first).toEqual(['', '', '', '']);
  });

  it('control: the same prototype swap served first-party sees every digit', async () => {
    const { hook, first } = await hijack('?hijack=first');
    expect(hook).toEqual(['9', '91', '918', '9183']);
    expect(first).toEqual(['9', '91', '918', '9183']);
  });
});
