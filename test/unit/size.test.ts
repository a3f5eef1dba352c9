// Size budget: the guard is parsed and run at document_start in every frame
// of every page, so its size is paid everywhere. Sizes are exact, so this is a
// test; speed lives in `npm run bench`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll } from '../../scripts/build.mjs';

const GUARD_BUDGET_BYTES = 20 * 1024;
/**
 * The guard is over its 20 KB budget (35,063 bytes at 0220fd0) since it
 * covers every path of issue 3; issue 7 stays open until it fits again (see
 * docs/benchmarks.md, "Guard size"). Until then the budget test below is an
 * expected failure, and this ratchet stops the guard from growing further: it
 * may only be lowered, except for a bypass that cannot be closed within it.
 * Raised once, from 36 KB: tagging third-party event handler attributes
 * (a third party's `onerror` attribute ran as page code, a keylogger in two
 * lines) took 750 B that could not be found elsewhere in the session.
 * Raised again, from 36.75 KB, on 2026-11-24, for four bypasses found in one
 * session (about 60 B were taken back from the new code): a third party that moved the page's login form into a box of its
 * own heard every key and read the password (ownership was inherited down
 * the tree; closing it, with every insertion API, copies, parse results and
 * per-event judging, took 1.5 KB), and a value getter taken from a
 * same-origin frame with its own guard read the top page's password
 * (+270 B); taps on the page's nodes reached a party's listeners when
 * it hid them in its closed shadow root (+150 B) or listened through markup
 * a peer realm had parsed (+110 B), or when they were moved through a
 * table's tHead setter (+107 B).
 * Raised a third time, from 39 KB, later on 2026-11-24: in Chromium a third party
 * copied the guard's tag off a first-party script and was taken for the
 * page; a first-party tag is now believed only on the script it was put on,
 * by SHA-256 against V8's getScriptHash() (+1.65 KB with the fix for JSON
 * data blocks, which the tag broke, and with peer realms' fields no longer
 * skipped by the attribute and markup shortcuts).
 * Raised a fourth time, from 40.75 KB, on 2026-11-24, by one eighth of a KB: a
 * third party's srcdoc frame with a realm of its own was trusted by that
 * realm's guard (its code shows the document's own URL, about:srcdoc, and a
 * data: script there passed as a data: frame's own), and used that realm's
 * natives on the page's events and fields. The document's own origin now
 * decides (+62 B).
 * Raised a fifth time, from 40.875 KB, on 2026-11-25: a third party's frame or
 * popup moved to a first-party page and then to `javascript:` markup ran that
 * markup's code under the first-party URL, in every realm's eyes, and heard
 * every key. Such a document is now recognised at document_start and its
 * inline code sealed off by a policy, unless the page runs unprotected
 * (synthetic.ts, +619 B). With it, announcements are answered in every realm
 * guarded from a parent, where a page answered them itself before (+71 B).
 * Raised a sixth time, from 41.5 KB, on 2026-11-25: a third party's handler
 * attribute whose code runs while its markup is inserted (an iframe's
 * about:blank loads as it goes in; a custom element fires an event on its
 * neighbour) ran untagged, as page code, and a keylogger it set up from a
 * timer heard every key, in both engines. Markup a third party hands
 * innerHTML and the other fragment parsers is now tagged before the parse
 * (inline-handlers `pretag`, +589 B). document.write had the same hole and a
 * wider one: a tag split across writes, or left for the page's HTML to
 * finish, was made outside any call the guard watched. A third party's
 * pieces are now held until whole and written with their handlers renamed
 * (+1,199 B: 44,263 B).
 * Raised a seventh time, from 43.5 KB, on 2026-11-25: a password or card
 * field narrower than its text scrolls with every key past its width, and a
 * third party's scroll listener and the field's scrollLeft and scrollWidth
 * counted the characters, in both engines (rrweb records element scrolls).
 * Such fields' scroll geometry is now answered as if empty, and their scroll
 * events are withheld from third-party listeners and handlers
 * (field-scroll.ts and the scroll filter, which judges only listeners that
 * can hear a field's scroll, reading their options as the native does:
 * +1,237 B: 45,500 B).
 * Raised an eighth time, from 44.75 KB, on 2026-12-07, for eight bypasses
 * found in one session. The numbers of the Event Timing API counted a
 * password's characters in both engines (PerformanceObserver takeRecords,
 * performance.eventCounts, interactionCount, and the interactionId step
 * between two taps' entries); a third party now reads none of them
 * (timing.ts, event-counts.ts: +2,049 B). Chromium's window.find() read a
 * card number back a digit at a time (find.ts: +265 B). A third party's own
 * pattern or minlength on the page's field made the browser's validation
 * (form.checkValidity, requestSubmit) read the card number and the password's
 * length, in both engines; such writes are now refused (form-attributes.ts and
 * the attribute paths: +1,009 B). Every key moves a field's caret, and
 * each key a framework mirrors into the value attribute is a mutation
 * record: a third party's selectionchange listener and its MutationObserver
 * counted a password's characters in both engines (the field-scroll rule now
 * covers selectionchange, +57 B; a third party's observers lose those
 * records, +705 B). document.caretPositionFromPoint() read the caret offset
 * at any point of a typed field, so its length (caret.ts, +339 B). And form
 * submission was a reading channel: a third party that switched the page's
 * login form to GET into a hidden frame of its own (or sent it through its
 * own submit button, its own form, its own <base target>) read the password
 * from the frame's URL with one form.submit(), in both engines. The
 * attributes that decide where a submission goes are now guarded like the
 * constraints (form-attributes.ts, removals included), and a submission a
 * third party arranges with its own elements carries no typed value (the
 * formdata event): +2,357 B. Firefox's performance.toJSON() carried the
 * interaction count past its getter (+172 B). 52,461 B in all, 52,205 B
 * after the session's review (one list filter and one toJSON wrapper where
 * there were two of each, the party and Attr-name helpers of targets.ts).
 */
const GUARD_RATCHET_BYTES = 51.25 * 1024;

describe('bundle size', () => {
  let out = '';
  beforeAll(async () => {
    // A private build directory: dist/ belongs to whoever built last.
    out = mkdtempSync(join(tmpdir(), 'untapped-size-'));
    await buildAll({ quiet: true, outDir: out });
  }, 60_000);
  afterAll(() => {
    if (out !== '') rmSync(out, { recursive: true, force: true });
  });

  // KNOWN MISS (issue 7 open): `it.fails` passes while the guard is over budget
  // and turns red as soon as it fits, so the budget is re-armed then.
  it.fails.each(['chromium', 'firefox'])('KNOWN MISS: %s guard.js is at most 20 KB (20,480 bytes) minified', (browser) => {
    const bytes = statSync(join(out, browser, 'guard.js')).size;
    expect(bytes, `dist/${browser}/guard.js is ${bytes} bytes`).toBeLessThanOrEqual(GUARD_BUDGET_BYTES);
  });

  it.each(['chromium', 'firefox'])(`%s guard.js does not grow past the ${GUARD_RATCHET_BYTES / 1024} KB ratchet`, (browser) => {
    const bytes = statSync(join(out, browser, 'guard.js')).size;
    expect(bytes, `dist/${browser}/guard.js is ${bytes} bytes`).toBeLessThanOrEqual(GUARD_RATCHET_BYTES);
  });
});
