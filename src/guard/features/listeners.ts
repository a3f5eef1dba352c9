// addEventListener / removeEventListener for keystroke and tap event types.
//
// First-party calls go straight to the native with the caller's own
// arguments. A third-party listener aimed at something it does not own is
// registered through a filter that drops every event while the site is
// protected: registration succeeds, removeEventListener, `once` and `signal`
// keep their native meaning, and switching the site to monitor later hands
// the listener its events again.

import type { Feature } from './registry';
import { watchedTypes } from '../../shared/events';
import { apply, SafeWeakMap } from '../natives';
import { wrapMethod } from '../wrap';
import { currentCaller } from '../attribution';
import { classifyTarget } from '../targets';
import { report } from '../report';
import { state } from '../state';

type Listener = EventListenerOrEventListenerObject;
type AddFn = (...args: unknown[]) => unknown;

const WATCHED = watchedTypes();
/** listener -> its filtering stand-in, one per listener so native de-duplication holds. */
const filters = new SafeWeakMap<object, (this: unknown, ev: Event) => unknown>();

function filterFor(listener: object): (this: unknown, ev: Event) => unknown {
  let f = filters.get(listener);
  if (f === undefined) {
    f = function (this: unknown, ev: Event): unknown {
      if (state.mode === 'protect') return undefined;
      if (typeof listener === 'function') return apply(listener as (e: Event) => unknown, this, [ev]);
      const handleEvent = (listener as { handleEvent?: unknown }).handleEvent;
      if (typeof handleEvent === 'function') return apply(handleEvent, listener, [ev]);
      return undefined;
    };
    filters.set(listener, f);
  }
  return f;
}

export const listeners: Feature = {
  name: 'listeners',
  init(win) {
    const proto = win.EventTarget.prototype;
    wrapMethod<AddFn>(proto, 'addEventListener', (native, thisArg, args) => {
      const listener = args[1];
      if (args.length < 2 || (typeof listener !== 'function' && (typeof listener !== 'object' || listener === null))) {
        return apply(native, thisArg, args);
      }
      // Convert the type once, as the native would, so a type object whose
      // toString answers differently on each call cannot slip past the check.
      const type = `${args[0] as string}`;
      const kind = WATCHED[type];
      if (kind === undefined) return apply(native, thisArg, args);
      const caller = currentCaller();
      if (caller.party === 'first') {
        report({ kind, api: `addEventListener:${type}`, origin: caller.origin, party: 'first', decision: 'allow', target: classifyTarget(thisArg, caller.origin) });
        return apply(native, thisArg, args);
      }
      const target = classifyTarget(thisArg, caller.origin);
      const allowed = target === 'own';
      report({ kind, api: `addEventListener:${type}`, origin: caller.origin, party: 'third', decision: allowed ? 'allow' : 'deny', target });
      if (allowed) return apply(native, thisArg, args);
      const rest = args.length > 2 ? [type, filterFor(listener as object), args[2]] : [type, filterFor(listener as object)];
      return apply(native, thisArg, rest);
    });
    wrapMethod<AddFn>(proto, 'removeEventListener', (native, thisArg, args) => {
      const result = apply(native, thisArg, args);
      const listener = args[1];
      if ((typeof listener === 'function' || (typeof listener === 'object' && listener !== null))) {
        const f = filters.get(listener as object);
        if (f !== undefined) {
          const rest = args.length > 2 ? [args[0], f, args[2]] : [args[0], f];
          apply(native, thisArg, rest);
        }
      }
      return result;
    });
  },
};
