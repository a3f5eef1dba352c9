// addEventListener / removeEventListener for keystroke and tap event types,
// and for scroll and selectionchange, whose only secret is how often a typed
// field scrolls or moves its caret: once a key.
//
// First-party calls go straight to the native with the caller's own
// arguments. A third-party listener is registered through a filter that,
// while the site is protected, drops every event not aimed at something
// that party owns (targets.ts): registration succeeds, removeEventListener, `once` and `signal`
// keep their native meaning, and switching the site to monitor later hands
// the listener its events again.
//
// When a script has replaced addEventListener on the prototype (error
// monitors such as Sentry do), a first-party registration that came through
// that wrapper is registered through a trampoline, so code the listener runs
// later still counts as first-party (see decideParty in shared/stack.ts).

import type { Feature } from './registry';
import { fieldLengthTypes, watchedTypes } from '../../shared/events';
import { apply, each, getOwnPropertyDescriptor, SafeWeakMap, isObject, isRef, objectCreate, protoOf } from '../natives';
import { wrapMethod } from '../wrap';
import { asFirstPartyTask, currentCaller } from '../attribution';
import { classifyTarget } from '../targets';
import { lengthMayHide, withheld } from '../typed';
import { report } from '../report';

type AddFn = (...args: unknown[]) => unknown;
type Handler = (this: unknown, ev: Event) => unknown;

const WATCHED = watchedTypes();
const FIELD_LENGTH = fieldLengthTypes();
/** listener -> its filtering stand-in, one per listener so native de-duplication holds. */
const filters = new SafeWeakMap<object, Handler>();
/** listener -> its stand-in as a scroll listener, which loses only the scrolls of typed fields. */
const scrollFilters = new SafeWeakMap<object, Handler>();
/** listener -> its first-party trampoline (registrations through a third-party wrapper). */
const trampolines = new SafeWeakMap<object, Handler>();

function callListener(listener: object, thisArg: unknown, ev: Event): unknown {
  if (typeof listener === 'function') return apply(listener as Handler, thisArg, [ev]);
  const handleEvent = (listener as { handleEvent?: unknown }).handleEvent;
  if (typeof handleEvent === 'function') return apply(handleEvent, listener, [ev]);
  return undefined;
}

/** The stand-in that hears for `origin`'s listener what it may (`scroll`: a scroll listener's rule, see withheld). */
function filterFor(listener: object, origin: string, scroll: boolean): Handler {
  const cache = scroll ? scrollFilters : filters;
  let f = cache.get(listener);
  if (f === undefined) {
    f = function (this: unknown, ev: Event): unknown {
      return withheld(scroll, ev, this, origin) ? undefined : callListener(listener, this, ev);
    };
    cache.set(listener, f);
  }
  return f;
}

function trampolineFor(listener: object): Handler {
  let t = trampolines.get(listener);
  if (t === undefined) {
    t = function (this: unknown, ev: Event): unknown {
      return asFirstPartyTask(callListener as AddFn, undefined, [listener, this, ev]);
    };
    trampolines.set(listener, t);
  }
  return t;
}

/**
 * A copy of an options dictionary, each member read once in the order the
 * native reads them (WebIDL: `capture`, then `once`, `passive`, `signal`),
 * for the native to read instead: a page's getters see exactly what they see
 * without the guard, and the guard's answer is the native's.
 */
function options(dict: object): object {
  const copy = objectCreate(null) as Record<string, unknown>;
  each(['capture', 'once', 'passive', 'signal'], (k) => {
    const v = (dict as Record<string, unknown>)[k];
    if (v !== undefined) copy[k] = v;
  });
  return copy;
}

/** The arguments with `listener` in place of the page's (type and options kept). */
const withListener = (args: unknown[], listener: unknown): unknown[] =>
  (args.length > 2 ? [args[0], listener, args[2]] : [args[0], listener]);

export const listeners: Feature = {
  name: 'listeners',
  init(win) {
    const proto = protoOf(win, 'EventTarget');
    // Whether page code has replaced addEventListener since (a monitoring SDK's wrapper, or worse).
    let ours: unknown;
    const replaced = (): boolean => getOwnPropertyDescriptor(proto, 'addEventListener')?.value !== ours;
    ours = wrapMethod<AddFn>(proto, 'addEventListener', (native, thisArg, args) => {
      const listener = args[1];
      if (args.length < 2 || (typeof listener !== 'function' && !isObject(listener))) {
        return apply(native, thisArg, args);
      }
      // Convert the type once, as the native would, so a type object whose
      // toString answers differently on each call cannot slip past the check.
      const type = `${args[0] as string}`;
      // ...and hand the native that same string (the argument list is our own copy).
      args[0] = type;
      const kind = WATCHED[type];
      if (kind === undefined) {
        const bubbles = FIELD_LENGTH[type];
        if (bubbles === undefined) return apply(native, thisArg, args);
        // A field's scroll does not bubble: only a capturing listener, or one
        // on a field whose length is hidden, can hear it. Every other scroll
        // listener (the common case: the window's) goes through without a stack.
        // selectionchange bubbles from the field: each of its listeners is judged.
        let capture: unknown = args[2];
        if (isRef(capture)) {
          args[2] = options(capture);
          capture = (args[2] as { capture?: unknown }).capture;
        }
        if (!bubbles && !capture && !lengthMayHide(thisArg)) return apply(native, thisArg, args);
        // Not a typing hook by itself: not tallied, and first parties keep theirs as given.
        const caller = currentCaller(replaced());
        if (caller.party === 'first') return apply(native, thisArg, args);
        return apply(native, thisArg, withListener(args, filterFor(listener as object, caller.origin, true)));
      }
      const wrapped = replaced();
      const caller = currentCaller(wrapped);
      const first = caller.party === 'first';
      const target = classifyTarget(thisArg, caller.origin);
      report(kind, `addEventListener:${type}`, caller, first || target === 'own', target);
      // args[0] is `type` by now.
      if (first) return apply(native, thisArg, wrapped ? withListener(args, trampolineFor(listener as object)) : args);
      return apply(native, thisArg, withListener(args, filterFor(listener as object, caller.origin, false)));
    }, true);
    wrapMethod<AddFn>(proto, 'removeEventListener', (native, thisArg, args) => {
      const result = apply(native, thisArg, args);
      const listener = args[1];
      if (typeof listener === 'function' || isObject(listener)) {
        const standIns = [filters.get(listener as object), trampolines.get(listener as object), scrollFilters.get(listener as object)];
        for (let i = 0; i < 3; i++) {
          const f = standIns[i];
          if (f === undefined) continue;
          apply(native, thisArg, withListener(args, f));
        }
      }
      return result;
    }, true);
  },
};
