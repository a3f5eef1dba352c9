// Issue 3, part 2: a third-party script (served from {{THIRD}}) tries every
// path to what the user types into fields it does not own, while the user
// really types. It must end holding nothing; the page's own code must see
// exactly what it sees without the extension.
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { openExtensionPage } from '../../scanner/lib/browsers.mjs';
import { KINDS, useBrowser, waitForPopup, type Env } from './env';
import { KEY_EVENTS, TAP_EVENTS } from '../../src/shared/events';

declare global {
  interface Window {
    __loot: string[];
    __thief: { sweep(): string[] };
    __thiefReady: boolean;
    __firstReady: boolean;
    __thiefStats: { hookCalls: number; polls: number; selectionEvents: number; timingEntries: number; tracked: number };
    __first: { keys: string[]; values: Record<string, string>; patchedReads: number; polyfills: Record<string, number>; submitted: Record<string, string> | null; read: Record<string, string> | null; inputData: string[]; pasted: string[] };
    __sweepNow: boolean;
    __sweepDone: boolean;
    __scrollThief: { fieldEvents: number; pageEvents: number; handlerEvents: number; attrEvents: number; readings: string[]; caret: number; caretHandler: number; caretAttr: number; records: number; taken: number };
    __pageRecords: number;
    __scrollThiefReady: boolean;
    __pageSaw: string[];
    __timing: { observed: string[]; polled: string[]; sweep: null | Record<string, number> & { taken: string[]; firstInput: string[] } };
    __page: { entries: string[]; counts: null | { keydown: number; interactions: number } };
    __oracle: { got: Record<string, string>; took: string[]; length: number | null; done?: boolean };
    __sent: Record<string, string>;
    __attacked: boolean;
    __pageSearch: string | null;
    __payPage: { submitted: Record<string, string> | null; card: { pattern: string | null; valid: boolean; minlength: string | null } | null };
  }
}

const TYPED = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  password: 'hunter2!',
  card: '4111111111111111',
  otp: '928314',
  qty: '7319',
  note: 'ring twice',
};
// A select chosen from the keyboard: typing `x` picks XL.
const CHOSEN = { size: 'XL' };
const VALUES = { ...TYPED, ...CHOSEN };
// Pieces of each typed value that must appear nowhere in what the thief kept.
const SECRETS = ['Ada', 'Lovelace', 'ada@', 'example.com', 'hunter', 'nter2', '4111', '1111', '9283', '8314', '7319', 'XL', 'ring', 'twice'];

async function typeEverything(env: Env, query: string): Promise<Page> {
  const page = await env.s.browser.newPage();
  await page.goto(`${env.srv.FIRST}/values/page.html${query}`);
  await page.waitForFunction(() => window.__thiefReady === true && window.__firstReady === true);
  for (const [id, text] of Object.entries(TYPED)) await page.type(`#${id}`, text);
  await page.type('#size', 'x');
  await page.waitForFunction(() => window.__first.values.size === 'XL');
  // Copy the name and paste it into the promo field: a trusted paste event.
  await page.focus('#name');
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.press('c');
  await page.keyboard.up('Control');
  await page.focus('#promo');
  await page.keyboard.down('Control');
  await page.keyboard.press('v');
  await page.keyboard.up('Control');
  await page.waitForFunction(() => window.__first.pasted.length === 1);
  return page;
}

async function sweepAndSubmit(page: Page) {
  // The thief runs its sweep from its own timer (page.evaluate frames have no
  // URL, so the guard would treat any code they call as unattributable).
  await page.evaluate(() => { window.__sweepNow = true; });
  await page.waitForFunction(() => window.__sweepDone === true);
  await page.click('#submit');
  await page.waitForFunction(() => window.__first.submitted !== null);
  // Let the poller and observers run after the last keystroke.
  await page.waitForFunction(() => window.__thiefStats.polls > 20);
  return page.evaluate(() => ({ loot: window.__loot.slice(), stats: window.__thiefStats, first: window.__first }));
}

describe.each(KINDS)('typed values in %s', (kind) => {
  const env = useBrowser(kind);

  it('a third-party script reading every typed-value path ends holding nothing', async () => {
    const page = await typeEverything(env, '');
    const { loot, stats } = await sweepAndSubmit(page);
    // It really ran: its poller, its analytics hook and its selection listener fired...
    expect(stats.polls).toBeGreaterThan(20);
    expect(stats.tracked).toBeGreaterThan(50);
    expect(stats.selectionEvents).toBeGreaterThan(0);
    // ...and none of its prototype hooks was ever installed, so none was called.
    expect(loot.filter((l) => l.startsWith('took='))).toEqual([]);
    expect(stats.hookCalls).toBe(0);
    const text = loot.join('\n');
    for (const s of SECRETS) expect(text, `thief kept "${s}"`).not.toContain(s);
    // Not even the length of a sensitive field, and no keys or input data.
    expect(loot.filter((l) => /^(password|card|otp|email)\./.test(l))).toEqual([]);
    // A denied key reads as the W3C's "Unidentified"; nothing else is kept.
    // The size select reads as it stood before the user chose (S, its first option).
    expect(loot.filter((l) => /^(key|code|keyCode|which|charCode|data|paste|target\.value|hook\.\w+)=/.test(l) && l !== 'key=Unidentified' && l !== 'target.value=S')).toEqual([]);
    // No caret offset inside a typed field either.
    expect(loot.filter((l) => /\.caret=/.test(l))).toEqual([]);
    // Following the focused field, by polling or on selectionchange, gives nothing either.
    expect(loot.filter((l) => /^(poll|selchange)\./.test(l) && !/^(poll|selchange)\.value=S$/.test(l))).toEqual([]);
    // No Event Timing entry for a keystroke on a field (nor for a tap on the page: the Event Timing pair below).
    expect(loot.filter((l) => /^(timing=.*@(name|email|password|card|otp|qty|size|note)$|first-input=)/.test(l))).toEqual([]);
    // What went to the thief's collector holds nothing either.
    const beacon = env.srv.requests.filter((r: { url: string }) => r.url === '/collect/thief').map((r: { body: string }) => r.body).join('');
    for (const s of SECRETS) expect(beacon).not.toContain(s);
    await page.close();
  });

  it('the page\'s own code, its value patcher and its submit handler see exactly what was typed', async () => {
    const page = await typeEverything(env, '');
    const { first } = await sweepAndSubmit(page);
    for (const [id, text] of Object.entries(VALUES)) {
      expect(first.values[id]).toBe(text);
    }
    expect(first.pasted).toEqual([TYPED.name]);
    expect(first.keys.filter((k) => k.length === 1).join('')).toBe(Object.values(TYPED).join('') + 'xacv');
    // Engines differ on whether a paste's InputEvent carries data; typing always does.
    const typed = Object.values(TYPED).join('');
    expect([typed, typed + TYPED.name]).toContain(first.inputData.join(''));
    // The first-party patcher of `value` stayed installed and saw the reads,
    // and so did each polyfill (the code field's mask wrote through the setter).
    expect(first.patchedReads).toBeGreaterThan(40);
    for (const [name, calls] of Object.entries(first.polyfills)) expect(calls, name).toBeGreaterThan(5);
    expect(first.submitted).toEqual(VALUES);
    expect(first.read).toEqual(VALUES);
    await page.close();
  });

  it('control: the same script served first-party learns the typed values (the attack is real)', async () => {
    const page = await typeEverything(env, '?thief=first');
    const { loot, stats } = await sweepAndSubmit(page);
    const text = loot.join('\n');
    expect(stats.hookCalls).toBeGreaterThan(0);
    for (const s of ['hunter2!', '4111111111111111', 'ada@example.com', '928314']) expect(text).toContain(s);
    expect(loot).toContain('password.value=hunter2!');
    expect(loot).toContain('card.clone=4111111111111111');
    expect(loot).toContain('switched.value=hunter2!');
    expect(loot).toContain('password.pattern=h');
    for (const how of ['matches', 'webkit', 'closest', 'query', 'all', 'has']) expect(loot).toContain(`password.${how}=h`);
    expect(loot.some((l) => l.startsWith('password.length<'))).toBe(true);
    expect(loot).toContain('formdata.password=hunter2!');
    expect(loot).toContain('paste=Ada Lovelace');
    expect(loot).toContain('key=h');
    // Each of its hooks took, and each path the guard answers yields what was typed.
    expect(loot.filter((l) => l.startsWith('took='))).toHaveLength(6);
    for (const line of [
      'hook.set=928314', 'hook.select=XL', 'qty.valueAsNumber=7319', 'size.value=XL', 'password.selectionStart=8', 'password.selectionEnd=8',
      'card.selection=4111111111111111', 'card.selection2=4111111111111111', 'password.selection=\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022',
      'form.elements=Ada Lovelace|ada@example.com|hunter2!|4111111111111111|928314|7319|XL|Ada Lovelace',
      'FormData=Ada Lovelaceada@example.comhunter2!41111111111111119283147319XLring twice',
      'code=KeyH', 'keyCode=72', 'which=72', 'charCode=104', 'data=h',
    ]) expect(loot, line).toContain(line);
    // Scanning the caret offset across a field reads its length.
    for (const line of ['password.caret=8', 'name.caret=12', 'otp.caret=6']) expect(loot, line).toContain(line);
    // Chromium's window.find finds the text typed into fields (not a password's); Firefox's searches no field.
    if (kind === 'chromium') expect(loot).toContain('find=4111,Ada,ring');
    // Following the focused field, on selectionchange and by polling, tracked the caret.
    expect(loot.filter((l) => l.startsWith('selchange.start=')).length).toBeGreaterThan(2);
    expect(loot.filter((l) => l.startsWith('poll.end=')).length).toBeGreaterThan(2);
    await page.close();
  });

  it('the popup tallies the third-party origin\'s typed-value reads and prototype hooks as blocked', async () => {
    const rows = await waitForPopup(env, '127.0.0.1', (r) => r.some((x) => x.origin === env.srv.THIRD && x.tried.includes('typed values') && x.tried.includes('prototype hooks')));
    const third = rows.find((r) => r.origin === env.srv.THIRD);
    expect(third?.party).toBe('third');
    expect(third?.tried).toMatch(/typed values \d+/);
    // Six hooks a visit, each tallied (the visits before this test, however many ran).
    const hooks = Number(/prototype hooks (\d+)/.exec(third?.tried ?? '')?.[1]);
    expect(hooks).toBeGreaterThan(0);
    expect(hooks % 6).toBe(0);
    expect(third!.blocked).toBeGreaterThan(50);
    // Reads of the password, card, code and email fields count as aimed at sensitive fields.
    const popup = await openExtensionPage(env.s, 'popup.html?site=127.0.0.1', `tr[data-origin="${env.srv.THIRD}"]`);
    const sensitive = Number(await popup.$eval(`tr[data-origin="${env.srv.THIRD}"] [data-field="sensitive"]`, (td) => td.textContent));
    expect(sensitive).toBeGreaterThan(20);
    await popup.close();
  });

  it('in monitor mode the third party reads what it would without the extension', async () => {
    const setMode = async (mode: string) => {
      const popup = await openExtensionPage(env.s, 'popup.html?site=127.0.0.1', `input[name="mode"][value="${mode}"]`);
      await popup.click(`input[name="mode"][value="${mode}"]`);
      await popup.waitForFunction((m) => (document.querySelector(`input[name="mode"][value="${m}"]`) as HTMLInputElement).checked, {}, mode);
      await popup.close();
    };
    await setMode('monitor');
    try {
      const page = await typeEverything(env, '');
      const { loot } = await sweepAndSubmit(page);
      expect(loot).toContain('password.value=hunter2!');
      expect(loot).toContain('key=h');
      await page.close();
    } finally {
      await setMode('protect');
    }
  });

  /**
   * Types past the width of two narrow sensitive fields, then scrolls the
   * page: what the scroll recorder learned, per field the distinct readings.
   */
  async function typeNarrow(query: string) {
    const page = await env.s.browser.newPage();
    await page.goto(`${env.srv.FIRST}/values/scroll.html${query}`);
    await page.waitForFunction(() => window.__scrollThiefReady === true);
    await page.type('#password', 'correct-horse-battery-staple', { delay: 20 });
    await page.type('#card', '4111111111111111111', { delay: 20 });
    await page.evaluate(() => window.scrollTo(0, 400));
    await page.waitForFunction(() => window.__scrollThief.pageEvents > 0);
    // Let the poller read the fields as they are now.
    const polled = await page.evaluate(() => window.__scrollThief.readings.length);
    await page.waitForFunction((n) => window.__scrollThief.readings.length > n + 8, {}, polled);
    const { thief, pageSaw, pageRecords } = await page.evaluate(() => ({ thief: window.__scrollThief, pageSaw: window.__pageSaw, pageRecords: window.__pageRecords }));
    await page.close();
    const distinct = (prefix: string) => new Set(thief.readings.filter((r) => r.startsWith(prefix)));
    return { thief, pageSaw, pageRecords, distinct };
  }

  it('a field\'s scrolling, caret and mirrored value tell a third party nothing of how long its password or card number is', async () => {
    const { thief, pageSaw, pageRecords, distinct } = await typeNarrow('');
    // Its scroll listeners (capture on the document, the field's onscroll
    // property, an onscroll attribute) hear none of the fields' scrolls, its
    // selectionchange listener, property and attribute none of their caret
    // moves, and its mutation observer none of the mirrored values...
    expect([thief.fieldEvents, thief.handlerEvents, thief.attrEvents]).toEqual([0, 0, 0]);
    expect([thief.records, thief.taken]).toEqual([0, 0]);
    // (Chromium places the caret as each field gets focus, before a key is typed: one each at most.)
    expect(thief.caret).toBeLessThanOrEqual(2);
    expect([thief.caretHandler, thief.caretAttr].every((n) => n <= 1)).toBe(true);
    // ...which the page's own observer sees, one per key.
    expect(pageRecords).toBe(28 + 19);
    // ...but still the page's own scrolling.
    expect(thief.pageEvents).toBeGreaterThan(0);
    // Every reading of each field's scroll geometry is the one it had empty,
    // through this realm's getters and another realm's, while 28 and 19
    // characters were typed.
    for (const id of ['password', 'card']) {
      const own = [...distinct(`${id}:`)];
      expect(own, id).toHaveLength(1);
      const [left, width, clientWidth] = own[0]!.slice(id.length + 1).split(',');
      expect(left).toBe('0');
      expect(width).toBe(clientWidth);
      expect([...distinct(`${id}~`)], id).toEqual([`${id}~${clientWidth}`]);
    }
    // The page's own listener followed both fields all the way.
    for (const id of ['password', 'card']) {
      const offsets = pageSaw.filter((r) => r.startsWith(`${id}:`)).map((r) => Number(r.split(':')[1]));
      expect(offsets.length, id).toBeGreaterThan(5);
      expect(Math.max(...offsets), id).toBeGreaterThan(60);
    }
  });

  it('control: served first-party, the same recorder counts the keys past each field\'s width, its caret moves and its mirrored values', async () => {
    const { thief, distinct } = await typeNarrow('?thief=first');
    expect(thief.fieldEvents).toBeGreaterThan(10);
    expect(thief.handlerEvents).toBeGreaterThan(5);
    expect(thief.attrEvents).toBeGreaterThan(5);
    // One caret move and one mirrored value per key.
    expect(thief.caret).toBeGreaterThanOrEqual(28 + 19);
    expect([thief.records, thief.taken]).toEqual([28 + 19, 28 + 19]);
    expect(thief.caretHandler).toBeGreaterThanOrEqual(28);
    expect(thief.caretAttr).toBeGreaterThanOrEqual(19);
    for (const id of ['password', 'card']) {
      expect(distinct(`${id}:`).size, id).toBeGreaterThan(5);
      expect(distinct(`${id}~`).size, id).toBeGreaterThan(5);
    }
  });

  /**
   * Taps the password field, types a password into it (the page checks each
   * key for 110 ms, so each makes an Event Timing entry), taps the page's
   * button and then the third party's own widget; then the script reads
   * every Event Timing number from its own timer.
   */
  async function typeTimed(query: string) {
    const page = await env.s.browser.newPage();
    await page.goto(`${env.srv.FIRST}/values/timing.html${query}`);
    await page.waitForSelector('#widget');
    await page.click('#password');
    await page.type('#password', 'hunter2!', { delay: 20 });
    await page.click('#pay');
    await page.click('#widget');
    // The page's own observer has had the widget's tap delivered: so has the script's.
    await page.waitForFunction(() => window.__page.entries.includes('click@widget'));
    await page.evaluate(() => { window.__sweepNow = true; });
    await page.waitForFunction(() => window.__timing.sweep !== null);
    const seen = await page.evaluate(() => ({ timing: window.__timing, own: window.__page }));
    await page.close();
    return seen;
  }

  const KEYS_AND_TAPS = new Set<string>([...KEY_EVENTS, ...TAP_EVENTS]);
  /** `name@target#id/jsonId` -> its parts. */
  const parse = (l: string) => {
    const [, name, target, id, json] = /^(\w+)@(\w*)#(\d+)\/(\d+)$/.exec(l)!;
    return { name: name!, target: target!, id: Number(id), json: Number(json) };
  };

  it('Event Timing tells a third party nothing of the keys typed or the page\'s taps', async () => {
    const { timing, own } = await typeTimed('');
    const sweep = timing.sweep!;
    const lines = [...timing.observed, ...sweep.taken, ...sweep.firstInput].map(parse);
    // No entry of a key or a tap, but for its own widget's...
    expect(lines.filter((e) => KEYS_AND_TAPS.has(e.name) && e.target !== 'widget')).toEqual([]);
    expect(timing.observed).toContain('click@widget#0/0');
    // ...and no interaction number, through the getter or toJSON.
    expect(lines.filter((e) => e.id !== 0 || e.json !== 0)).toEqual([]);
    // The counters read as on a page nobody typed or tapped on, every way they can be read...
    expect(timing.polled).toEqual(['0/0']);
    expect(sweep).toMatchObject({ get: 0, click: 0, forEach: 0, entries: 0, spread: 0, values: 0, interactionCount: 0, jsonCount: kind === 'firefox' ? 0 : -1 });
    // ...but for what carries no key or tap.
    expect(sweep.pointerover).toBeGreaterThan(0);
    // The page's own RUM code reads every number as without the extension.
    expect(own.counts!.keydown).toBeGreaterThanOrEqual(8);
    expect(own.counts!.interactions).toBeGreaterThanOrEqual(9);
    expect(own.entries.filter((e) => e === 'keydown@password').length).toBeGreaterThanOrEqual(8);
  });

  it('control: served first-party, the same script counts the keys typed into the password field', async () => {
    const { timing } = await typeTimed('?thief=first');
    const sweep = timing.sweep!;
    expect(sweep.get).toBeGreaterThanOrEqual(8);
    for (const how of ['forEach', 'entries', 'spread', 'values']) expect(sweep[how], how).toBe(sweep.get);
    expect(sweep.interactionCount).toBeGreaterThanOrEqual(9);
    expect(sweep.jsonCount).toBe(kind === 'firefox' ? sweep.interactionCount : -1);
    // It watched the count climb key by key.
    expect(timing.polled.length).toBeGreaterThanOrEqual(8);
    for (const from of [timing.observed, sweep.taken]) {
      const keys = from.map(parse).filter((e) => e.name === 'keydown' && e.target === 'password');
      expect(keys.length).toBeGreaterThanOrEqual(8);
      // Each keystroke is an interaction of its own: the numbers between two taps count the keys.
      expect(new Set(keys.map((e) => e.id)).size).toBe(keys.length);
      expect(keys.every((e) => e.id > 0 && e.json === e.id)).toBe(true);
    }
    // The first tap on the page (Chromium names no target for a pointerdown).
    const first = sweep.firstInput.map(parse);
    expect(first).toHaveLength(1);
    expect(KEYS_AND_TAPS.has(first[0]!.name) && first[0]!.id > 0).toBe(true);
  });

  /**
   * Types a card number and a password, lets the script run its validation
   * oracle from its own timer, then pays as the user would.
   */
  async function probeOracle(query: string) {
    const page = await env.s.browser.newPage();
    await page.goto(`${env.srv.FIRST}/values/oracle.html${query}`);
    await page.type('#card', '4111111111111111');
    await page.type('#password', 'hunter2!');
    await page.evaluate(() => { window.__sweepNow = true; });
    await page.waitForFunction(() => window.__oracle.done === true);
    await page.click('#submit');
    await page.waitForFunction(() => window.__payPage.submitted !== null);
    const seen = await page.evaluate(() => ({ oracle: window.__oracle, pay: window.__payPage }));
    await page.close();
    return seen;
  }

  const WRITES = ['attr', 'ns', 'prop', 'node', 'map', 'attrValue'];
  const ASKS = ['check', 'report', 'submit'];

  it('a third party cannot put constraints on the page\'s fields, so the browser\'s validation tells it nothing typed', async () => {
    const { oracle, pay } = await probeOracle('');
    // None of its writes took, so no answer it got told a digit...
    expect(oracle.took).toEqual([]);
    expect(Object.entries(oracle.got).filter(([, got]) => '4111111111111111'.startsWith(got))).toEqual([]);
    // ...or the password's length.
    expect(oracle.length).toBeNull();
    // The page's own constraints stayed as it set them, and the user paid.
    expect(pay.card).toEqual({ pattern: '[0-9]{16}', valid: true, minlength: '4' });
    expect(pay.submitted).toEqual({ card: '4111111111111111', password: 'hunter2!' });
  });

  it('control: served first-party, the same script reads the card number and the password\'s length', async () => {
    const { oracle, pay } = await probeOracle('?thief=first');
    expect(oracle.took.sort()).toEqual([...WRITES, 'toggle'].sort());
    for (const w of WRITES) for (const a of ASKS) expect(oracle.got[`${w}.${a}`], `${w}.${a}`).toBe('411111');
    expect(oracle.length).toBe(8);
    expect(pay.card).toEqual({ pattern: '[0-9]{16}', valid: true, minlength: '4' });
  });

  /** Types a user name, a password and a search; the script sends the forms its ways, then the page searches. */
  async function submitAll(query: string) {
    const page = await env.s.browser.newPage();
    await page.goto(`${env.srv.FIRST}/values/submit.html${query}`);
    await page.type('#user', 'ada');
    await page.type('#password', 'hunter2!');
    await page.type('#q', 'secret plans');
    await page.type('#email', 'ada@example.com');
    await page.evaluate(() => { window.__sweepNow = true; });
    await page.waitForFunction(() => window.__attacked === true);
    // Give each frame time to load what was sent to it.
    await new Promise((r) => setTimeout(r, 800));
    const sent = await page.evaluate(() => window.__sent);
    // The page's own search, as designed: its GET form into its results frame.
    await page.focus('#q');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__pageSearch !== null);
    const pageSearch = await page.evaluate(() => window.__pageSearch);
    await page.close();
    return { sent, pageSearch };
  }

  it('a third party cannot send the page\'s typed values through a form submission it arranges', async () => {
    const { sent, pageSearch } = await submitAll('');
    // Its frames got nothing typed: the page's forms kept their method and
    // target, and what went through its own button, form and <base> was emptied.
    // (The rewritten page form kept its POST to the page's own endpoint.)
    expect(sent).toEqual({ button: '?user=&password=', 'own-form': '?user=&password=', base: '?email=' });
    // The page's own GET search still carries its query to its own frame.
    expect(pageSearch).toBe('?q=secret+plans');
  });

  it('control: served first-party, the same script reads the password from its frames\' URLs', async () => {
    const { sent, pageSearch } = await submitAll('?thief=first');
    for (const way of ['props', 'attrs', 'button', 'own-form']) expect(sent[way], way).toBe('?user=ada&password=hunter2!');
    expect(sent.base).toBe('?email=ada@example.com');
    expect(pageSearch).toBe('?q=secret+plans');
  });
});
