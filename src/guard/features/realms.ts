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
import { FEATURES } from './index';
import {
  apply, construct, CustomEventCtor, customEventDetail, documentRef, eventStopImmediate, getOwnPropertyDescriptor,
  MutationObserverCtor, mutationDisconnect, mutationObserve, nativeAddEventListener, nativeDispatchEvent,
  nativeRemoveEventListener, SafeWeakMap, windowLengthGetter, windowRef, getterOf,
} from '../natives';
import { installFailures, maskToString, wrapAccessor, wrapMethod } from '../wrap';

type Fn = (...a: unknown[]) => unknown;
const READY_EVENT = 'untapped-realm-ready';

/** Documents whose realm already has the guard's wrappers (its own guard's, or ours). */
const guarded = new SafeWeakMap<object, true>();
/** Realms guarded from here, and announcements that could not be made. */
export const realmStats = { fromParent: 0, announceFailures: 0 };

/** Marks `doc` as guarded; answers whether it already was. Handed to child guards. */
const claim = (doc: unknown): boolean => {
  if (typeof doc !== 'object' || doc === null) return false;
  const was = guarded.has(doc);
  guarded.set(doc, true);
  return was;
};

// A child guard announcing itself: hand it `claim`. Listening from
// document_start on capture, and stopping the event, keeps page code out.
apply(nativeAddEventListener, windowRef, [READY_EVENT, (ev: Event) => {
  apply(eventStopImmediate, ev, []);
  const answer = apply(customEventDetail as Fn, ev, []);
  if (typeof answer === 'function') apply(answer as Fn, undefined, [claim]);
}, true]);

guarded.set(documentRef, true);

/** Whether a parent or opener guard already installed the features into this realm. */
export const guardedByParent: boolean = (() => {
  let already = false;
  const parentGetter = getterOf(windowRef, 'parent');
  const openerGetter = getterOf(windowRef, 'opener');
  const targets: unknown[] = [];
  try {
    if (parentGetter !== undefined) targets[0] = apply(parentGetter, windowRef, []);
    if (openerGetter !== undefined) targets[1] = apply(openerGetter, windowRef, []);
  } catch (e) {
    realmStats.announceFailures++;
  }
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    if (t === null || t === undefined || t === windowRef) continue;
    try {
      const answer = (c: unknown): void => {
        if (typeof c === 'function' && apply(c as Fn, undefined, [documentRef]) === true) already = true;
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
  if (typeof win !== 'object' || win === null || win === windowRef) return;
  let doc: unknown;
  try {
    // `document` is an unforgeable own accessor: page code cannot redefine it.
    doc = (win as Window).document;
  } catch (e) {
    return; // cross-origin: its own guard (or its own origin's rules) apply
  }
  if (typeof doc !== 'object' || doc === null || claim(doc)) return;
  realmStats.fromParent++;
  const t0 = __UNTAPPED_PERF__ ? performance.now() : 0;
  const w = win as typeof globalThis;
  maskToString(w.Function.prototype as unknown as { toString: (...a: never[]) => unknown });
  for (const feature of FEATURES) {
    try {
      feature.init(w);
    } catch (e) {
      installFailures[installFailures.length] = `${feature.name}@child`;
    }
  }
  if (__UNTAPPED_PERF__) performance.measure('untapped:realm', { start: t0 });
}

/**
 * Guards every child realm of this window not guarded yet. `window[i]` cannot
 * be intercepted, and the initial about:blank of a parser-created iframe gets
 * no content script, so the parser's iframes are swept as they appear.
 */
export function sweepFrames(): void {
  if (windowLengthGetter === undefined) return;
  const n = apply(windowLengthGetter, windowRef, []) as number;
  knownFrames = n;
  // Indexed access on a WindowProxy is exotic: page code cannot redefine it.
  for (let i = 0; i < n; i++) ensureGuarded((windowRef as unknown as Record<number, unknown>)[i]);
}

let knownFrames = 0;
/**
 * After markup or nodes were inserted by script: a frame made by
 * `innerHTML = '<iframe>'` is reachable through `window[i]` in the same
 * script. One getter call when the number of frames did not change.
 */
export function sweepIfFramesChanged(): void {
  if (windowLengthGetter !== undefined && apply(windowLengthGetter, windowRef, []) !== knownFrames) sweepFrames();
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
  const observer = construct(MutationObserverCtor, [sweepIfFramesChanged]) as MutationObserver;
  apply(mutationObserve, observer, [documentRef, { childList: true, subtree: true }]);
  const stop = (): void => {
    sweepFrames();
    apply(mutationDisconnect, observer, []);
    apply(nativeRemoveEventListener, documentRef, ['DOMContentLoaded', stop, true]);
  };
  apply(nativeAddEventListener, documentRef, ['DOMContentLoaded', stop, true]);
}

export const realms: Feature = {
  name: 'realms',
  init(win) {
    const w = win as unknown as Record<string, { prototype: object } | undefined>;
    for (const name of ['HTMLIFrameElement', 'HTMLFrameElement', 'HTMLObjectElement']) {
      const proto = w[name]?.prototype;
      if (proto === undefined) continue;
      const winGetter = getterOf(proto, 'contentWindow');
      wrapAccessor(proto, 'contentWindow', {
        get(native, thisArg) {
          const child = apply(native as Fn, thisArg, []);
          ensureGuarded(child);
          return child;
        },
      });
      wrapAccessor(proto, 'contentDocument', {
        get(native, thisArg) {
          if (winGetter !== undefined) ensureGuarded(apply(winGetter, thisArg, []));
          return apply(native as Fn, thisArg, []);
        },
      });
    }
    const openHolder = getOwnPropertyDescriptor(win, 'open') !== undefined ? win : win.Window.prototype;
    wrapMethod<Fn>(openHolder, 'open', (native, thisArg, args) => {
      const child = apply(native, thisArg, args);
      ensureGuarded(child);
      return child;
    });
    wrapAccessor(win.MessageEvent.prototype, 'source', {
      get(native, thisArg) {
        const source = apply(native as Fn, thisArg, []);
        ensureGuarded(source);
        return source;
      },
    });
  },
};
