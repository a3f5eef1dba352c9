// Inline handler attributes (`onkeydown="..."`) for the watched event types,
// attributed to the script that put them there:
// - setAttribute / setAttributeNS / setAttributeNode(NS) / setNamedItem(NS),
//   and Attr value writes on an attached attribute;
// - markup parsed into a live document: innerHTML, outerHTML,
//   insertAdjacentHTML, setHTMLUnsafe, document.write(ln), createContextualFragment;
// - markup parsed into an inert document (DOMParser, <template>) whose
//   elements a script later clones, imports, adopts and inserts.
// The insertion and copy hooks also keep a third party's tree from
// inheriting the nodes put into it, and its copies its own (targets.ts
// `adopting`, `copyMarks`).
// A third party's handler on something it does not own keeps its attribute
// text but its compiled handler is wrapped in handler-props' filter. First
// parties, and the page's own HTML, are never touched.

import type { Feature } from './registry';
import { lower } from '../../shared/stack';
import {
  apply, attrOwnerElementGetter, elementHasAttribute, exec,
  getPrototypeOf, getRootNode, SafeWeakMap, templateContentGetter,
  trustedHTMLToString, isObject, call0, protoOf,
  each, newList, construct, MutationObserverCtor, mutationObserve, mutationTakeRecords, mutationDisconnect,
  recordAddedGetter, nodeListLength, nodeListItem, ADDED_NODES, elementAttributeNames, elementSetAttribute, elementGetAttribute,
  parentNodeGetter, rangeStartGetter, rangeCommonGetter, failures, documentRef, ownerDocumentGetter,
  innerHTMLGetter, innerHTMLSetter, scratchTemplate, objectCreate, elementRemoveAttribute, stringSlice, nonce, namedNodeMapRemove,
} from '../natives';
import { wrapAccessor, wrapCopies, wrapMethod } from '../wrap';
import { currentCaller, tagCode, type Caller } from '../attribution';
import { adopting, attrNameOf, copyMarks, eachCopied, marks, nodeTypeOf, queryAll, surrounding } from '../targets';
import { reportHandler, filterCurrentHandler, HANDLER_PROPS } from './handler-props';
import { sweepAfterInsert } from './realms';
import { markForCaller } from './ownership';
import { peers } from '../peers';
import { state } from '../state';
import { attributeWriteDenied } from './form-attributes';

type Fn = (...a: unknown[]) => unknown;
type AnyFn = (...a: never[]) => unknown;

// `[onkeydown],[onclick]...`: the elements whose handlers are judged.
let selector = '';
for (const prop in HANDLER_PROPS) selector += selector === '' ? `[${prop}]` : `,[${prop}]`;
/**
 * The cheap pre-check on markup: only markup that could carry a handler
 * attribute (any type: all are tagged, see tagCode) costs a stack capture.
 */
const ANY_ON_RE = /on[a-z]+\s*=/i;

/** Whether an attribute name is an event handler's (`on` and more, any case). */
const HANDLER_NAME = /^on./i;
const handlerName = (name: unknown): name is string => typeof name === 'string' && exec(HANDLER_NAME, name) !== null;

/** Calls `fn` with each attribute name of every element in `root` (itself included) and below, <template> contents included. */
function eachAttribute(root: unknown, fn: (el: object, name: string) => void): void {
  each(queryAll(root, '*', true), (el) => {
    const names = apply(elementAttributeNames, el, []) as string[];
    for (let i = 0; i < names.length; i++) fn(el, names[i] as string);
  });
  each(queryAll(root, 'template', true), (t) => eachAttribute(call0(templateContentGetter, t), fn));
}

/**
 * Tags the code of every handler attribute in `root` (itself included) and
 * below, <template> contents included, with `caller`, through the saved
 * natives: markup a third party had parsed, before any of it can run.
 * `done`: attribute values tagged already (by `pretag`, for this call), left
 * as they are; with `collect`, the values this call writes are added to it.
 */
function tagTree(root: unknown, caller: Caller, done?: Record<string, true>, collect = false): void {
  eachAttribute(root, (el, name) => {
    let n = name;
    let value = apply(elementGetAttribute, el, [n]) as string;
    // A handler renamed for a third party's document.write (`writeWhole`) gets its name back here.
    const renamed = exec(RENAMED_RE, n);
    if (renamed !== null) {
      apply(elementRemoveAttribute, el, [n]);
      n = renamed[2] as string;
    } else if (!handlerName(n) || (done !== undefined && !collect && done[value] === true)) {
      return;
    }
    value = tagCode(value, caller);
    apply(elementSetAttribute, el, [n, value]);
    if (collect && done !== undefined) done[value] = true;
  });
}

/** Parses `markup` in the inert scratch template, hands its content to `read`, and empties it again. */
function inScratch<T>(markup: string, read: (content: object) => T): T {
  try {
    apply(innerHTMLSetter as Fn, scratchTemplate, [markup]);
    return read(call0(templateContentGetter, scratchTemplate) as object);
  } finally {
    apply(innerHTMLSetter as Fn, scratchTemplate, ['']);
  }
}

/**
 * `markup` with its handler attributes tagged before the real parse: parsed
 * in an inert template, tagged there, serialised again. Tagging after the
 * call is too late for code that runs during it: an iframe's about:blank
 * loads while it is inserted, and a custom element can fire an event on its
 * neighbour. Such a handler ran untagged, as page code, and a keylogger it
 * set up from a timer was first-party (`handler-sync`, both engines, found
 * 2026-11-25). The parse in the template's context keeps what the real
 * parse in any element's keeps: elements that context would drop are
 * dropped there too. Returns undefined when the markup cannot be parsed
 * there (the page enforces Trusted Types): it is then tagged after the call.
 */
function pretag(markup: string, caller: Caller): { text: string; done: Record<string, true> } | undefined {
  const done: Record<string, true> = objectCreate(null);
  try {
    return inScratch(markup, (content) => {
      tagTree(content, caller, done, true);
      return { text: call0(innerHTMLGetter, scratchTemplate) as string, done };
    });
  } catch (e) {
    failures.pretag++;
    return undefined;
  }
}

/** Inert-parsed element -> the third party whose markup it came from. */
const tainted = new SafeWeakMap<object, Caller>();
/** How many elements were ever tainted: zero keeps insertion hooks free. */
let taintCount = 0;

/** Elements under `root` (and `root` itself when `includeSelf`) that carry a watched handler attribute, in document order. */
const handlerElements = (root: object, includeSelf: boolean): object[] => queryAll(root, selector, includeSelf);

/** Applies `caller`'s decision to the handler `prop` of `el`. */
function judgeProp(el: object, prop: string, caller: Caller, api: string): void {
  reportHandler(el, HANDLER_PROPS[prop] as string, caller, `${api}:${prop}`);
  if (caller.party !== 'first') filterCurrentHandler(el, prop, caller.origin);
}

/** Applies `caller`'s decision to each watched handler attribute of `el`. */
function judge(el: object, caller: Caller, api: string): void {
  for (const prop in HANDLER_PROPS) if (apply(elementHasAttribute, el, [prop]) === true) judgeProp(el, prop, caller, api);
}

/** Lower-cased handler property for an attribute name, or undefined when not watched. */
function watchedAttr(name: unknown): string | undefined {
  if (!handlerName(name)) return undefined;
  const l = lower(name);
  return HANDLER_PROPS[l] === undefined ? undefined : l;
}

/**
 * The markup a native will parse from `args[i]`, converting a non-string
 * once and handing the native that string, so an object whose toString
 * answers differently on each call cannot show the check one text and the
 * parser another. A TrustedHTML is passed as it is (Trusted Types enforcement
 * needs the object) and read with the saved native toString.
 */
function settle(args: unknown[], i: number): string {
  const v = args[i];
  if (typeof v === 'string') return v;
  if (trustedHTMLToString !== undefined && isObject(v)) {
    try {
      return call0(trustedHTMLToString, v) as string;
    } catch (e) {
      // Not a TrustedHTML: converted below like any other object.
    }
  }
  if (v === undefined || v === null || i >= args.length) return '';
  const text = `${v as string}`;
  args[i] = text;
  return text;
}
/** An attribute name converted once (see `settle`). */
function nameArg(args: unknown[], i: number): unknown {
  const v = args[i];
  if (typeof v === 'string' || v === undefined) return v;
  const text = `${v as string}`;
  args[i] = text;
  return text;
}

// ---- document.write ----
// Its markup may be a piece of a tag that the next write, or the page's own
// HTML after the script, finishes: the element is then made outside the call.
// A third party's pieces are held back until the tokenizer would be back in
// its data state, and written as one. Its handler attributes are renamed for
// the write, so none can run while the markup goes in (an iframe's
// about:blank loads as it is inserted), and get their names back, tagged,
// right after it. Renaming keeps the text as written: elements a write
// leaves open stay open for the next (serialising a parsed tree, as `pretag`
// does, would close them).
const RENAMED = `data-untapped-${nonce()}-`;
/** `data-untapped-<nonce>-<i>-<name>`: the candidate's number and the original name. */
const RENAMED_RE = new RegExp(`^${RENAMED}(\\d+)-(.+)$`);
/** Places that may start a handler attribute: after a space, a slash or a quote. */
const CANDIDATE_RE = /(^|[\s/"'])on[a-z]+\s*=/gi;
const LT_RE = /</;
/** A third party's unfinished document.write markup, per document. */
const held = new SafeWeakMap<object, string>();

/** `markup` with candidate `i`, at `starts[i]`, renamed wherever `keep(i)`. */
function renamedAt(markup: string, starts: number[], keep: (i: number) => boolean): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < starts.length; i++) {
    if (!keep(i)) continue;
    const at = starts[i] as number;
    out += `${apply(stringSlice, markup, [from, at]) as string}${RENAMED}${i}-`;
    from = at;
  }
  return out + (apply(stringSlice, markup, [from]) as string);
}

/**
 * `markup` ready to write, or undefined while it is not whole: the
 * tokenizer is not back in its data state after it (an element left open is
 * fine). Every `on…=` that may start a handler attribute is numbered, and the
 * marked text parsed once in the scratch template with an element after it,
 * named anew each time so markup cannot hold one: that element is there only
 * if nothing swallowed it. The numbering changes no tokenizer state. Only the
 * numbers that came out as attribute names (not as text, script or part of a
 * value) are kept renamed in what is returned.
 */
function forWrite(markup: string): string | undefined {
  if (exec(LT_RE, markup) === null) return markup;
  const starts = newList<number>();
  CANDIDATE_RE.lastIndex = 0;
  for (let m = exec(CANDIDATE_RE, markup); m !== null; m = exec(CANDIDATE_RE, markup)) starts[starts.length] = m.index + (m[1] as string).length;
  const name = `x-untapped-${nonce()}`;
  const real: Record<number, true> = objectCreate(null);
  const isWhole = inScratch(`${renamedAt(markup, starts, () => true)}a<${name}>`, (content) => {
    eachAttribute(content, (_el, n) => {
      const m = exec(RENAMED_RE, n);
      if (m !== null) real[+(m[1] as string)] = true;
    });
    return queryAll(content, name).length > 0;
  });
  return isWhole ? renamedAt(markup, starts, (i) => real[i] === true) : undefined;
}

/**
 * A third party's document.write (`native`: this realm's write or writeln):
 * held until whole (see above), then written with its handlers renamed and
 * given back tagged. Nothing is written while a piece is unfinished; a piece
 * never finished is never written, and a first party's write drops it.
 */
function writeWhole(native: Fn, doc: object, markup: string, ln: boolean, caller: Caller, api: string): unknown {
  const text = (held.get(doc) ?? '') + markup;
  let out: string | undefined = text;
  try {
    out = forWrite(text);
  } catch (e) {
    // The scratch parse refused the markup (the page enforces Trusted Types): tagged after the call.
    failures.pretag++;
  }
  if (out === undefined) {
    held.set(doc, ln ? `${text}\n` : text);
    return undefined;
  }
  held.delete(doc);
  return parseInto(native, doc, [out], text, () => doc, api, doc, -1, caller);
}

/**
 * Runs a markup-parsing native; when a third party's markup carries watched
 * handlers, judges the handler elements the call added under `scope`. They
 * are read from mutation records, not found by looking afterwards: a custom
 * element in the markup runs inside the call and could take one away first.
 * `at`: the argument holding the markup, handed to the native tagged
 * already (`pretag`); -1 for document.write (`writeWhole`). `known`: the
 * caller, when already asked.
 */
function parseInto(native: Fn, thisArg: unknown, args: unknown[], markup: string, scope: () => object | null, api: string, where: unknown = thisArg, at = -1, known?: Caller): unknown {
  if (exec(ANY_ON_RE, markup) === null) return swept(apply(native, thisArg, args), where);
  const caller = known ?? currentCaller();
  if (caller.party === 'first') return swept(apply(native, thisArg, args), where);
  // A TrustedHTML stays as it is (the page's Trusted Types need the object).
  const pre = at >= 0 && typeof args[at] === 'string' ? pretag(markup, caller) : undefined;
  if (pre !== undefined) args[at] = pre.text;
  const done = pre?.done;
  const root = scope();
  // Its records are taken below, so its callback never runs.
  const watcher = construct(MutationObserverCtor, [isObject]);
  if (root !== null) apply(mutationObserve, watcher, [root, ADDED_NODES]);
  let result: unknown;
  let records: ArrayLike<object>;
  try {
    result = apply(native, thisArg, args);
  } finally {
    records = call0(mutationTakeRecords, watcher) as ArrayLike<object>;
    call0(mutationDisconnect, watcher);
  }
  const judged = (el: object): void => judge(el, caller, api);
  // createContextualFragment returns its nodes instead of inserting them
  // (for the others, `result` is no node and holds none).
  tagTree(result, caller, done);
  each(handlerElements(result as object, false), judged);
  each(records as object[], (record) => {
    const added = call0(recordAddedGetter, record);
    const n = call0(nodeListLength, added) as number;
    for (let j = 0; j < n; j++) {
      const node = apply(nodeListItem, added, [j]);
      tagTree(node, caller, done);
      each(handlerElements(node as object, true), judged);
    }
  });
  return swept(result, where);
}

/**
 * Guards the realm of any frame the markup or nodes just put into `where`
 * created (see realms.ts).
 */
function swept<T>(result: T, where: unknown): T {
  sweepAfterInsert(where);
  return result;
}

/** What stays in the document when `node` itself is replaced: its root (taken before the call). */
function rootBefore(node: unknown): unknown {
  return nodeTypeOf(node) === 0 ? undefined : call0(getRootNode, node);
}

/** Taints the handler elements of an inert tree built from `caller`'s markup. */
function taintTree(root: unknown, caller: Caller): void {
  if (!isObject(root)) return;
  tagTree(root, caller);
  each(handlerElements(root, true), (el) => { tainted.set(el, caller); taintCount++; });
}

/**
 * Tainted handler elements in the nodes about to be inserted (collected
 * first: a fragment empties). Once a realm with a guard of its own is known,
 * handler elements from another document count as tainted by whoever
 * inserts them: that guard, not this one, saw them parsed.
 */
function taintedIn(args: unknown[]): object[] {
  const out = newList<object>();
  let inserter: Caller | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (nodeTypeOf(a) === 0) continue;
    const alien = peers.on && call0(ownerDocumentGetter, a) !== documentRef;
    if (!alien && taintCount === 0) continue;
    const els = handlerElements(a as object, true);
    for (let j = 0; j < els.length; j++) {
      const el = els[j] as object;
      if (alien && !tainted.has(el)) tainted.set(el, inserter ??= currentCaller());
      if (tainted.has(el)) out[out.length] = el;
    }
  }
  return out;
}

function judgeTainted(els: object[], api: string): void {
  each(els, (el) => judge(el, tainted.get(el) as Caller, api));
}

export const inlineHandlers: Feature = {
  name: 'inline-handlers',
  init(win) {
    const elementProto = protoOf(win, 'Element');
    const nodeProto = protoOf(win, 'Node');
    // ---- attributes, one at a time ----
    // setAttribute(name, v), and setAttributeNS(ns, name, v) without a namespace.
    for (let i = 0; i < 2; i++) {
      const api = i === 0 ? 'setAttribute' : 'setAttributeNS';
      wrapMethod<Fn>(elementProto, api, (native, thisArg, args) => {
        const name = nameArg(args, i);
        const plain = i === 0 || args[0] === null || args[0] === undefined || args[0] === '';
        if (plain && attributeWriteDenied(thisArg, name, api)) return undefined;
        const caller = plain && handlerName(name) ? currentCaller() : undefined;
        if (caller !== undefined && caller.party !== 'first' && args.length > i + 1) args[i + 1] = tagCode(args[i + 1], caller);
        const r = apply(native, thisArg, args);
        const prop = caller !== undefined ? watchedAttr(name) : undefined;
        if (prop !== undefined && nodeTypeOf(thisArg) === 1) judgeProp(thisArg as object, prop, caller as Caller, api);
        return r;
      });
    }
    const attrName = (a: unknown): string | undefined => watchedAttr(attrNameOf(a));
    const owner = (attr: unknown): unknown => call0(attrOwnerElementGetter, attr);
    // An Attr node set on an element, or through a NamedNodeMap (judged on the Attr's owner).
    each(['setAttributeNode', 'setAttributeNodeNS', 'setNamedItem', 'setNamedItemNS'], (name) => {
      const byMap = name[3] === 'N';
      wrapMethod<Fn>(byMap ? protoOf(win, 'NamedNodeMap') : elementProto, name, (native, thisArg, args) => {
        const attr = args[0];
        const named = attrNameOf(attr);
        // A map does not say whose it is until the Attr is on it: undone then (form-attributes.ts).
        if (!byMap && attributeWriteDenied(thisArg, named, name)) return null;
        const r = apply(native, thisArg, args);
        if (byMap && attributeWriteDenied(owner(attr), named, name)) {
          apply(r === null ? namedNodeMapRemove : native, thisArg, [r === null ? named : r]);
        }
        const prop = attrName(attr);
        const el = byMap ? owner(attr) : thisArg;
        if (prop !== undefined && nodeTypeOf(el) === 1) judgeProp(el as object, prop, currentCaller(), name);
        return r;
      });
    });
    const attrWrite = (api: string) => (native: AnyFn, thisArg: unknown, value: unknown): unknown => {
      const name = attrNameOf(thisArg);
      if (name !== undefined && attributeWriteDenied(owner(thisArg), name, api)) return undefined;
      const caller = handlerName(name) ? currentCaller() : undefined;
      const r = apply(native as Fn, thisArg, [caller !== undefined && caller.party !== 'first' ? tagCode(value, caller) : value]);
      const prop = caller !== undefined ? watchedAttr(name) : undefined;
      if (prop !== undefined) {
        const el = owner(thisArg);
        if (nodeTypeOf(el) === 1) judgeProp(el as object, prop, caller as Caller, api);
      }
      return r;
    };
    wrapAccessor(protoOf(win, 'Attr'), 'value', { set: attrWrite('Attr.value') });
    wrapAccessor(nodeProto, 'nodeValue', { set: attrWrite('Attr.nodeValue') });
    wrapAccessor(nodeProto, 'textContent', { set: attrWrite('Attr.textContent') });

    // ---- markup parsed into the live document ----
    const templateProto = protoOf(win, 'HTMLTemplateElement');
    const rootOf = (n: unknown) => (): object | null => (isObject(n) ? call0(getRootNode, n) as object : null);
    const htmlSetter = (api: string) => (native: AnyFn, thisArg: unknown, raw: unknown): unknown => {
      const box = [raw];
      const markup = settle(box, 0);
      const value = box[0];
      if (nodeTypeOf(thisArg) === 1 && exec(ANY_ON_RE, markup) !== null
        && getPrototypeOf(thisArg as object) === templateProto) {
        // A <template>'s content is inert: remember whose handlers it holds.
        const r = apply(native as Fn, thisArg, [value]);
        const caller = currentCaller();
        if (caller.party === 'third') taintTree(call0(templateContentGetter, thisArg), caller);
        return r;
      }
      return parseInto(native as Fn, thisArg, [value], markup, rootOf(thisArg), api, api === 'outerHTML' ? rootBefore(thisArg) : thisArg, 0);
    };
    const inner = { set: htmlSetter('innerHTML') };
    wrapAccessor(elementProto, 'innerHTML', inner);
    wrapAccessor(elementProto, 'outerHTML', { set: htmlSetter('outerHTML') });
    wrapAccessor(protoOf(win, 'ShadowRoot'), 'innerHTML', inner);
    wrapMethod<Fn>(elementProto, 'insertAdjacentHTML', (native, thisArg, args) =>
      parseInto(native, thisArg, args, settle(args, 1), rootOf(thisArg), 'insertAdjacentHTML', thisArg, 1));
    each([elementProto, protoOf(win, 'ShadowRoot')], (holder) => {
      if (typeof (holder as { setHTMLUnsafe?: unknown }).setHTMLUnsafe !== 'function') return;
      wrapMethod<Fn>(holder, 'setHTMLUnsafe', (native, thisArg, args) =>
        parseInto(native, thisArg, args, settle(args, 0), rootOf(thisArg), 'setHTMLUnsafe', thisArg, 0));
    });
    each(['write', 'writeln'], (name) => {
      wrapMethod<Fn>(protoOf(win, 'Document'), name, (native, thisArg, args) => {
        let markup = '';
        let strings = true;
        for (let i = 0; i < args.length; i++) {
          markup += settle(args, i);
          if (typeof args[i] !== 'string') strings = false;
        }
        const api = `document.${name}`;
        const pending = isObject(thisArg) && held.has(thisArg);
        // Text alone cannot start a tag; a TrustedHTML is written as it is (the page's Trusted Types need it).
        if (!strings || innerHTMLSetter === undefined || nodeTypeOf(thisArg) !== 9 || (!pending && exec(LT_RE, markup) === null)) {
          return parseInto(native, thisArg, args, markup, () => thisArg as object, api);
        }
        const caller = currentCaller();
        if (caller.party === 'first') {
          held.delete(thisArg as object);
          return swept(apply(native, thisArg, args), thisArg);
        }
        // Holding pieces back changes what the page sees: only while protecting.
        if (state.mode !== 'protect') return parseInto(native, thisArg, args, markup, () => thisArg as object, api, thisArg, -1, caller);
        return writeWhole(native, thisArg as object, markup, name === 'writeln', caller, api);
      });
    });
    // Editing commands: insertHTML parses markup like innerHTML does, and any
    // command can connect frames (swept after each).
    wrapMethod<Fn>(protoOf(win, 'Document'), 'execCommand', (native, thisArg, args) =>
      (lower(`${nameArg(args, 0) as string}`) === 'inserthtml'
        ? parseInto(native, thisArg, args, settle(args, 2), () => thisArg as object, 'execCommand', thisArg, 2)
        : swept(apply(native, thisArg, args), thisArg)));
    // What a third party parses whole is its own, like what it creates (features/ownership.ts).
    const mine = <T>(node: T): T => { markForCaller(node, documentRef); return node; };
    wrapMethod<Fn>(protoOf(win, 'Range'), 'createContextualFragment', (native, thisArg, args) =>
      mine(parseInto(native, thisArg, args, settle(args, 0), () => null, 'createContextualFragment', null, 0)));

    // ---- markup parsed into inert documents, then brought in ----
    // `markup`: judged by its text first; otherwise (an XSLT transform, whose
    // handler names may be computed) every call's result is looked at.
    const inert = (markup: boolean) => (native: Fn, thisArg: unknown, args: unknown[]): unknown => {
      const any = !markup || exec(ANY_ON_RE, settle(args, 0)) !== null;
      const doc = apply(native, thisArg, args);
      if (any) {
        const caller = currentCaller();
        if (caller.party === 'third') taintTree(doc, caller);
      }
      return mine(doc);
    };
    const parseInert = inert(true);
    wrapMethod<Fn>(protoOf(win, 'DOMParser'), 'parseFromString', parseInert);
    const xslt = (win as unknown as { XSLTProcessor?: { prototype: object } }).XSLTProcessor;
    if (xslt !== undefined) each(['transformToFragment', 'transformToDocument'], (m) => wrapMethod<Fn>(xslt.prototype, m, inert(false)));
    const docCtor = win.Document as unknown as { parseHTMLUnsafe?: unknown };
    if (typeof docCtor.parseHTMLUnsafe === 'function') wrapMethod<Fn>(docCtor, 'parseHTMLUnsafe', parseInert);
    // Copies keep what their originals were: a third party's own (targets.ts),
    // and tainted. Shallow copies too: a tainted element copied alone keeps
    // its handler attributes.
    wrapCopies(win, (source, copy, deep) => {
      copyMarks(source, copy, deep);
      if (taintCount === 0) return;
      eachCopied(source, copy, selector, (from, to) => {
        const c = tainted.get(from);
        if (c !== undefined) { tainted.set(to, c); taintCount++; }
      });
    });
    const nodeArgs = (args: unknown[], from: number, to: number): unknown[] => {
      const nodes = newList<unknown>();
      for (let i = from; i < args.length && i < to; i++) nodes[nodes.length] = args[i];
      return nodes;
    };
    // Insertion is where an inert handler becomes live; free while nothing is tainted.
    // `where` is what holds the nodes afterwards: the parent or reference
    // node; its root for replaceWith, which removes it; for a Range, which is
    // not a node, the node it inserted. The new parent's owner must not
    // inherit nodes it did not make (targets.ts `adopting`); free while no
    // third party made anything.
    const parentNode = (node: unknown): unknown => (nodeTypeOf(node) === 0 ? undefined : call0(parentNodeGetter, node));
    /** A Range's getter, or undefined when `range` is none (the native will throw its own error). */
    const ofRange = (getter: Fn, range: unknown): unknown => {
      try {
        return call0(getter, range);
      } catch (e) {
        failures.brand++;
        return undefined;
      }
    };
    // How the new parent is found: 0 the node called, 1 its parent, 2 either
    // (insertAdjacentElement), 3 a Range's start (the node called is a Range).
    const inserting = (api: string, nodeArgsFrom: number, nodeArgsTo: number, how = 0) => (native: Fn, thisArg: unknown, args: unknown[]): unknown => {
      const where = how === 3 ? args[0] : api === 'replaceWith' ? rootBefore(thisArg) : thisArg;
      const look = marks > 0;
      const nodes = look || taintCount !== 0 || peers.on ? nodeArgs(args, nodeArgsFrom, nodeArgsTo) : args;
      let after: (() => void) | undefined;
      if (look) {
        adopting(how === 3 ? [ofRange(rangeStartGetter, thisArg)] : how === 0 ? [thisArg] : how === 1 ? [parentNode(thisArg)] : [thisArg, parentNode(thisArg)], nodes);
        if (api === 'surroundContents') after = surrounding(args[0], ofRange(rangeCommonGetter, thisArg));
      }
      const pending = taintCount === 0 && !peers.on ? undefined : taintedIn(nodes);
      const r = apply(native, thisArg, args);
      if (after !== undefined) after();
      if (pending !== undefined) judgeTainted(pending, api);
      return swept(r, where);
    };
    wrapMethod<Fn>(nodeProto, 'appendChild', inserting('appendChild', 0, 1));
    wrapMethod<Fn>(nodeProto, 'insertBefore', inserting('insertBefore', 0, 1));
    wrapMethod<Fn>(nodeProto, 'replaceChild', inserting('replaceChild', 0, 1));
    wrapMethod<Fn>(elementProto, 'insertAdjacentElement', inserting('insertAdjacentElement', 1, 2, 2));
    each([elementProto, protoOf(win, 'Document'), protoOf(win, 'DocumentFragment')], (holder) => {
      each(['append', 'prepend', 'replaceChildren'], (name) => { wrapMethod<Fn>(holder, name, inserting(name, 0, Infinity)); });
      // Moves a connected node without removing it first (where the engine has it).
      if (typeof (holder as { moveBefore?: unknown }).moveBefore === 'function') wrapMethod<Fn>(holder, 'moveBefore', inserting('moveBefore', 0, 1));
    });
    each([elementProto, protoOf(win, 'CharacterData')], (holder) => {
      each(['before', 'after', 'replaceWith'], (name) => { wrapMethod<Fn>(holder, name, inserting(name, 0, Infinity, 1)); });
    });
    each(['insertNode', 'surroundContents'], (name) => { wrapMethod<Fn>(protoOf(win, 'Range'), name, inserting(name, 0, 1, 3)); });
    // A table's caption, head and foot setters move the element given into the table.
    each(['caption', 'tHead', 'tFoot'], (name) => {
      const set = inserting(name, 0, 1);
      wrapAccessor(protoOf(win, 'HTMLTableElement'), name, { set: (native, table, v) => set(native as Fn, table, [v]) });
    });
  },
};
