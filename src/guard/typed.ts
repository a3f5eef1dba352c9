// Which fields the user has typed into, and the one decision every
// typed-value path shares: may the calling script read what was typed here?
//
// Fast path: a field the user never edited holds nothing the user typed, so
// reading it costs one WeakMap lookup and no stack capture. Only reads of
// fields the user has edited (and event data of trusted keystrokes on fields)
// pay for attribution. See docs/threat-model.md, "Typed values...".

import type { HookKind, TargetClass } from '../shared/types';
import {
  apply, eventComposedPath, eventTargetGetter, eventTypeGetter, nativeAddEventListener, nodeNameGetter, SafeWeakMap,
  bindFn, weakMapGet, weakMapSet, inputValueGetter, textareaValueGetter, selectValueGetter, selectIndexGetter, inputDefaultValueGetter, textareaDefaultValueGetter, isObject, isRef, call0,
  contentEditableGetter, each, objectCreate, protoGetter, ownerDocumentGetter, defaultViewGetter, documentRef, failures,
} from './natives';
import { peers } from './peers';
import { watchedTypes } from '../shared/events';
import { currentCaller } from './attribution';
import { aimedAtOwn, classifyTarget, nodeTypeOf } from './targets';
import { report } from './report';
import { state } from './state';

type Fn = (...a: unknown[]) => unknown;

export interface Taint {
  /** What the field held before the user's first edit: what a denied read sees. */
  pristine: string;
  pristineDefault: string;
  /** A select's selectedIndex before the user's first edit (-1 when unknown). */
  pristineIndex: number;
  /** Sticky: a password switched to type=text stays sensitive. */
  sensitive: boolean;
}

// Read on every `value` access: a bound native get, no argument array.
const typedMap = new WeakMap<object, Taint>();
const typedGet = apply(bindFn, weakMapGet, [typedMap]) as (k: object) => Taint | undefined;
const typed = {
  get: typedGet,
  set: apply(bindFn, weakMapSet, [typedMap]) as (k: object, v: Taint) => void,
};
/** A typed field's default (its `value` attribute, a textarea's text) as a denied caller sees it: as before the user typed. */
export const shownDefault = (t: Taint): string => (t.sensitive ? '' : t.pristineDefault);
/** How many fields were ever tainted, plus one once a peer guard is known; 0 lets every hook skip all work. */
export const taintStats = { fields: 0 };

/**
 * Another guard runs in a same-origin realm: fields of its documents may be
 * typed (foreignTaint), so from now on no typed-value hook may skip its work.
 */
export function peerFound(): void {
  if (!peers.on) taintStats.fields++;
  peers.on = true;
}

export function taintOf(el: unknown): Taint | undefined {
  if (!isRef(el)) return undefined;
  const t = taintStats.fields === 0 ? undefined : typed.get(el);
  // Free until another guard is known in a same-origin realm (realms.ts).
  return t !== undefined || !peers.on ? t : foreignTaint(el);
}

/** The taint of typed field `el` when the caller must be denied a read of it through `api`. */
export function deniedRead(el: unknown, api: string): Taint | undefined {
  const t = taintOf(el);
  return t !== undefined && mustDeny(el as object, api, t) ? t : undefined;
}

/** A copy of a tainted field (cloneNode) carries the field's taint. */
export function shareTaint(from: object, to: object): void {
  const t = typed.get(from);
  if (t !== undefined) typed.set(to, t);
}

export function nodeName(n: unknown): string {
  if (!isObject(n)) return '';
  try {
    const v = call0(nodeNameGetter, n);
    return typeof v === 'string' ? v : '';
  } catch (e) {
    // Not a Node (a Window in a composed path): nothing to taint.
    return '';
  }
}

function read(getter: Fn | undefined, el: object): string {
  if (getter === undefined) return '';
  const v = call0(getter, el);
  return typeof v === 'string' ? v : '';
}

// Edit events, watched in this order. The first five precede the change they
// announce, so the value is still pristine; `input` and `change` follow it.
const EDITS = ['keydown', 'beforeinput', 'paste', 'drop', 'compositionstart', 'input', 'change'];
const BEFORE: Record<string, true> = objectCreate(null);
for (let i = 0; i < 5; i++) BEFORE[EDITS[i] as string] = true;

function onEdit(ev: Event): void {
  // isTrusted is an unforgeable own property of every event.
  if (ev.isTrusted !== true) return;
  const path = call0(eventComposedPath, ev) as unknown[];
  const el = path.length > 0 ? path[0] : undefined;
  if (!isObject(el) || typed.get(el) !== undefined) return;
  // An `input` with no edit before it is autofill or a picker: the previous
  // value is gone, so fall back to the default.
  const t = taintFor(el, BEFORE[call0(eventTypeGetter, ev) as string] === true);
  if (t === undefined) return;
  typed.set(el, t);
  taintStats.fields++;
}

/**
 * What a field held before the user's first edit: as it stands now when
 * `before` (the edit is still to come), else its default. Undefined for
 * anything that is not a field.
 */
function taintFor(el: object, before: boolean): Taint | undefined {
  const name = nodeName(el);
  let value: Fn | undefined;
  let def: Fn | undefined;
  if (name === 'INPUT') { value = inputValueGetter as Fn; def = inputDefaultValueGetter as Fn; }
  else if (name === 'TEXTAREA') { value = textareaValueGetter as Fn; def = textareaDefaultValueGetter as Fn; }
  else if (name === 'SELECT') { value = selectValueGetter as Fn; }
  else return undefined;
  const sensitive = classifyTarget(el, '') === 'sensitive';
  const pristineDefault = sensitive ? '' : read(def, el);
  const pristine = sensitive ? '' : before ? read(value, el) : pristineDefault;
  // A select changed by a picker (no edit event first) has no default to fall back on: -1, as for ''.
  const pristineIndex = name === 'SELECT' && before && !sensitive ? call0(selectIndexGetter, el) as number : -1;
  return { pristine, pristineDefault, pristineIndex, sensitive };
}

/**
 * A field of a document another guard watches (a same-origin frame or
 * parent that runs its own copy of the guard, reached through this realm's
 * getters): this guard never saw its edits, so it is judged as typed, and as
 * empty before. Not for this realm's documents, nor
 * for documents without a window (inert ones), which nobody types into.
 */
function foreignTaint(el: unknown): Taint | undefined {
  let doc: unknown;
  try {
    doc = call0(ownerDocumentGetter, el);
  } catch (e) {
    return undefined; // not a node: the native getter will throw for it
  }
  if (doc === documentRef || !isObject(doc) || peers.mine.has(doc) || call0(defaultViewGetter, doc) === null) return undefined;
  const t = taintFor(el as object, false);
  // What it held before is in the other guard's records: its default now may
  // mirror the typed text (React copies it into the value attribute).
  if (t !== undefined) t.pristine = t.pristineDefault = '';
  return t;
}

/** Watches one realm for the user's edits, ahead of any page listener. */
export function watchEdits(win: typeof globalThis): void {
  each(EDITS, (type) => { apply(nativeAddEventListener, win, [type, onEdit, true]); });
}

/**
 * Whether the current caller must get the denied answer for a read of `el`
 * through `api`. Third-party reads are tallied as kind `value` (first-party
 * reads are not: a page reads its own fields constantly). In monitor mode the
 * read is tallied as denied but answered natively.
 */
export function mustDeny(el: object, api: string, t: Taint | undefined): boolean {
  if (state.mode === 'off') return false;
  const caller = currentCaller();
  if (caller.party === 'first') return false;
  const cls: TargetClass = classifyTarget(el, caller.origin);
  if (cls === 'own') {
    report('value', api, caller, true, 'own');
    return false;
  }
  let target: TargetClass = cls === 'sensitive' || cls === 'field' ? cls : 'field';
  if (t !== undefined) {
    if (cls === 'sensitive') t.sensitive = true;
    if (t.sensitive) target = 'sensitive';
  }
  report('value', api, caller, false, target);
  return state.mode === 'protect';
}

/**
 * Whether the caller must get the answer of a page nobody typed or tapped on
 * from a counter or timing value that tells of the page's keys and taps
 * (tallied as `kind` through `api`). Monitor mode tallies and answers natively.
 */
export function mustHideInput(kind: HookKind, api: string): boolean {
  if (state.mode === 'off') return false;
  const caller = currentCaller();
  if (caller.party === 'first') return false;
  report(kind, api, caller, false, 'global');
  return state.mode === 'protect';
}

/**
 * Whether `el` is a typed field whose length is kept from `origin`: password,
 * card, one-time code, email and the administrator's selectors, unless
 * `origin` owns it. Marks the taint sensitive as mustDeny does.
 */
export function lengthHidden(el: unknown, t: Taint, origin: string): boolean {
  const cls = classifyTarget(el, origin);
  if (cls === 'sensitive') t.sensitive = true;
  return cls !== 'own' && t.sensitive;
}

/**
 * Whether `el` is a field whose length may be hidden: sensitive now, or typed
 * into while it was (a password shown as text stays sensitive). A field made
 * sensitive later is judged from then on: its listeners registered before
 * are not (docs/threat-model.md).
 */
export function lengthMayHide(el: unknown): boolean {
  const t = taintOf(el);
  return (t !== undefined && t.sensitive) || classifyTarget(el, '') === 'sensitive';
}

/**
 * Whether a scroll or selectionchange event must be withheld from `origin`'s
 * listener: its target is a typed field whose length is hidden from it (the
 * field scrolls with every key past its width, and moves its caret with every key).
 */
function hidesFieldLength(ev: unknown, origin: string): boolean {
  if (taintStats.fields === 0) return false;
  let target: unknown;
  try {
    target = call0(eventTargetGetter, ev);
  } catch (e) {
    failures.brand++; // not an Event: the native never hands a listener one
    return false;
  }
  const t = taintOf(target);
  return t !== undefined && lengthHidden(target, t, origin);
}

/**
 * Whether a third party's listener or handler (of `origin`, on `at`) must
 * not hear `ev`. Decided per event: the site's mode and the administrator's
 * trusted origins may arrive after the page registered, and what the event
 * is aimed at may be a node put into the party's own tree. A `scroll` or
 * `selectionchange` listener (`scroll` true) loses only those of typed fields;
 * any other, every event not aimed at what the party owns.
 */
export function withheld(scroll: boolean, ev: unknown, at: unknown, origin: string): boolean {
  return state.mode === 'protect' && state.trusted[origin] !== true
    && (scroll ? hidesFieldLength(ev, origin) : !aimedAtOwn(ev, at, origin));
}

/** Host -> its closed root, for every closed root the guard was handed (features/shadow.ts). */
export const closedRoots = new SafeWeakMap<object, object>();
const rootFocusGetter = protoGetter(ShadowRoot, 'activeElement');

/** The focused element, looked for inside the closed roots the guard knows. */
export function innermostFocus(el: unknown): unknown {
  // Ends: each step goes one shadow tree deeper, or to null.
  for (let root; isObject(el) && (root = closedRoots.get(el)) !== undefined;) el = call0(rootFocusGetter, root);
  return el;
}

/** Event types that carry what is typed: key and input data, pasted or dropped text. */
export const TYPING = watchedTypes();
TYPING.paste = TYPING.drop = 'key';

/**
 * What an event of `type` whose innermost visible target is `el` was typed
 * into, or null when it carries nothing typed (a tap, a shortcut on the page).
 * Seen from outside a CLOSED shadow root (attached or declarative), its
 * events target the host, so any element other than the page itself may
 * stand for a field the guard cannot see; and a contenteditable <body> or a
 * designMode document is typed into at the body. Third parties may still
 * hear shortcuts on the page and keys on elements they created.
 */
export function typingTarget(el: object, type: unknown): object | null {
  // Keys and text go to the focused element: inside a closed root the guard
  // knows, that is what they were typed into, whoever owns the host.
  const typing = TYPING[type as string] === 'key';
  if (typing) {
    const inner = innermostFocus(el);
    if (isObject(inner)) el = inner;
  }
  const cls = classifyTarget(el, '');
  if (cls === 'field' || cls === 'sensitive') return el;
  if (!typing) return null;
  if (cls === 'element') return el;
  if (cls !== 'global' || nodeTypeOf(el) !== 1) return null;
  try {
    return call0(contentEditableGetter, el) === true ? el : null;
  } catch (e) {
    return null; // not an HTML element: the root of an XML document, which has no editing
  }
}

const eventField = new SafeWeakMap<object, object | null>();

/**
 * What a trusted event was typed into (see typingTarget), or null when the
 * event was synthetic or carries nothing typed.
 * Cached per event: listeners read several properties of the same event.
 */
export function fieldOfEvent(ev: unknown): object | null {
  if (!isObject(ev)) return null;
  const cached = eventField.get(ev);
  if (cached !== undefined) return cached;
  let field: object | null = null;
  try {
    if ((ev as Event).isTrusted === true) {
      const path = call0(eventComposedPath, ev) as unknown[];
      const el = path.length > 0 ? path[0] : call0(eventTargetGetter, ev);
      if (isObject(el)) field = typingTarget(el, call0(eventTypeGetter, ev));
    }
  } catch (e) {
    // Not an Event (a wrong receiver): the native getter will throw for it.
    field = null;
  }
  eventField.set(ev, field);
  return field;
}
