// Every built-in the guard calls, captured when this module is evaluated: at
// document_start, before any page script exists. After this point the guard
// never looks a method up on a prototype the page can reach; it calls these
// saved references through the saved Reflect.apply.

const R = Reflect;
export const apply = R.apply;
export const construct = R.construct;
export const defineProperty = R.defineProperty;
export const getOwnPropertyDescriptor = R.getOwnPropertyDescriptor;
/** A native getter, saved now. */
export const getterOf = (o: object, k: string): ((...a: unknown[]) => unknown) | undefined => getOwnPropertyDescriptor(o, k)?.get;
/** The getter of `C.prototype[k]`, saved now; spelled once, as the guard saves dozens. */
export const protoGetter = (c: { prototype: object }, k: string): ((...a: unknown[]) => unknown) | undefined => getterOf(c.prototype, k);
const NO_ARGS: unknown[] = [];
/** `apply(f, self, [])`, spelled once (saved getters are called this way ~80 times). */
export const call0 = (f: unknown, self: unknown): unknown => apply(f as (...a: unknown[]) => unknown, self, NO_ARGS);
/**
 * `win[name].prototype` of a realm's interface, spelled once (features read
 * dozens). Throws like the long form when the realm lacks the interface, so
 * a feature's init fails and is counted.
 */
export const protoOf = (win: object, name: string): object => (win as Record<string, { prototype: object }>)[name]!.prototype;
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
export const setPrototypeOf = R.setPrototypeOf;
export const ProxyCtor = Proxy;
export const ErrorCtor = Error;
/**
 * Error.prototype's `stack` getter: SpiderMonkey has one (which the page could
 * replace later); V8 gives each error its own `stack` instead, so undefined.
 */
export const errorProtoStackGetter = protoGetter(ErrorCtor, 'stack');
export const objectCreate = Object.create;

const WM = WeakMap.prototype;
const wmGet = WM.get;
const wmSet = WM.set;
const wmHas = WM.has;
const reExec = RegExp.prototype.exec;

/** WeakMap whose operations cannot be intercepted by page code. */
export class SafeWeakMap<K extends object, V> {
  private readonly m = new WeakMap<K, V>();
  get(k: K): V | undefined { return apply(wmGet, this.m, [k]) as V | undefined; }
  set(k: K, v: V): void { apply(wmSet, this.m, [k, v]); }
  has(k: K): boolean { return apply(wmHas, this.m, [k]) as boolean; }
}

export const exec = (re: RegExp, s: string): RegExpExecArray | null =>
  apply(reExec, re, [s]) as RegExpExecArray | null;

// DOM natives.
const ET = EventTarget.prototype;
export const nativeAddEventListener = ET.addEventListener;
export const nativeRemoveEventListener = ET.removeEventListener;
export const nativeDispatchEvent = ET.dispatchEvent;

const nodeProto = Node.prototype;
export const parentNodeGetter = getterOf(nodeProto, 'parentNode');
export const nodeNameGetter = getterOf(nodeProto, 'nodeName');
export const nodeTypeGetter = getterOf(nodeProto, 'nodeType');
export const getRootNode = nodeProto.getRootNode;
export const shadowHostGetter = protoGetter(ShadowRoot, 'host');
export const shadowModeGetter = protoGetter(ShadowRoot, 'mode');
export const toLowerCase = String.prototype.toLowerCase;
export const elementGetAttribute = Element.prototype.getAttribute;
export const elementHasAttribute = Element.prototype.hasAttribute;
export const elementMatches = Element.prototype.matches;
/** A detached element made before page code runs, for selector parsing checks. */
export const scratchElement = document.createElementNS('http://www.w3.org/1999/xhtml', 'div');
export const contentEditableGetter = protoGetter(HTMLElement, 'isContentEditable');

const portProto = MessagePort.prototype;
export const portPostMessage = portProto.postMessage;
export const portStart = portProto.start;
export const messageEventData = protoGetter(MessageEvent, 'data');
export const messageEventPorts = protoGetter(MessageEvent, 'ports');
export const eventStopImmediate = Event.prototype.stopImmediatePropagation;

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
export const locationHost = exec(HOST_OF_ORIGIN, location.origin)?.[1] ?? location.hostname;
export const locationHref = location.href;

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
const eventProto = Event.prototype;
export const eventTargetGetter = getterOf(eventProto, 'target');
export const eventComposedPath = eventProto.composedPath;
export const activeElementGetter = protoGetter(Document, 'activeElement');
export const elementQueryAll = Element.prototype.querySelectorAll;
export const fragmentQueryAll = DocumentFragment.prototype.querySelectorAll;
export const documentQueryAll = Document.prototype.querySelectorAll;
export const nodeListLength = protoGetter(NodeList, 'length');
export const nodeListItem = NodeList.prototype.item;
export const formElementsGetter = protoGetter(HTMLFormElement, 'elements');
export const collectionLength = protoGetter(HTMLCollection, 'length');
export const collectionItem = HTMLCollection.prototype.item;
export const formDataAppend = FormData.prototype.append;
export const formDataForEach = (FormData.prototype as unknown as { forEach: (...a: unknown[]) => unknown }).forEach;
export const inputValueGetter = protoGetter(HTMLInputElement, 'value');
export const textareaValueGetter = protoGetter(HTMLTextAreaElement, 'value');
export const selectValueGetter = protoGetter(HTMLSelectElement, 'value');
export const inputDefaultValueGetter = protoGetter(HTMLInputElement, 'defaultValue');
export const selectIndexGetter = protoGetter(HTMLSelectElement, 'selectedIndex');
export const selectIndexSetter = getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'selectedIndex')?.set;
export const nodeClone = Node.prototype.cloneNode;
export const optionIndexGetter = protoGetter(HTMLOptionElement, 'index');
export const textareaDefaultValueGetter = protoGetter(HTMLTextAreaElement, 'defaultValue');
export const eventTypeGetter = getterOf(eventProto, 'type');
// Bound natives for hot paths: a bound call allocates no argument array.
export const bindFn = Function.prototype.bind;
export const weakMapGet = WeakMap.prototype.get;
export const weakMapSet = WeakMap.prototype.set;

// ---- Used by attribution, inline handlers and ownership (issue 3, part 1) ----
export const attrNameGetter = protoGetter(Attr, 'name');
export const attrOwnerElementGetter = protoGetter(Attr, 'ownerElement');
export const templateContentGetter = protoGetter(HTMLTemplateElement, 'content');
export const currentScriptGetter = protoGetter(Document, 'currentScript');
export const scriptSrcGetter = protoGetter(HTMLScriptElement, 'src');
export const isConnectedGetter = protoGetter(Node, 'isConnected');
export const ownerDocumentGetter = protoGetter(Node, 'ownerDocument');
export const defaultViewGetter = protoGetter(Document, 'defaultView');
export const queueMicrotaskNative = queueMicrotask;
const trustedHTMLProto = (globalThis as unknown as { TrustedHTML?: { prototype: { toString: () => string } } }).TrustedHTML?.prototype;
export const trustedHTMLToString = trustedHTMLProto?.toString;
export const MutationObserverCtor = MutationObserver;
export const mutationObserve = MutationObserver.prototype.observe;
export const mutationDisconnect = MutationObserver.prototype.disconnect;
export const windowLengthGetter = getterOf(window, 'length');
