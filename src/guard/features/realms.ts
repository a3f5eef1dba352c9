// Other realms of the same origin: iframes, popups, their documents. Each
// realm normally runs its own guard at document_start, but a page can reach
// some realms before that (the initial about:blank of an iframe it just
// inserted, a popup's first document). So the parent guards a child realm
// synchronously the moment the page gets hold of it through contentWindow,
// contentDocument, window.open or MessageEvent.source, and never twice:
// - every guard announces its realm to its parent (or opener) at start with a
//   synchronous event, and skips its own features when the parent already
//   guarded that realm;
// - the parent remembers realms by their document (one document per realm).
// Parser-created iframes are swept while the document is parsed (below).
// A page can forge the announcement, but only to mark a realm as guarded that
// it could already reach unguarded; see docs/threat-model.md, "Realms".

import type { Feature } from './registry';
import type { Mode } from '../../shared/types';
import { state } from '../state';
import { FEATURES } from './index';
import {
  apply, construct, CustomEventCtor, customEventDetail, documentRef, eventStopImmediate, getOwnPropertyDescriptor,
  MutationObserverCtor, mutationDisconnect, mutationObserve, nativeAddEventListener, nativeDispatchEvent,
  nativeRemoveEventListener, SafeWeakMap, windowLengthGetter, windowRef, getterOf, objectCreate, isConnectedGetter,
  ownerDocumentGetter, defaultViewGetter, isObject, call0, protoOf,
  each, windowOpenerGetter, windowParentGetter, protoIfAny, newList, ADDED_NODES,
} from '../natives';
import { nodeTypeOf } from '../targets';
import { peers } from '../peers';
import { peerFound } from '../typed';
import { installFailed, maskToString, wrapAccessor, wrapMethod } from '../wrap';

type Fn = (...a: unknown[]) => unknown;
const READY_EVENT = 'untapped-realm-ready';

/** Documents whose realm already has the guard's wrappers (its own guard's, or ours). */
const guarded = new SafeWeakMap<object, true>();
/** Realms guarded from here, and announcements that could not be made. */
export const realmStats = { fromParent: 0, announceFailures: 0 };

/**
 * Documents of child realms that run a guard of their own -> that guard's
 * `claim`. Its realm's own children are asked through it, since it is the
 * one that swept them. Only kept for a document claimed for the first time:
 * a child announces at its document_start, before the page can hold its
 * document (holding one claims it).
 */
const ownClaims = new SafeWeakMap<object, Fn>();

/** Marks `doc` as guarded; answers whether it already was. Handed to child guards, with their own `claim`. */
const claim = (doc: unknown, theirs?: unknown): boolean => {
  if (!isObject(doc)) return false;
  const was = guarded.has(doc);
  guarded.set(doc, true);
  if (!was && typeof theirs === 'function') ownClaims.set(doc, theirs as Fn);
  return was;
};

/**
 * Answers announcements made to `win`: this window from document_start, and
 * every realm guarded from here the moment it is, before the page holds it.
 * First on capture and stopping the event, so page code never answers one: a
 * forged answer could tell a child it is guarded already, or the site off.
 * The answer is the `claim` of the guard that swept `win` (its own, if it has
 * one, else ours), and the mode (a document made from a javascript: URL asks
 * whether to seal itself, synthetic.ts).
 */
const answerAnnouncements = (win: unknown): void => {
  apply(nativeAddEventListener, win, [READY_EVENT, (ev: Event) => {
    call0(eventStopImmediate, ev);
    const answer = call0(customEventDetail, ev);
    // A child realm with a guard of its own (or a page forging one: that only costs time).
    peerFound();
    // `document` is an unforgeable own accessor of a window. Never an entry
    // for this window's own document: it is claimed from the start.
    if (typeof answer === 'function') apply(answer as Fn, undefined, [ownClaims.get((win as Window).document) ?? claim, state.mode]);
  }, true]);
};
answerAnnouncements(windowRef);

guarded.set(documentRef, true);

/** The mode of the nearest guard (parent first, then opener) that answered this realm's announcement. */
export let ancestorMode: Mode | undefined;

/** Whether a parent or opener guard already installed the features into this realm. */
export const guardedByParent: boolean = (() => {
  let already = false;
  const targets = newList<unknown>();
  try {
    if (windowParentGetter !== undefined) targets[0] = call0(windowParentGetter, windowRef);
    if (windowOpenerGetter !== undefined) targets[1] = call0(windowOpenerGetter, windowRef);
  } catch (e) {
    realmStats.announceFailures++;
  }
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    if (t === null || t === undefined || t === windowRef) continue;
    try {
      const answer = (c: unknown, mode: unknown): void => {
        if (typeof c !== 'function') return;
        // Read as a Mode only where it is compared with 'off' and 'monitor' (synthetic.ts).
        if (ancestorMode === undefined && typeof mode === 'string') ancestorMode = mode as Mode;
        if (apply(c as Fn, undefined, [documentRef, claim]) === true) already = true;
        else peerFound(); // the parent's guard keeps its own records
      };
      apply(nativeDispatchEvent, t, [construct(CustomEventCtor, [READY_EVENT, { detail: answer }])]);
    } catch (e) {
      realmStats.announceFailures++; // a cross-origin parent: it has its own guard, or none to reach
    }
  }
  return already;
})();

/** Installs every feature into `win` unless its realm is guarded already. */
export function ensureGuarded(win: unknown): void {
  if (!isObject(win) || win === windowRef) return;
  let doc: unknown;
  try {
    // `document` is an unforgeable own accessor: page code cannot redefine it.
    doc = (win as Window).document;
  } catch (e) {
    return; // cross-origin: its own guard (or its own origin's rules) apply
  }
  if (!isObject(doc) || claim(doc)) return;
  answerAnnouncements(win);
  peers.mine.set(doc, true);
  realmStats.fromParent++;
  const t0 = __UNTAPPED_PERF__ ? performance.now() : 0;
  maskToString((win as typeof globalThis).Function.prototype as unknown as { toString: (...a: never[]) => unknown });
  each(FEATURES, (feature) => {
    const tf = __UNTAPPED_PERF__ ? performance.now() : 0;
    try {
      feature.init(win as typeof globalThis);
    } catch (e) {
      installFailed(`${feature.name}@child`);
    }
    if (__UNTAPPED_PERF__) performance.measure(`untapped:init:${feature.name}`, { start: tf });
  });
  if (__UNTAPPED_PERF__) performance.measure('untapped:realm', { start: t0 });
}

/** The child windows of one window as last swept, by index (null-prototype: no page setter intercepts). */
interface Swept { n: number; wins: Record<number, unknown> }
const swept = new SafeWeakMap<object, Swept>();

/**
 * Guards every child realm of `win` (this window, or a child realm guarded
 * from here) not guarded yet. `window[i]` cannot be intercepted, and the
 * initial about:blank of a frame with a pending navigation gets no content
 * script, so frames are swept as they appear.
 */
export function sweepFrames(win: object = windowRef): void {
  if (windowLengthGetter === undefined) return;
  const n = call0(windowLengthGetter, win) as number;
  const wins: Record<number, unknown> = objectCreate(null);
  // Indexed access on a WindowProxy is exotic: page code cannot redefine it.
  for (let i = 0; i < n; i++) {
    const child = (win as Record<number, unknown>)[i];
    wins[i] = child;
    ensureGuarded(child);
  }
  swept.set(win, { n, wins });
}

/**
 * After script changed a connected DOM: sweeps `win` when its frames are not
 * the ones last swept. The count alone is not enough: a frame removed and
 * another added, or one replaced, between two checks leaves it unchanged.
 * Costs one getter call without frames, one indexed read per frame with them.
 */
export function sweepIfFramesChanged(win: object = windowRef): void {
  if (windowLengthGetter === undefined) return;
  const n = call0(windowLengthGetter, win) as number;
  const last = swept.get(win);
  if (last === undefined ? n === 0 : n === last.n && sameFrames(win, n, last.wins)) return;
  sweepFrames(win);
}

/**
 * After script put nodes or markup into `where` (a node): sweeps the window
 * whose document now holds them. Nothing to do while `where` is detached: a
 * frame outside a document has no realm.
 */
export function sweepAfterInsert(where: unknown): void {
  const t = nodeTypeOf(where);
  if (t === 0 || call0(isConnectedGetter, where) !== true) return;
  const doc = t === 9 ? where : call0(ownerDocumentGetter, where);
  const view = doc === null ? null : call0(defaultViewGetter, doc);
  if (isObject(view)) sweepIfFramesChanged(view);
}

function sameFrames(win: object, n: number, wins: Record<number, unknown>): boolean {
  for (let i = 0; i < n; i++) if ((win as Record<number, unknown>)[i] !== wins[i]) return false;
  return true;
}

// While the parser runs: the HTML parser performs a microtask checkpoint
// before each script it runs, so this observer's callback sweeps a freshly
// parsed iframe before any later script of the page can reach it.
// Disconnected at DOMContentLoaded: frames made by script afterwards get their
// own guard at insertion, and contentWindow & co. are wrapped.
{
  // Only when the number of frames changed: the parser only appends, so a new
  // iframe always changes it, and a full sweep per mutation batch made every
  // frame of a heavy page pay for all the others (docs/benchmarks.md).
  const observer = construct(MutationObserverCtor, [() => sweepIfFramesChanged()]) as MutationObserver;
  apply(mutationObserve, observer, [documentRef, ADDED_NODES]);
  const stop = (): void => {
    sweepFrames();
    call0(mutationDisconnect, observer);
    apply(nativeRemoveEventListener, documentRef, ['DOMContentLoaded', stop, true]);
  };
  apply(nativeAddEventListener, documentRef, ['DOMContentLoaded', stop, true]);
}

export const realms: Feature = {
  name: 'realms',
  init(win) {
    each(['HTMLIFrameElement', 'HTMLFrameElement', 'HTMLObjectElement'], (name) => {
      const proto = protoIfAny(win, name);
      if (proto === undefined) return;
      const winGetter = getterOf(proto, 'contentWindow');
      wrapAccessor(proto, 'contentWindow', {
        get(native, thisArg) {
          const child = call0(native, thisArg);
          ensureGuarded(child);
          return child;
        },
      });
      wrapAccessor(proto, 'contentDocument', {
        get(native, thisArg) {
          // The native first: a wrong receiver gets its own error, not contentWindow's.
          const doc = call0(native, thisArg);
          if (winGetter !== undefined) ensureGuarded(call0(winGetter, thisArg));
          return doc;
        },
      });
    });
    const openHolder = getOwnPropertyDescriptor(win, 'open') !== undefined ? win : protoOf(win, 'Window');
    wrapMethod<Fn>(openHolder, 'open', (native, thisArg, args) => {
      const child = apply(native, thisArg, args);
      ensureGuarded(child);
      return child;
    });
    // Editing commands (insertHTML) can connect frames too: wrapped in
    // inline-handlers.ts, which sweeps after each.
    wrapAccessor(protoOf(win, 'MessageEvent'), 'source', {
      get(native, thisArg) {
        const source = call0(native, thisArg);
        ensureGuarded(source);
        return source;
      },
    });
  },
};
