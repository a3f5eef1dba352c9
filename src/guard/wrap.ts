// The one place the guard patches anything. Wrappers are Proxies over the
// native, so name, length, prototype-lessness and own properties are the
// native's own; Function.prototype.toString is proxied once so a wrapper
// prints exactly what its native prints.

import {
  apply, defineProperty, getOwnPropertyDescriptor, ProxyCtor, SafeWeakMap,
} from './natives';

// `never[]` parameters accept any function type as a constraint.
type AnyFn = (...args: never[]) => unknown;

/** wrapper -> the native it stands for, consulted by the toString proxy. */
const nativeOf = new SafeWeakMap<object, object>();
/** Failures while installing, so a missing API is counted, not swallowed. */
export const installFailures: string[] = [];

/**
 * Builds a wrapper that looks like `original`. `trap` receives the original,
 * `this` and the argument list, and decides what happens.
 */
export function makeWrapper<F extends AnyFn>(
  original: F,
  trap: (original: F, thisArg: unknown, args: unknown[]) => unknown,
): F {
  const wrapper = new ProxyCtor(original, {
    apply(target, thisArg, args) {
      return trap(target, thisArg, args);
    },
  });
  nativeOf.set(wrapper, original);
  return wrapper;
}

/**
 * Replaces `holder[name]` with a wrapper, keeping the descriptor's shape
 * (data vs accessor, writable, enumerable, configurable). Does nothing when
 * the property is missing, so one guard build runs in every engine.
 */
export function wrapMethod<F extends AnyFn>(
  holder: object,
  name: PropertyKey,
  trap: (original: F, thisArg: unknown, args: unknown[]) => unknown,
): F | undefined {
  const desc = getOwnPropertyDescriptor(holder, name);
  if (desc === undefined || typeof desc.value !== 'function') {
    installFailures[installFailures.length] = String(name);
    return undefined;
  }
  const wrapper = makeWrapper(desc.value as F, trap);
  desc.value = wrapper;
  if (!defineProperty(holder, name, desc)) installFailures[installFailures.length] = String(name);
  return wrapper;
}

/** Wraps the getter and/or setter of an accessor property, keeping its shape. */
export function wrapAccessor(
  holder: object,
  name: PropertyKey,
  traps: {
    get?: (original: AnyFn, thisArg: unknown) => unknown;
    set?: (original: AnyFn, thisArg: unknown, value: unknown) => unknown;
  },
): boolean {
  const desc = getOwnPropertyDescriptor(holder, name);
  if (desc === undefined || (desc.get === undefined && desc.set === undefined)) {
    installFailures[installFailures.length] = String(name);
    return false;
  }
  const { get, set } = traps;
  if (get && desc.get) desc.get = makeWrapper(desc.get as AnyFn, (o, t) => get(o, t));
  if (set && desc.set) desc.set = makeWrapper(desc.set as AnyFn, (o, t, a) => set(o, t, a[0])) as (v: unknown) => void;
  return defineProperty(holder, name, desc);
}

/** Installs the toString proxy. Called once, before any other wrapping. */
export function maskToString(fnProto: { toString: AnyFn }): void {
  wrapMethod<AnyFn>(fnProto, 'toString', (original, thisArg, args) => {
    const target = (typeof thisArg === 'function' || typeof thisArg === 'object') && thisArg !== null
      ? nativeOf.get(thisArg) ?? thisArg
      : thisArg;
    return apply(original as (...a: unknown[]) => unknown, target, args);
  });
}
