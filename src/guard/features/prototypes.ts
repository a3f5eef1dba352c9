// Hooks on the properties that carry typed values: Object.defineProperty,
// Object.defineProperties, Reflect.defineProperty and __defineGetter__/
// __defineSetter__ aimed at the value properties of input/textarea/select
// (their prototypes or a page field itself) or at keystroke data on event
// prototypes.
//
// First-party code defines natively (zone.js-style patchers and polyfills
// keep working, and their getters still see typed values because they call
// through to the guard's getters from first-party code). A third-party
// definition is tallied as kind `prototype` and, while the site is
// protected, silently not installed: the call answers as if it had worked,
// and the hook is simply never called, so it observes nothing and the page's
// own reads keep their real values.

import type { Feature } from './registry';
import { apply, getOwnPropertyDescriptor, getPrototypeOf, objectCreate, ownKeys, SafeWeakMap, isObject, isRef, protoIfAny } from '../natives';
import { wrapMethod } from '../wrap';
import { currentCaller } from '../attribution';
import { classifyTarget } from '../targets';
import { report } from '../report';
import { state } from '../state';
import { VALIDITY_FLAGS } from './values';

type Fn = (...a: unknown[]) => unknown;

/** prototype -> guarded property names on it. */
const guarded = new SafeWeakMap<object, Record<string, true>>();

/** Guards `names` on `win[ctor].prototype`, when the realm has that interface. */
function guard(win: object, ctor: string, names: string[]): void {
  const proto = protoIfAny(win, ctor);
  if (proto === undefined) return;
  const set: Record<string, true> = objectCreate(null);
  for (let i = 0; i < names.length; i++) set[names[i] as string] = true;
  guarded.set(proto, set);
}

/** Whether `key` on `obj` (a guarded prototype or anything inheriting from one) is guarded. */
function isGuarded(obj: unknown, key: unknown): boolean {
  if (typeof key !== 'string' || !isRef(obj)) return false;
  for (let p: object | null = obj as object, depth = 0; p !== null && depth < 32; p = getPrototypeOf(p), depth++) {
    const names = guarded.get(p);
    if (names !== undefined && names[key] === true) return true;
  }
  return false;
}

/** ToPropertyKey, once, so a key object cannot answer differently on a second look. */
function toKey(k: unknown): unknown {
  return typeof k === 'symbol' ? k : `${k as string}`;
}

/**
 * Decides one definition. True: install it natively. False: a third party
 * aimed at a guarded property while protected; skip it.
 */
function allowDefine(obj: unknown, key: unknown, api: string): boolean {
  if (!isGuarded(obj, key)) return true;
  const caller = currentCaller();
  // A prototype is everybody's (global); classifyTarget would call Node
  // getters on it. An instance is a field, an event, or the caller's own.
  const cls = isPrototypeTarget(obj) ? 'global' : classifyTarget(obj, caller.origin);
  const allowed = caller.party === 'first' || cls === 'own';
  report('prototype', `${api}:${key as string}`, caller, allowed, cls);
  return allowed || state.mode !== 'protect';
}

function isPrototypeTarget(obj: unknown): boolean {
  return isObject(obj) && guarded.get(obj) !== undefined;
}

export const prototypes: Feature = {
  name: 'prototypes',
  init(win) {
    const VALUE = ['value', 'defaultValue', 'valueAsNumber', 'valueAsDate', 'selectionStart', 'selectionEnd', 'textLength', 'validity', 'checkValidity', 'reportValidity', 'validationMessage', 'selectedIndex'];
    guard(win, 'HTMLInputElement', VALUE);
    guard(win, 'HTMLTextAreaElement', VALUE);
    guard(win, 'HTMLSelectElement', VALUE);
    guard(win, 'KeyboardEvent', ['key', 'code', 'keyCode', 'charCode', 'which']);
    guard(win, 'UIEvent', ['which']);
    guard(win, 'InputEvent', ['data', 'dataTransfer']);
    guard(win, 'CompositionEvent', ['data']);
    guard(win, 'TextEvent', ['data']);
    guard(win, 'ClipboardEvent', ['clipboardData']);
    guard(win, 'DataTransfer', ['getData']);
    guard(win, 'ValidityState', VALIDITY_FLAGS);

    const O = win.Object;
    wrapMethod<Fn>(O, 'defineProperty', (original, self, args) => {
      const key = toKey(args[1]);
      if (!allowDefine(args[0], key, 'defineProperty')) return args[0];
      return apply(original, self, [args[0], key, args[2]]);
    });
    wrapMethod<Fn>(win.Reflect, 'defineProperty', (original, self, args) => {
      const key = toKey(args[1]);
      if (!allowDefine(args[0], key, 'Reflect.defineProperty')) return true;
      return apply(original, self, [args[0], key, args[2]]);
    });
    wrapMethod<Fn>(O, 'defineProperties', (original, self, args) => {
      const obj = args[0];
      const props = args[1];
      if (!isRef(obj) || !isRef(props)) {
        return apply(original, self, args);
      }
      const keys = ownKeys(props);
      let skip = false;
      for (let i = 0; i < keys.length; i++) if (isGuarded(obj, keys[i])) skip = true;
      if (!skip) return apply(original, self, args);
      // Define the others one by one, leaving out the refused ones.
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as PropertyKey;
        const d = getOwnPropertyDescriptor(props, k);
        if (d === undefined || d.enumerable !== true) continue;
        if (!allowDefine(obj, k, 'defineProperties')) continue;
        apply(original, self, [obj, { [k]: (props as Record<PropertyKey, unknown>)[k] }]);
      }
      return obj;
    });
    const OP = O.prototype as unknown as Record<string, unknown>;
    for (let i = 0; i < 2; i++) {
      const name = i === 0 ? '__defineGetter__' : '__defineSetter__';
      if (typeof OP[name] !== 'function') continue;
      wrapMethod<Fn>(OP, name, (original, self, args) => {
        const key = toKey(args[0]);
        if (!allowDefine(self, key, name)) return undefined;
        return apply(original, self, [key, args[1]]);
      });
    }
  },
};
