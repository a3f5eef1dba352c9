// `on*` event handler properties (onkeydown = fn, onclick = fn...) for the
// watched event types, on Window, Document, HTMLElement, SVGElement and
// MathMLElement, wherever the engine defines them (own accessors on window,
// prototype accessors elsewhere). Every realm the guard runs in wraps its own
// setters, so a setter taken from an iframe is guarded by that iframe's guard.
//
// A third party's handler is stored through a filter that drops events not
// aimed at what it owns while the site is protected; reading the property
// gives back exactly what was set.
// Inline handler attributes end up here too (features/inline-handlers.ts).

import type { Feature } from './registry';
import type { HookKind } from '../../shared/types';
import { fieldLengthTypes, watchedTypes } from '../../shared/events';
import { apply, getOwnPropertyDescriptor, isInstance, objectCreate, SafeWeakMap, isObject, call0, each, failures, newList,
} from '../natives';
import { makeWrapper, wrapAccessor } from '../wrap';
import { currentCaller, type Caller } from '../attribution';
import { classifyTarget } from '../targets';
import { withheld } from '../typed';
import { report } from '../report';

type Fn = (...a: unknown[]) => unknown;

const WATCHED = watchedTypes();
const FIELD_LENGTH = fieldLengthTypes();
/** `onkeydown` -> `keydown`, for every watched type and the field-length types. */
export const HANDLER_PROPS: Record<string, string> = objectCreate(null);
for (const type in WATCHED) HANDLER_PROPS[`on${type}`] = type;
for (const type in FIELD_LENGTH) HANDLER_PROPS[`on${type}`] = type;

/** filter -> the handler it stands for, so a read gives back what was set. */
const originals = new SafeWeakMap<object, object>();
/** handler -> its filter, one per handler so identity stays stable (scroll handlers apart: another rule). */
const filters = new SafeWeakMap<object, object>();
const scrollFilters = new SafeWeakMap<object, object>();

function filterFor(handler: Fn, origin: string, type: string): Fn {
  const scroll = FIELD_LENGTH[type] !== undefined;
  const cache = scroll ? scrollFilters : filters;
  let f = cache.get(handler) as Fn | undefined;
  if (f === undefined) {
    // A Proxy of the handler: same name, length and text, even read through
    // another realm's getter that does not know this filter. Decided per
    // event, as for listeners (typed.ts `withheld`).
    f = makeWrapper(handler, (orig, thisArg, args) => (withheld(scroll, args[0], thisArg, origin) ? undefined : apply(orig, thisArg, args)));
    cache.set(handler, f);
    originals.set(f, handler);
  }
  return f;
}

/** The native accessors of one handler property on one holder (a prototype, or a window itself). */
interface Native { holder: object; own: boolean; get: Fn; set: Fn }
const natives: Record<string, Native[]> = objectCreate(null);

/**
 * The native accessors that apply to `target`. A node from another realm
 * fails the prototype test but passes the accessor's own brand check, so the
 * accessors are also tried directly.
 */
function nativeFor(target: object, prop: string): Native | undefined {
  const list = natives[prop];
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) {
    const n = list[i] as Native;
    if (n.own ? n.holder === target : isInstance(target, n.holder)) return n;
  }
  for (let i = 0; i < list.length; i++) {
    const n = list[i] as Native;
    if (n.own) continue;
    try {
      call0(n.get, target);
      return n;
    } catch (e) {
      failures.brand++; // not this holder's kind of object; try the next
    }
  }
  return undefined;
}

/** Reports, under `api`, a handler `type` that `caller` puts on `target`. */
export function reportHandler(target: object, type: string, caller: Caller, api: string): void {
  if (WATCHED[type] === undefined) return; // a scroll handler is not a typing hook by itself
  const cls = classifyTarget(target, caller.origin);
  report(WATCHED[type] as HookKind, api, caller, caller.party === 'first' || cls === 'own', cls);
}

/**
 * Puts the filter of `origin` around the handler currently compiled for
 * `prop` on `target` (an inline attribute a third party added). The
 * attribute text is left as it is. Returns false when the engine has no
 * such property.
 */
export function filterCurrentHandler(target: object, prop: string, origin: string): boolean {
  const n = nativeFor(target, prop);
  if (n === undefined) return false;
  const h = call0(n.get, target);
  if (typeof h !== 'function' || originals.has(h)) return true;
  apply(n.set, target, [filterFor(h as Fn, origin, HANDLER_PROPS[prop] as string)]);
  return true;
}

export const handlerProps: Feature = {
  name: 'handler-props',
  init(win) {
    const w = win as unknown as Record<string, { prototype: object } | undefined>;
    const holders = newList<[object, boolean]>();
    holders[0] = [win, true];
    each(['Window', 'Document', 'Element', 'HTMLElement', 'SVGElement', 'MathMLElement'], (name) => {
      const ctor = w[name];
      if (ctor !== undefined && typeof ctor.prototype === 'object') holders[holders.length] = [ctor.prototype, false];
    });
    for (let h = 0; h < holders.length; h++) {
      const pair = holders[h] as [object, boolean];
      const holder = pair[0];
      const own = pair[1];
      for (const prop in HANDLER_PROPS) {
        const desc = getOwnPropertyDescriptor(holder, prop);
        if (desc === undefined || desc.get === undefined || desc.set === undefined) continue;
        const type = HANDLER_PROPS[prop] as string;
        const list = (natives[prop] ??= newList());
        list[list.length] = { holder, own, get: desc.get as Fn, set: desc.set as Fn };
        wrapAccessor(holder, prop, {
          get(native, thisArg) {
            const v = call0(native, thisArg);
            return (typeof v === 'function' && originals.get(v)) || v;
          },
          set(native, thisArg, value) {
            if (typeof value !== 'function' || !isObject(thisArg)) return apply(native, thisArg, [value]);
            const caller = currentCaller();
            reportHandler(thisArg, type, caller, prop);
            return apply(native, thisArg, [caller.party === 'first' ? value : filterFor(value as Fn, caller.origin, type)]);
          },
        });
      }
    }
  },
};
