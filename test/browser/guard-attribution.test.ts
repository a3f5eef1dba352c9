// Issue 3 (part 1): attribution that cannot be fooled. A third-party script
// disguises its keystroke listeners as page code, as nobody's code or as a
// first-party URL; none of it may hear the user. And the opposite: first-party
// code running through a third-party error monitor (Sentry-style wrappers of
// addEventListener and timers) keeps working.
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { KINDS, sendUi, useBrowser, type Env } from './env';
import { openPage } from './ui-helpers';

declare global {
  interface Window {
    __pending: number; __disguisesDone: boolean; __app: string[]; __appTimerDone: boolean; __sentryInstalled: boolean;
    __appData: string; __stolenTag: string | undefined; __namedStack: string | undefined;
  }
}

const DISGUISES = [
  'inline-text', 'inline-textnode', 'document-write', 'eval', 'new-function', 'timeout-string', 'blob-script',
  'data-script', 'prepare-stack', 'replaced-error', 'jquery', 'through-sdk', 'array-setter',
  'handler-attr', 'handler-markup', 'handler-moved', 'handler-inert', 'exec-command', 'xslt', 'srcdoc-hop', 'srcdoc-data',
  'forged-claim', 'jsurl-doc', 'jsurl-parent', 'jsurl-handler', 'jsurl-forged', 'sourceurl-file', 'handler-sync',
  'write-sync', 'write-split', 'write-open', 'import-data', 'import-blob',
];
/** Code with no URL of its own naming a first-party URL in a `//# sourceURL=`: eval, and import() of a data: or blob: module. */
const NAMED_FIRST = ['sourceurl-spoof', 'import-data-spoof', 'import-blob-spoof'];
/** Documents made from a javascript: URL: their inline code never runs while the page is protected. */
const JSURL = ['jsurl-doc', 'jsurl-parent', 'jsurl-handler', 'jsurl-forged'];

async function run(env: Env, query: string) {
  const page = await env.s.browser.newPage();
  await page.goto(`${env.srv.FIRST}/guard/attribution.html?${query}`);
  await page.waitForFunction(() => window.__disguisesDone === true && window.__pending === 0 && window.__appTimerDone === true, { timeout: 20_000 });
  await type(page);
  const result = await page.evaluate(() => ({
    captured: window.__captured, firstParty: window.__firstParty, app: window.__app, appData: window.__appData, stolenTag: window.__stolenTag,
    namedStack: window.__namedStack,
  }));
  await page.close();
  return result;
}

/**
 * Keeps the extension busy for `ms`, so the guard's settings reach the next
 * page only after its first scripts ran: what a slow or just-woken extension
 * does. An extension page is opened first, which waits for the background to
 * answer (so it is up). Chromium: a busy loop in the service worker. Firefox:
 * in that extension page, which shares the event page's thread. Returns once
 * the loop is sent, with `done` for its end (wrapped: an async function would
 * wait for it).
 */
async function holdExtension(env: Env, ms: number): Promise<{ done: Promise<unknown> }> {
  const busy = (n: number) => { const end = Date.now() + n; while (Date.now() < end); return true; };
  const ext = await openPage(env, 'popup.html?site=untapped.invalid', '[data-testid="site"]');
  if (env.s.kind === 'chromium') {
    await ext.close();
    const id = new URL(env.s.extensionBase!).host;
    const target = await env.s.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${id}/`));
    return { done: (await target.worker())!.evaluate(busy, ms) };
  }
  return { done: ext.evaluate(busy, ms).finally(() => ext.close()) };
}

async function type(page: Page): Promise<void> {
  await page.type('#email', 'ab');
  await page.type('#password', 'cd');
  await page.click('#pay');
  await page.type('#email', 'ef');
}

/** An origin as it reads in a RegExp (its dots literal). */
const literal = (origin: string) => origin.replace(/[.]/g, '\\.');

const labels = (captured: string[]) => [...new Set(captured.map((c) => c.split(':')[0]))].sort();

describe.each(KINDS)('attribution in %s', (kind) => {
  const env = useBrowser(kind);

  it('third-party code in every disguise hears nothing while the page hears every key', async () => {
    const { captured, firstParty, app, appData } = await run(env, `from=third&d=${DISGUISES.join(',')}`);
    expect(captured).toEqual([]);
    expect(firstParty.filter((e) => e.startsWith('doc-keydown:')).length).toBe(6);
    // app-inline: a script the app inserted itself, registering from its own timer.
    expect(labels(app)).toEqual(['app-direct', 'app-inline', 'app-jquery', 'app-nested', 'app-timer']);
    // The app's JSON data block reads back as written (it used to carry the guard's tag).
    expect(appData).toBe('read');
  });

  // The guard's tag on a script the app inserted is readable in its text; a
  // third party copying it onto its own script must not become the app.
  // Firefox shows any `//# sourceURL=` as the script's URL, so there a third
  // party can name a first-party URL without stealing anything (documented,
  // like the eval case below).
  it.skipIf(kind === 'firefox')('code carrying a tag stolen from a first-party script hears nothing', async () => {
    const { captured, firstParty, stolenTag } = await run(env, 'from=third&d=tag-steal');
    // The attack found the app's tag: it names the page's own origin.
    expect(stolenTag).toMatch(new RegExp(`^${literal(env.srv.FIRST)}/untapped-inline-\\d+\\.js$`));
    expect(captured).toEqual([]);
    expect(firstParty.filter((e) => e.startsWith('doc-keydown:')).length).toBe(6);
  });

  // V8's CallSites keep the real file (a module's data: or blob: URL) and
  // say whether a frame is eval code, whatever the comment claims.
  it.skipIf(kind === 'firefox')('code without a URL of its own claiming a first-party URL with //# sourceURL hears nothing', async () => {
    const { captured, firstParty } = await run(env, `from=third&d=${NAMED_FIRST.join(',')}`);
    expect(captured).toEqual([]);
    expect(firstParty.filter((e) => e.startsWith('doc-keydown:')).length).toBe(6);
  });

  // KNOWN GAP (docs/threat-model.md, "eval/Function code renamed"): Firefox
  // prints a `//# sourceURL=` name in Error.stack exactly like a real URL and
  // has nothing else, so code without a URL of its own that names a
  // first-party URL passes for the page. import() of a data: module reaches
  // the engine through syntax, with no API to wrap and no request to filter,
  // so guarding eval alone would not close it. Pinned: this fails the day
  // Firefox (or the guard) stops it, and the threat model must then change.
  it.skipIf(kind === 'chromium')('KNOWN GAP (pinned): in Firefox, eval and imported data: or blob: modules naming a first-party URL pass for the page', async () => {
    const { captured, firstParty } = await run(env, `from=third&d=${NAMED_FIRST.join(',')}`);
    expect(labels(captured)).toEqual([...NAMED_FIRST].sort());
    expect(firstParty.filter((e) => e.startsWith('doc-keydown:')).length).toBe(6);
  });

  // The guard's settings arrive as a message copied into the page's realm: a
  // third party that put `trustedOrigins` on Object.prototype before they
  // arrived must not become trusted (no policy sets the field, so the message
  // has none of its own).
  it('a third party naming itself trusted through Object.prototype hears nothing', async () => {
    for (const from of ['third', 'first'] as const) {
      const page = await env.s.browser.newPage();
      // The settings arrive about 700 ms after the page's scripts ran; the
      // third party listens half a second after that, once they are in.
      const held = await holdExtension(env, 700);
      await page.goto(`${env.srv.FIRST}/guard/trust.html?from=${from}`);
      expect(await held.done).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      await page.evaluate(() => { (window as unknown as { __go: boolean }).__go = true; });
      await page.waitForFunction(() => (window as unknown as { __trustDone?: boolean }).__trustDone === true);
      await page.type('#password', 'pw');
      const seen = await page.evaluate(() => ({ captured: window.__captured, firstParty: window.__firstParty }));
      await page.close();
      // Control: served first-party, the same listener hears both keys.
      expect(seen.captured, from).toEqual(from === 'third' ? [] : ['trusted:p', 'trusted:w']);
      expect(seen.firstParty.filter((e) => e.startsWith('doc-keydown:'))).toEqual(['doc-keydown:p', 'doc-keydown:w']);
    }
  });

  it('a page frozen at Error.stackTraceLimit = 0 gives the third party nothing', async () => {
    const { captured, firstParty } = await run(env, 'from=third&d=stack-limit-zero');
    expect(captured).toEqual([]);
    // The page's own listeners, registered before the freeze, still hear everything.
    expect(firstParty.filter((e) => e.startsWith('doc-keydown:')).length).toBe(6);
  });

  it('the same code served first-party keeps working, except the documented fail-closed cases', async () => {
    const { captured } = await run(env, `from=first&d=${[...DISGUISES, ...NAMED_FIRST].join(',')}`);
    // Code the engine gives no trustworthy URL (DOM text nodes, document.write,
    // data: scripts and modules, string timers, and in Chromium eval or a data:
    // module renamed by sourceURL) is
    // treated as third-party even when a first party wrote it: fail closed.
    // srcdoc code too (`about:srcdoc` names no author; a known gap, pinned in foundation-shapes).
    // And a javascript: URL's markup: its inline code is not run at all (synthetic.ts).
    // In Chromium, natives of a same-origin frame that runs its own guard
    // (forged-claim) fail closed for the page: V8 hands that guard the page's
    // frames with no file and no line (measured), so no caller is known.
    const failClosed = ['inline-textnode', 'document-write', 'data-script', 'import-data', 'import-data-later', 'timeout-string', 'srcdoc-hop',
      'srcdoc-data', ...JSURL, ...(kind === 'chromium' ? ['sourceurl-spoof', 'import-data-spoof', 'forged-claim'] : [])];
    const expected = [
      'inline-text', 'inline-text-later', 'inline-textnode', 'document-write', 'eval', 'eval-later', 'new-function', 'timeout-string',
      'blob-script', 'data-script', 'prepare-stack', 'replaced-error', 'jquery', 'through-sdk', 'sourceurl-spoof', 'array-setter',
      // `xslt` needs XSLTProcessor, which both engines here have (Chromium plans
      // to drop it: then this list, and the disguise's feature test, say so).
      'handler-attr', 'handler-attr-later', 'handler-markup', 'handler-moved', 'handler-inert', 'exec-command', 'xslt', 'srcdoc-hop', 'srcdoc-data',
      'forged-claim', ...JSURL, 'sourceurl-file', 'sourceurl-file-later',
      'handler-sync-iframe', 'handler-sync-adjacent', 'handler-sync-fragment', 'handler-sync-element',
      'write-sync', 'write-split', 'write-open', 'import-data', 'import-data-later', 'import-blob', 'import-blob-later',
      'import-data-spoof', 'import-blob-spoof',
    ].filter((l) => !failClosed.includes(l));
    expect(labels(captured)).toEqual(expected.sort());
  });

  // Firefox's background defuses `//# sourceURL=` in other sites' scripts
  // (Chromium has no such filter and needs none). A site switched off gets
  // them exactly as they were sent.
  it.skipIf(kind === 'chromium')('other sites\' scripts lose their sourceURL name while protected and keep it on a site switched off', async () => {
    const named = new RegExp(`^@${literal(env.srv.FIRST)}/guard/lib\\.js:`);
    const protectedRun = await run(env, 'from=third&d=sourceurl-file');
    expect(protectedRun.namedStack).toMatch(new RegExp(`^@${literal(env.srv.THIRD)}/guard/named-first\\.js:`));
    await sendUi(env, { type: 'ui/set-mode', site: '127.0.0.1', mode: 'off' });
    try {
      const offRun = await run(env, 'from=third&d=sourceurl-file');
      expect(offRun.namedStack).toMatch(named);
      // Nothing is guarded there: the file hears the keys as it would without the extension.
      expect(labels(offRun.captured)).toEqual(['sourceurl-file', 'sourceurl-file-later']);
    } finally {
      await sendUi(env, { type: 'ui/set-mode', site: '127.0.0.1', mode: 'protect' });
    }
  });

  // The seal is the one measure taken before the site's settings are known:
  // it asks the page's guard, so a site switched off (or monitored) runs such
  // a document's code as it would without the extension.
  it('a site switched off runs the inline code of its javascript: documents again', async () => {
    await sendUi(env, { type: 'ui/set-mode', site: '127.0.0.1', mode: 'off' });
    try {
      // hop=600: the frame is moved once the page's settings are surely in.
      const { captured } = await run(env, `from=third&hop=600&d=${JSURL.join(',')}`);
      expect(labels(captured)).toEqual([...JSURL].sort());
    } finally {
      await sendUi(env, { type: 'ui/set-mode', site: '127.0.0.1', mode: 'protect' });
    }
  });

  it('first-party code through a Sentry-style SDK keeps working while a third party using a first-party library, or the SDK, hears nothing', async () => {
    const page = await env.s.browser.newPage();
    await page.goto(`${env.srv.FIRST}/guard/attribution.html?sentry=1&from=third&d=jquery,through-sdk`);
    await page.waitForFunction(() => window.__disguisesDone === true && window.__appTimerDone === true && window.__sentryInstalled === true);
    await type(page);
    const { captured, app } = await page.evaluate(() => ({ captured: window.__captured, app: window.__app }));
    await page.close();
    // Direct, from a wrapped timer, from inside a wrapped listener, and via the first-party library.
    expect(labels(app)).toEqual(['app-direct', 'app-inline', 'app-jquery', 'app-nested', 'app-timer']);
    expect(app.filter((e) => e.startsWith('app-direct:')).length).toBe(4);
    expect(captured).toEqual([]);
  });
});
