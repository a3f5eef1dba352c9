// Every built-in the guard calls, captured when this module is evaluated: at
// document_start, before any page script exists. After this point the guard
// never looks a method up on a prototype the page can reach; it calls these
// saved references through the saved Reflect.apply.

const R = Reflect;

/**
 * What the guard counted instead of swallowing, kept for diagnostics: one
 * counter per kind, in one object (each used to be its own `{ count }`).
 */
export const failures = {
  /** Stack captures that threw (a detached realm), answered as third-party. */
  capture: 0,
  /** Captures whose stack was cut short by a page-frozen Error.stackTraceLimit. */
  truncated: 0,
  /** Errors whose stack could not be cleaned. */
  scrub: 0,
  /** toString link attempts that failed (cross-origin parent and the like). */
  link: 0,
  /** Reports dropped because they could not be posted. */
  report: 0,
  /** Policy values the guard could not use (bad selectors). */
  policy: 0,
  /** Handler accessors tried on an object of the wrong kind while looking for the right one. */
  brand: 0,
  /** Third-party markup that could not be tagged before parsing (tagged after the call instead). */
  pretag: 0,
};
export const apply = R.apply;
export const construct = R.construct;
export const defineProperty = R.defineProperty;
const reflectDescriptor = R.getOwnPropertyDescriptor;
const reflectSetPrototypeOf = R.setPrototypeOf;
/**
 * Reflect.getOwnPropertyDescriptor with the descriptor's prototype cut off.
 * The guard reads descriptors' fields and hands descriptors back to
 * defineProperty, which looks up `get`, `set` and `value` through the
 * prototype chain: a `get` a page put on Object.prototype would make every
 * data descriptor invalid (refusing the guard's wrappers in a new frame) or
 * be called as a getter.
 */
export const getOwnPropertyDescriptor = (o: object, k: PropertyKey): PropertyDescriptor | undefined => {
  const d = reflectDescriptor(o, k);
  if (d !== undefined) reflectSetPrototypeOf(d, null);
  return d;
};
/** A native getter, saved now. */
export const getterOf = (o: object, k: string): ((...a: unknown[]) => unknown) | undefined => getOwnPropertyDescriptor(o, k)?.get;
type Getter = (...a: unknown[]) => unknown;
/**
 * The getter of `C.prototype[k]`, saved now; spelled once, as the guard saves
 * dozens. Only for getters both engines have always had (Chromium 120+ and
 * Firefox 140+ are the floors), so callers need not check for undefined.
 */
export const protoGetter = (c: { prototype: object }, k: string): Getter => getterOf(c.prototype, k) as Getter;
/**
 * Defines a writable, configurable data property (enumerable only when
 * asked), the one descriptor shape the guard defines in several places.
 * Through one descriptor made once without a prototype (a page's
 * Object.prototype.get would void a literal): V8 builds a null-prototype
 * literal as a slow dictionary each time, which cost a quarter of a
 * first-party addEventListener call when every stack frame took one.
 */
const VALUE = Object.create(null) as PropertyDescriptor;
VALUE.writable = true;
VALUE.configurable = true;
export const defineValue = (o: object, k: PropertyKey, value: unknown, enumerable = false): boolean => {
  VALUE.value = value;
  VALUE.enumerable = enumerable;
  // The descriptor is read before any trap of `o` runs, so reuse is safe.
  const done = defineProperty(o, k, VALUE);
  VALUE.value = undefined;
  return done;
};
/**
 * `list` without the items `drop` picks (each asked once, in order), or
 * `list` itself when it picks none. The copy is a page array filled with
 * defineProperty, so an index setter on Array.prototype sees nothing.
 */
export function without<T>(list: T[], drop: (item: T) => boolean): T[] {
  let out: T[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as T;
    const gone = drop(item);
    if (gone && out === null) {
      out = [];
      for (let j = 0; j < i; j++) defineValue(out, j, list[j], true);
    }
    if (!gone && out !== null) defineValue(out, out.length, item, true);
  }
  return out ?? list;
}
const NO_ARGS: unknown[] = [];
/** `apply(f, self, [])`, spelled once (saved getters are called this way ~80 times). */
export const call0 = (f: unknown, self: unknown): unknown => apply(f as (...a: unknown[]) => unknown, self, NO_ARGS);
/**
 * `win[name].prototype` of a realm's interface, spelled once (features read
 * dozens). Throws like the long form when the realm lacks the interface, so
 * a feature's init fails and is counted.
 */
export const protoOf = (win: object, name: string): object => (win as Record<string, { prototype: object }>)[name]!.prototype;
/** `win[name]?.prototype`: for an interface the realm may lack (undefined then). */
export const protoIfAny = (win: object, name: string): object | undefined =>
  (win as Record<string, { prototype: object } | undefined>)[name]?.prototype;
/** Whether `v` is an object (not null; functions excluded), spelled once. */
export const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;
/**
 * Calls `f` on each element of `a` by index. Code that also runs when a new
 * frame is guarded (after page scripts ran) must not use for-of, spread or
 * array destructuring: they go through Array.prototype[Symbol.iterator] and
 * the array iterator's `next`, which a page can replace.
 */
export const each = <T>(a: readonly T[], f: (v: T) => void): void => {
  for (let i = 0; i < a.length; i++) f(a[i] as T);
};
/** Whether `v` can be a WeakMap key or have a prototype: an object or a function. */
export const isRef = (v: unknown): v is object => (typeof v === 'object' || typeof v === 'function') && v !== null;
export const getPrototypeOf = R.getPrototypeOf;
export const setPrototypeOf = reflectSetPrototypeOf;
/**
 * A fresh array with no prototype, for every list the guard fills by index.
 * Writing a new index into an ordinary array looks for a setter along its
 * prototype chain: a page's setter on Array.prototype['1'] would receive the
 * entry and could keep it out of the list (a stack URL, a field to guard).
 */
export const newList = <T>(): T[] => {
  const a: T[] = [];
  reflectSetPrototypeOf(a, null);
  return a;
};
export const ProxyCtor = Proxy;
export const ErrorCtor = Error;
/**
 * Error.prototype's `stack` getter: SpiderMonkey has one (which the page could
 * replace later); V8 gives each error its own `stack` instead, so undefined.
 */
export const errorProtoStackGetter = getterOf(ErrorCtor.prototype, 'stack');
export const objectCreate = Object.create;

const WM = WeakMap.prototype;
// Also bound for hot paths (typed.ts): a bound call allocates no argument array.
export const weakMapGet = WM.get;
export const weakMapSet = WM.set;
const wmHas = WM.has;
const wmDelete = WM.delete;
const reExec = RegExp.prototype.exec;

// Saved like the rest: a map made later through the page's `WeakMap` would
// be the page's object (a subclass that keeps every instance it makes).
const WeakMapCtor = WeakMap;
/** WeakMap whose operations cannot be intercepted by page code. */
export class SafeWeakMap<K extends object, V> {
  private readonly m = new WeakMapCtor<K, V>();
  get(k: K): V | undefined { return apply(weakMapGet, this.m, [k]) as V | undefined; }
  set(k: K, v: V): void { apply(weakMapSet, this.m, [k, v]); }
  has(k: K): boolean { return apply(wmHas, this.m, [k]) as boolean; }
  delete(k: K): void { apply(wmDelete, this.m, [k]); }
}

export const exec = (re: RegExp, s: string): RegExpExecArray | null =>
  apply(reExec, re, [s]) as RegExpExecArray | null;

// DOM natives.
const ET = EventTarget.prototype;
export const nativeAddEventListener = ET.addEventListener;
export const nativeRemoveEventListener = ET.removeEventListener;
export const nativeDispatchEvent = ET.dispatchEvent;

// Prototypes several natives are read from, spelled once.
const nodeProto = Node.prototype;
const elementProto = Element.prototype;
const documentProto = Document.prototype;
const eventProto = Event.prototype;
export const parentNodeGetter = protoGetter(Node, 'parentNode');
export const nodeNameGetter = protoGetter(Node, 'nodeName');
export const nodeTypeGetter = protoGetter(Node, 'nodeType');
export const getRootNode = nodeProto.getRootNode;
export const shadowHostGetter = protoGetter(ShadowRoot, 'host');
export const shadowModeGetter = protoGetter(ShadowRoot, 'mode');
export const toLowerCase = String.prototype.toLowerCase;
export const elementGetAttribute = elementProto.getAttribute;
export const elementHasAttribute = elementProto.hasAttribute;
export const elementSetAttribute = elementProto.setAttribute;
export const elementRemoveAttribute = elementProto.removeAttribute;
export const stringSlice = String.prototype.slice;
/** Saved: the page may replace Math.random. Draws names the page cannot guess (inline-handlers' document.write). */
const mathRandom = Math.random;
export const nonce = (): string => `${((apply(mathRandom, undefined, []) as number) * 1e9) >>> 0}`;
export const elementAttributeNames = elementProto.getAttributeNames;
export const elementMatches = elementProto.matches;
/** A detached element made before page code runs, for selector parsing checks. */
export const scratchElement = document.createElementNS('http://www.w3.org/1999/xhtml', 'div');
export const contentEditableGetter = protoGetter(HTMLElement, 'isContentEditable');

const portProto = MessagePort.prototype;
export const portPostMessage = portProto.postMessage;
export const portStart = portProto.start;
export const messageEventData = protoGetter(MessageEvent, 'data');
export const messageEventPorts = protoGetter(MessageEvent, 'ports');
export const eventStopImmediate = eventProto.stopImmediatePropagation;

export const setTimeoutNative = setTimeout;
export const dateNow = Date.now;
export const windowRef = window;
export const documentRef = document;
export const locationOrigin = location.origin;
// Location's attributes are [LegacyUnforgeable] own properties, so reading
// them later is safe.
export const locationRef = location;
const HOST_OF_ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/(\[[^\]]*\]|[^/:]*)/i;
/** The host of an origin ('' when it has none, as "null" has not). */
export const hostOfOrigin = (origin: string): string => exec(HOST_OF_ORIGIN, origin)?.[1] ?? '';
// about:blank and srcdoc documents have no hostname of their own but inherit
// their creator's origin, so the host is read from the origin.
export const locationHost = exec(HOST_OF_ORIGIN, locationOrigin)?.[1] ?? locationRef.hostname;
export const locationHref = locationRef.href;

/** `instanceof` without consulting a page-replaceable Symbol.hasInstance. */
export function isInstance(v: unknown, proto: object): boolean {
  if (!isRef(v)) return false;
  for (let p = getPrototypeOf(v as object); p !== null; p = getPrototypeOf(p)) if (p === proto) return true;
  return false;
}

// ---- Used by the typed-value, event-data, prototype and stealth features ----
export const ownKeys = R.ownKeys;
export const CustomEventCtor = CustomEvent;
export const attrLocalNameGetter = protoGetter(Attr, 'localName');
export const recordTargetGetter = protoGetter(MutationRecord, 'target');
export const recordAttributeGetter = protoGetter(MutationRecord, 'attributeName');
export const customEventDetail = protoGetter(CustomEvent, 'detail');
export const eventTargetGetter = protoGetter(Event, 'target');
export const eventComposedPath = eventProto.composedPath;
export const activeElementGetter = protoGetter(Document, 'activeElement');
export const elementQueryAll = elementProto.querySelectorAll;
export const fragmentQueryAll = DocumentFragment.prototype.querySelectorAll;
export const documentQueryAll = documentProto.querySelectorAll;
export const nodeListLength = protoGetter(NodeList, 'length');
export const nodeListItem = NodeList.prototype.item;
export const formElementsGetter = protoGetter(HTMLFormElement, 'elements');
export const collectionLength = protoGetter(HTMLCollection, 'length');
export const collectionItem = HTMLCollection.prototype.item;
export const formDataAppend = FormData.prototype.append;
// The browser's own entry list and submitter, before values.ts wraps `formData` for reads.
export const formDataEventData = getterOf(FormDataEvent.prototype, 'formData');
export const submitEventSubmitter = getterOf(SubmitEvent.prototype, 'submitter');
export const formDataDelete = FormData.prototype.delete;
export const FormDataCtor = FormData;
export const formDataForEach = (FormData.prototype as unknown as { forEach: (...a: unknown[]) => unknown }).forEach;
export const inputValueGetter = protoGetter(HTMLInputElement, 'value');
export const textareaValueGetter = protoGetter(HTMLTextAreaElement, 'value');
export const selectValueGetter = protoGetter(HTMLSelectElement, 'value');
export const inputDefaultValueGetter = protoGetter(HTMLInputElement, 'defaultValue');
export const selectIndexGetter = protoGetter(HTMLSelectElement, 'selectedIndex');
export const selectIndexSetter = getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'selectedIndex')?.set;
export const nodeClone = nodeProto.cloneNode;
export const optionIndexGetter = protoGetter(HTMLOptionElement, 'index');
export const textareaDefaultValueGetter = protoGetter(HTMLTextAreaElement, 'defaultValue');
export const eventTypeGetter = protoGetter(Event, 'type');
export const bindFn = Function.prototype.bind;

// ---- Used by attribution, inline handlers and ownership (issue 3, part 1) ----
export const attrNameGetter = protoGetter(Attr, 'name');
export const namedNodeMapRemove = NamedNodeMap.prototype.removeNamedItem;
export const namedNodeMapGet = NamedNodeMap.prototype.getNamedItem;
export const namedNodeMapGetNS = NamedNodeMap.prototype.getNamedItemNS;
export const attrOwnerElementGetter = protoGetter(Attr, 'ownerElement');
export const templateContentGetter = protoGetter(HTMLTemplateElement, 'content');
export const innerHTMLGetter = protoGetter(Element, 'innerHTML');
export const innerHTMLSetter = getOwnPropertyDescriptor(Element.prototype, 'innerHTML')?.set;
/**
 * A <template> made before page code runs: a third party's markup is parsed
 * in its inert content, tagged and serialised again before the real parse
 * (inline-handlers `pretag`). Nothing runs there: no scripts, no custom
 * elements, no loads, and no page code holds it.
 */
export const scratchTemplate = document.createElementNS('http://www.w3.org/1999/xhtml', 'template');
export const rangeStartGetter = protoGetter(Range, 'startContainer');
export const rangeCommonGetter = protoGetter(Range, 'commonAncestorContainer');
export const currentScriptGetter = protoGetter(Document, 'currentScript');
export const scriptSrcGetter = protoGetter(HTMLScriptElement, 'src');
export const isConnectedGetter = protoGetter(Node, 'isConnected');
export const ownerDocumentGetter = protoGetter(Node, 'ownerDocument');
export const defaultViewGetter = protoGetter(Document, 'defaultView');
export const queueMicrotaskNative = queueMicrotask;
const trustedHTMLProto = (globalThis as unknown as { TrustedHTML?: { prototype: { toString: () => string } } }).TrustedHTML?.prototype;
export const trustedHTMLToString = trustedHTMLProto?.toString;
export const MutationObserverCtor = MutationObserver;
const mutationProto = MutationObserver.prototype;
export const mutationObserve = mutationProto.observe;
export const mutationDisconnect = mutationProto.disconnect;
export const mutationTakeRecords = mutationProto.takeRecords;
/** Observer options for added nodes, made without a prototype the page could add options to. */
export const ADDED_NODES = objectCreate(null) as MutationObserverInit;
ADDED_NODES.childList = true;
ADDED_NODES.subtree = true;
export const recordAddedGetter = protoGetter(MutationRecord, 'addedNodes');
// Window's own accessors (not on its prototype); getterOf may find none.
export const windowLengthGetter = getterOf(window, 'length');
export const windowParentGetter = getterOf(window, 'parent');
export const windowOpenerGetter = getterOf(window, 'opener');
/** The document's own origin (`location.origin` is the URL's: "null" for about:srcdoc). A page can shadow `self.origin`, not this getter. */
export const windowOriginGetter = getterOf(window, 'origin');

// ---- Used by markup serialisation (features/markup.ts) ----
export const importNodeNative = documentProto.importNode;
export const implementationGetter = protoGetter(Document, 'implementation');
export const createHTMLDocumentNative = DOMImplementation.prototype.createHTMLDocument;
export const childNodesGetter = protoGetter(Node, 'childNodes');
export const appendChildNative = nodeProto.appendChild;
export const inputDefaultValueSetter = getOwnPropertyDescriptor(HTMLInputElement.prototype, 'defaultValue')?.set;
export const textareaDefaultValueSetter = getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'defaultValue')?.set;
