// The one place the guard patches anything. Wrappers are Proxies over the
// native, so name, length, prototype-lessness and own properties are the
// native's own (the hottest getters, and in Firefox the listener methods, are
// plain functions given the native's shape instead, for speed).
// Function.prototype.toString is proxied once per realm so a wrapper prints
// exactly what its native prints, and errors that pass through a wrapper lose
// the guard's stack frames.

import {
  apply, construct, defineProperty, defineValue, documentRef, exec, getOwnPropertyDescriptor, getPrototypeOf, setPrototypeOf,
  nativeAddEventListener, nativeDispatchEvent, objectCreate, ProxyCtor, SafeWeakMap, windowRef,
  customEventDetail, CustomEventCtor, eventStopImmediate, call0, isRef, protoOf, failures, ErrorCtor,
} from './natives';
import { captureStackTrace, plainMethodWrappers } from './engine';

// `never[]` parameters accept any function type as a constraint.
type AnyFn = (...args: never[]) => unknown;
type Fn = (...a: unknown[]) => unknown;

/** wrapper -> the native it stands for, consulted by the toString proxy. */
const nativeOf = new SafeWeakMap<object, object>();
/** Failures while installing, so a missing API is counted, not swallowed. */
export const installFailures: string[] = [];
/** Records a failure to install `what` (an API name, or a feature's). */
export const installFailed = (what: PropertyKey): void => { installFailures[installFailures.length] = String(what); };

// ---- stacks -----------------------------------------------------------------

// Extension URLs, and Firefox's name for MAIN-world content script code.
const EXT_LINE = /(?:chrome|moz|safari-web)-extension:\/\/|@<anonymous code>:\d+:\d+/;

/** The stack text without lines that name an extension URL. */
function withoutExtensionLines(stack: string): string {
  let out = '';
  let line = '';
  for (let i = 0; i <= stack.length; i++) {
    const c = i < stack.length ? stack[i] as string : '\n';
    if (c !== '\n') { line += c; continue; }
    if (exec(EXT_LINE, line) === null && (line !== '' || i < stack.length)) out += line + (i < stack.length ? '\n' : '');
    line = '';
  }
  return out;
}

// The first frame line of a V8 stack.
const FIRST_FRAME = /\n +at [^\n]*/;

/**
 * Removes the guard's frames from an error thrown through a wrapper, so a
 * page calling a wrapped API wrongly (a wrong receiver, bad arguments) sees
 * the stack it would see without the extension: the page's frames and the
 * engine's own built-in frames, none of the guard's. `boundary` is the
 * wrapper function the engine called for the page.
 */
function scrub(e: unknown, boundary: unknown): void {
  if (!isRef(e)) return;
  // V8 gives each error an own `stack` accessor; SpiderMonkey (and DOM
  // errors) inherit one.
  let desc = getOwnPropertyDescriptor(e, 'stack');
  const own = desc !== undefined;
  for (let p = own ? null : getPrototypeOf(e); p !== null && desc === undefined; p = getPrototypeOf(p)) {
    desc = getOwnPropertyDescriptor(p, 'stack');
  }
  if (desc === undefined) return;
  let text: unknown;
  try {
    text = desc.get !== undefined ? call0(desc.get, e) : desc.value;
  } catch (err) {
    failures.scrub++;
    return;
  }
  if (typeof text !== 'string' || exec(EXT_LINE, text) === null) return;
  // Thrown by a native under the wrapper (its first frame is the guard's): in
  // V8 the guard's frames took places the page's frames had natively, under
  // Error.stackTraceLimit. Captured again from the wrapper's caller, the
  // stack holds the page's frames exactly as natively.
  const first = captureStackTrace === undefined ? null : exec(FIRST_FRAME, text);
  if (first !== null && exec(EXT_LINE, first[0]) !== null) {
    try {
      apply(captureStackTrace as AnyFn, ErrorCtor, [e, boundary]);
      return;
    } catch (err) {
      failures.scrub++;
    }
  }
  const clean = withoutExtensionLines(text);
  // An own accessor's setter (V8) keeps the property's shape. Otherwise the
  // cleaned text shadows the inherited accessor on this one error: the price
  // of not exposing the guard's frames.
  if (own && desc.set !== undefined) {
    try {
      apply(desc.set, e, [clean]);
      return;
    } catch (err) {
      failures.scrub++;
    }
  }
  if (!defineValue(e, 'stack', clean)) {
    failures.scrub++;
  }
}

// ---- wrappers ---------------------------------------------------------------

/** Makes `wrapper` stand for the native behind `original`. */
function standFor<W extends object>(wrapper: W, original: object): W {
  // A wrapper of a wrapper (two features on one API) stands for the same native.
  nativeOf.set(wrapper, nativeOf.get(original) ?? original);
  return wrapper;
}

/** A Proxy handler whose apply trap hands the call to `trap`, scrubbing what it throws. */
const applyHandler = <F extends AnyFn>(trap: (original: F, thisArg: unknown, args: unknown[]) => unknown): ProxyHandler<F> => {
  const handler = {
    // No prototype: a Proxy looks its traps up on the handler, so a `get` or
    // `has` the page put on Object.prototype would be called with the native.
    __proto__: null,
    apply(target, thisArg, args) {
      try {
        return trap(target, thisArg, args);
      } catch (e) {
        scrub(e, handler.apply);
        throw e;
      }
    },
  } as ProxyHandler<F>;
  return handler;
};

/**
 * Builds a wrapper that looks like `original`. `trap` receives the original,
 * `this` and the argument list, and decides what happens.
 */
export function makeWrapper<F extends AnyFn>(
  original: F,
  trap: (original: F, thisArg: unknown, args: unknown[]) => unknown,
): F {
  return standFor(new ProxyCtor(original, applyHandler(trap)), original);
}

/**
 * Makes a plain-function wrapper stand for `original`: the same
 * [[Prototype]] (a wrapper built for a child realm is born in this realm, and
 * must carry the child's Function.prototype as the native does) and the
 * native's text from toString.
 */
function standIn<F extends AnyFn>(fn: F, original: AnyFn): F {
  const proto = getPrototypeOf(original);
  if (getPrototypeOf(fn) !== proto) setPrototypeOf(fn, proto);
  return standFor(fn, original);
}

/**
 * A plain-function wrapper for the hottest methods: a call through a Proxy
 * trap costs far more in SpiderMonkey (measured: unwatched addEventListener
 * 1.32x in Firefox through the Proxy). A method-shorthand function already has
 * no `prototype`, no [[Construct]] and no own `caller`/`arguments`, as a native
 * method; its name, length and [[Prototype]] are set to the native's, and
 * toString is masked like any wrapper.
 */
function fastMethod<F extends AnyFn>(
  name: PropertyKey,
  original: F,
  trap: (original: F, thisArg: unknown, args: unknown[]) => unknown,
): F {
  const holder = {
    [name](...args: unknown[]): unknown {
      try {
        return trap(original, this, args);
      } catch (e) {
        scrub(e, fn);
        throw e;
      }
    },
  };
  const fn = (getOwnPropertyDescriptor(holder, name) as PropertyDescriptor).value as F;
  defineProperty(fn, 'length', { __proto__: null, value: original.length, writable: false, enumerable: false, configurable: true } as PropertyDescriptor);
  return standIn(fn, original);
}

/**
 * Replaces `holder[name]` with a wrapper, keeping the descriptor's shape
 * (data vs accessor, writable, enumerable, configurable). Does nothing when
 * the property is missing, so one guard build runs in every engine. `fast`
 * picks the plain-function wrapper (see fastMethod) for the hottest methods.
 */
export function wrapMethod<F extends AnyFn>(
  holder: object,
  name: PropertyKey,
  trap: (original: F, thisArg: unknown, args: unknown[]) => unknown,
  fast = false,
): F | undefined {
  const desc = getOwnPropertyDescriptor(holder, name);
  if (desc === undefined || typeof desc.value !== 'function') {
    installFailed(name);
    return undefined;
  }
  const wrapper = fast && plainMethodWrappers ? fastMethod(name, desc.value as F, trap) : makeWrapper(desc.value as F, trap);
  desc.value = wrapper;
  if (!defineProperty(holder, name, desc)) installFailed(name);
  return wrapper;
}

/**
 * Replaces a constructor (`holder[name]`, e.g. window.FormData) with a Proxy
 * whose `new` goes through `trap`; calls without `new` and every property
 * (prototype, name, length) stay the native's. `prototype.constructor` is
 * pointed at the wrapper so `FormData.prototype.constructor === FormData`
 * still holds.
 */
export function wrapConstructor<F extends AnyFn>(
  holder: object,
  name: PropertyKey,
  trap: (original: F, args: unknown[], newTarget: unknown) => object,
): boolean {
  const desc = getOwnPropertyDescriptor(holder, name);
  if (desc === undefined || typeof desc.value !== 'function') {
    installFailed(name);
    return false;
  }
  const original = desc.value as F;
  const handler = {
    __proto__: null, // see applyHandler
    construct(target, args, newTarget) {
      try {
        // `new Wrapper()` must build a native instance, not a Proxy-derived one.
        return trap(target, args, newTarget === wrapper ? target : newTarget);
      } catch (e) {
        scrub(e, handler.construct);
        throw e;
      }
    },
    // Called without `new`, the native answers as it would (and throws alike).
    // Both traps are in the literal: assigning one later could run a setter
    // the page put on Object.prototype.
    apply: applyHandler<F>(apply as (original: F, thisArg: unknown, args: unknown[]) => unknown).apply,
  } as ProxyHandler<F>;
  const wrapper = standFor(new ProxyCtor(original, handler), original);
  desc.value = wrapper;
  if (!defineProperty(holder, name, desc)) {
    installFailed(name);
    return false;
  }
  const proto = (original as unknown as { prototype?: object }).prototype;
  const ctorDesc = proto === undefined ? undefined : getOwnPropertyDescriptor(proto, 'constructor');
  if (proto !== undefined && ctorDesc !== undefined && ctorDesc.value === original) {
    ctorDesc.value = wrapper;
    defineProperty(proto, 'constructor', ctorDesc);
  }
  return true;
}

/**
 * Wraps `win`'s Node.cloneNode and Document.importNode so that `onCopy`
 * sees each copy after the native made it: the source node, the copy, and
 * whether the copy is deep.
 */
export function wrapCopies(win: object, onCopy: (source: unknown, copy: unknown, deep: boolean) => void): void {
  wrapMethod<Fn>(protoOf(win, 'Node'), 'cloneNode', (native, node, args) => {
    const copy = apply(native, node, args);
    onCopy(node, copy, args.length > 0 && !!args[0]);
    return copy;
  });
  wrapMethod<Fn>(protoOf(win, 'Document'), 'importNode', (native, doc, args) => {
    const copy = apply(native, doc, args);
    onCopy(args[0], copy, args.length > 1 && !!args[1]);
    return copy;
  });
}

/** Builds a native instance for a constructor trap. */
export const constructNative = construct;

/**
 * A getter wrapper as a plain method-syntax getter rather than a Proxy:
 * getters are the hottest paths (`value` in a loop) and V8 inlines a plain
 * function where a Proxy trap costs ~10x. A `get [name]() {}` function already
 * has the native getter's name ("get value"), length 0, no prototype and no
 * [[Construct]]; toString is masked like any wrapper.
 */
function fastGetter(name: PropertyKey, original: AnyFn, trap: (original: AnyFn, thisArg: unknown) => unknown): AnyFn {
  const holder = {
    get [name](): unknown {
      try {
        return trap(original, this);
      } catch (e) {
        scrub(e, getter);
        throw e;
      }
    },
  };
  const getter = (getOwnPropertyDescriptor(holder, name) as PropertyDescriptor).get as AnyFn;
  return standIn(getter, original);
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
    installFailed(name);
    return false;
  }
  // Only the traps given: a `get` the page put on Object.prototype while a
  // frame is being guarded must not become one (it would be handed the native).
  setPrototypeOf(traps, null);
  const { get, set } = traps;
  if (get && desc.get) desc.get = fastGetter(name, desc.get as AnyFn, get);
  if (set && desc.set) desc.set = makeWrapper(desc.set as AnyFn, (o, t, a) => set(o, t, a[0])) as (v: unknown) => void;
  return defineProperty(holder, name, desc);
}

// ---- toString, across realms --------------------------------------------------

/**
 * The native text for `fn` when it is one of this guard's wrappers, else
 * undefined. Handed to the guards of other same-origin frames, so an
 * iframe's toString applied to this frame's wrapper prints the native text
 * too. It never hands out a native function, only the text toString would
 * print anyway.
 */
type Describe = (fn: unknown, depth: number) => string | undefined;
// Null-prototype: an index setter on Array.prototype must not intercept a peer.
const peers: Record<number, Describe> = objectCreate(null);
let peerCount = 0;
let nativeToString: Fn | undefined;

const describe: Describe = (fn, depth) => {
  if (isRef(fn)) {
    const original = nativeOf.get(fn);
    if (original !== undefined && nativeToString !== undefined) return call0(nativeToString, original) as string;
  }
  if (depth <= 0) return undefined;
  for (let i = 0; i < peerCount; i++) {
    let text: unknown;
    try {
      text = (peers[i] as Describe)(fn, depth - 1);
    } catch (e) {
      failures.link++;
    }
    // A forged peer is page code: accept nothing but text from it.
    if (typeof text === 'string') return text;
  }
  return undefined;
};

/** Event a guard dispatches on its parent's window to link with that frame's guard. */
const LINK_EVENT = 'untapped-realm-link';
const masked = new SafeWeakMap<object, true>();

function addPeer(d: unknown): void {
  if (typeof d === 'function') peers[peerCount++] = d as Describe;
}

/**
 * Installs the toString proxy on one realm's Function.prototype (idempotent),
 * then links this guard with its parent frame's guard. The link is a
 * synchronous CustomEvent on the parent's window whose `detail` is a function:
 * the parent's guard, listening since its own document_start, calls it with
 * its `describe` and gets ours back. A page that forges the event learns only
 * texts toString already prints.
 */
export function maskToString(fnProto: { toString: AnyFn }): void {
  if (masked.has(fnProto)) return;
  masked.set(fnProto, true);
  const first = nativeToString === undefined;
  const wrapped = wrapMethod<AnyFn>(fnProto, 'toString', (original, thisArg, args) => {
    if (isRef(thisArg)) {
      const target = nativeOf.get(thisArg);
      if (target !== undefined) return apply(original as Fn, target, args);
      if (peerCount > 0) {
        const text = describe(thisArg, 2);
        if (text !== undefined) return text;
      }
    }
    return apply(original as Fn, thisArg, args);
  });
  if (!first || wrapped === undefined) return;
  nativeToString = nativeOf.get(wrapped) as Fn;
  apply(nativeAddEventListener, windowRef, [LINK_EVENT, (ev: Event) => {
    call0(eventStopImmediate, ev);
    const link = call0(customEventDetail, ev);
    if (typeof link !== 'function') return;
    try {
      addPeer(apply(link as Fn, undefined, [describe]));
    } catch (e) {
      // A page forging the link with a function that throws.
      failures.link++;
    }
  }, true]);
  linkToParent();
}

function linkToParent(): void {
  let parentWin: Window | null = null;
  try {
    const p = windowRef.parent;
    // Reading the document throws for a cross-origin parent, whose functions
    // this realm could never call toString on anyway.
    if (p !== windowRef && p.document !== documentRef) parentWin = p;
  } catch (e) {
    failures.link++;
    return;
  }
  if (parentWin === null) return;
  const link = (theirs: unknown): Describe => {
    addPeer(theirs);
    return describe;
  };
  try {
    apply(nativeDispatchEvent, parentWin, [construct(CustomEventCtor, [LINK_EVENT, { detail: link }])]);
  } catch (e) {
    failures.link++;
  }
}
