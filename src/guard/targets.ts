// Classifies the target of a hook and tracks which elements a third-party
// script created itself (its widget), which it may listen to freely.
//
// Ownership is inherited down the tree, so a widget built with innerHTML is
// its own. A node the widget did not make that is put into its tree (the
// page's form moved into the widget's box, detached first or not) is marked
// PAGE as it goes in, which stops the inheritance there.

import type { TargetClass } from '../shared/types';
import { isSensitiveField } from '../shared/sensitive';
import { state } from './state';
import {
  apply, documentRef, elementGetAttribute, elementHasAttribute, elementMatches, exec, isInstance,
  nodeNameGetter, nodeTypeGetter, parentNodeGetter, shadowHostGetter, SafeWeakMap, getRootNode, shadowModeGetter, windowRef, isObject, call0,
  documentQueryAll, elementQueryAll, fragmentQueryAll, nodeListItem, nodeListLength, newList, childNodesGetter, eventTargetGetter, failures, eventComposedPath, objectCreate, bindFn, weakMapGet, weakMapSet,
  attrNameGetter,
} from './natives';

/** Node -> origin of the third-party script that created it, or PAGE. */
// Read on every insertion and at every step up the tree: a bound native get,
// no argument array (made at document_start, before any page script).
const createdByMap = new WeakMap<object, string>();
const createdBy = {
  get: apply(bindFn, weakMapGet, [createdByMap]) as (k: object) => string | undefined,
  set: apply(bindFn, weakMapSet, [createdByMap]) as (k: object, v: string) => void,
};
/** No script origin: marks a node that belongs to no third party. */
export const PAGE = ' page';
/** How many marks were ever made: zero keeps insertion free. */
export let marks = 0;

export function markCreated(node: object, origin: string): void {
  createdBy.set(node, origin);
  marks++;
}

const NodeProto = Node.prototype;
const EventTargetProto = EventTarget.prototype;
const WindowProto = Window.prototype;

/** Node type of `v`, also for nodes of other same-origin realms; 0 for anything else. */
export function nodeTypeOf(v: unknown): number {
  if (!isObject(v)) return 0;
  if (isInstance(v, NodeProto)) return call0(nodeTypeGetter, v) as number;
  // Another realm's node passes the getter's brand check; anything else throws.
  try {
    return call0(nodeTypeGetter, v) as number;
  } catch (e) {
    return 0;
  }
}

/**
 * The elements under `root` (a document, element or fragment of any
 * same-origin realm) matching `selector`, in document order, and `root`
 * itself first when `self` is set and it matches. Through the saved natives.
 */
export function queryAll(root: unknown, selector: string, self = false): object[] {
  const out = newList<object>();
  const t = nodeTypeOf(root);
  if (self && t === 1 && apply(elementMatches, root, [selector]) === true) out[0] = root as object;
  const q = t === 9 ? documentQueryAll : t === 1 ? elementQueryAll : t === 11 ? fragmentQueryAll : undefined;
  if (q === undefined) return out;
  const list = apply(q, root, [selector]);
  const n = call0(nodeListLength, list) as number;
  for (let i = 0; i < n; i++) out[out.length] = apply(nodeListItem, list, [i]) as object;
  return out;
}

function parentOf(node: object): object | null {
  const p = call0(parentNodeGetter, node) as object | null;
  if (p !== null) return p;
  // Step out of a shadow root to its host, so a widget's shadow tree counts as its own.
  if (nodeTypeOf(node) === 11) {
    try {
      return call0(shadowHostGetter, node) as object | null;
    } catch (e) {
      return null; // a plain DocumentFragment has no host
    }
  }
  return null;
}

function attr(el: object, name: string): string {
  // Only called for INPUT/TEXTAREA/SELECT, which are Elements.
  const v = apply(elementGetAttribute, el, [name]);
  return typeof v === 'string' ? v : '';
}

/** The mark nearest a node (`node` itself first, then up), or undefined; undefined for a non-node. */
export function ownerOf(node: unknown): string | undefined {
  if (marks === 0 || nodeTypeOf(node) === 0) return undefined;
  for (let n: object | null = node as object, depth = 0; n !== null && depth < 256; n = parentOf(n), depth++) {
    const owner = createdBy.get(n);
    if (owner !== undefined) return owner;
  }
  return undefined;
}

/** The third party whose tree holds `node`, or undefined. */
export const partyOf = (node: unknown): string | undefined => {
  const o = ownerOf(node);
  return o === PAGE ? undefined : o;
};

/** The name of `attr` when it is an Attr, else undefined. */
export const attrNameOf = (attr: unknown): string | undefined => (nodeTypeOf(attr) === 2 ? call0(attrNameGetter, attr) as string : undefined);

/**
 * Before `nodes` go into the tree of any of `places` (their new parent, or
 * candidates for it). Each node among them (a fragment stands for its
 * children) keeps the owner it had: one that is not the new tree's owner's
 * is marked PAGE, so that owner never inherits it, and a third party's node
 * leaving its tree (a widget built in a fragment, then put on the page)
 * takes its owner along. Done before the native runs, since a custom
 * element being inserted alongside can run code during the insertion.
 */
export function adopting(places: unknown[], nodes: unknown[]): void {
  let owner: string | undefined;
  let place: unknown;
  for (let p = 0; p < places.length && owner === undefined; p++) owner = partyOf(place = places[p]);
  let tookPage = false;
  const keep = (n: object): void => {
    const was = ownerOf(n);
    if (owner !== undefined ? was !== owner : was !== undefined && was !== PAGE && createdBy.get(n) === undefined) {
      markCreated(n, owner !== undefined ? PAGE : was as string);
      tookPage ||= owner !== undefined;
    }
  };
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const t = nodeTypeOf(n);
    if (t === 11) eachChild(n as object, keep);
    else if (t !== 0) keep(n as object);
  }
  if (tookPage) hideBehindHosts(place);
}

function eachChild(node: object, f: (kid: object) => void): void {
  const kids = call0(childNodesGetter, node);
  const k = call0(nodeListLength, kids) as number;
  for (let j = 0; j < k; j++) f(apply(nodeListItem, kids, [j]) as object);
}

/**
 * Range.surroundContents moves the range's contents into `parent`: unless
 * they were in `parent`'s owner's tree already (`common` holds them all),
 * the returned step, run after the native, marks them PAGE.
 */
export function surrounding(parent: unknown, common: unknown): (() => void) | undefined {
  const owner = partyOf(parent);
  if (owner === undefined || ownerOf(common) === owner) return undefined;
  return () => {
    eachChild(parent as object, (kid) => markCreated(kid, PAGE));
    hideBehindHosts(parent);
  };
}

/** Hosts of closed roots holding others' nodes: from outside, an event there seems aimed at the host. */
const hidesOthers = new SafeWeakMap<object, true>();

/** Flags the host of each closed root around `node` (see aimedAtOwn). */
function hideBehindHosts(node: unknown): void {
  for (let n = node, depth = 0; nodeTypeOf(n) !== 0 && depth < 32; depth++) {
    const root = call0(getRootNode, n);
    if (nodeTypeOf(root) !== 11) return; // a document, or a detached tree: no host above
    try {
      n = call0(shadowHostGetter, root);
    } catch (e) {
      return; // a plain fragment: no host above
    }
    if (call0(shadowModeGetter, root) === 'closed') hidesOthers.set(n as object, true);
  }
}

/**
 * Calls `f` with each element of `source` (itself included) matching
 * `selector` and the element of `copy` (a cloneNode/importNode of it) in the
 * same place: same document order on both sides.
 */
export function eachCopied(source: unknown, copy: unknown, selector: string, f: (from: object, to: object) => void): void {
  const from = queryAll(source, selector, true);
  const to = queryAll(copy, selector, true);
  for (let i = 0; i < from.length && i < to.length; i++) f(from[i] as object, to[i] as object);
}

/**
 * A copy made with cloneNode/importNode of a third party's node is that
 * party's, and each node inside a deep copy carries its original's mark (a
 * page form the party took stays the page's in its copies).
 */
export function copyMarks(source: unknown, copy: unknown, deep: boolean): void {
  const owner = partyOf(source);
  if (owner === undefined || !isObject(copy)) return;
  markCreated(copy, owner);
  if (deep) {
    eachCopied(source, copy, '*', (from, to) => {
      const m = createdBy.get(from);
      if (m !== undefined) markCreated(to, m);
    });
  }
}

/**
 * What a hook on `target` by a script of `origin` is aimed at. Window,
 * document, the root element and body are `global`; an element that script
 * created (or anything inside one, up to a node marked PAGE) is `own`.
 */
export function classifyTarget(target: unknown, origin: string): TargetClass {
  if (target === windowRef || target === documentRef || target === null || typeof target !== 'object') return 'global';
  const t = nodeTypeOf(target);
  if (t === 9) return 'global';
  if (t === 0) {
    // This realm's non-node targets (MediaQueryList 'change', XHR, sockets)
    // carry no user input. Another realm's window, or anything unknown, is
    // treated as global: fail closed.
    return isInstance(target, EventTargetProto) && !isInstance(target, WindowProto) ? 'own' : 'global';
  }
  const name = call0(nodeNameGetter, target);
  if (name === 'HTML' || name === 'BODY' || name === 'HEAD' || name === 'html' || name === 'body') return 'global';
  if (ownerOf(target) === origin) return 'own';
  // The form fields: INPUT, TEXTAREA, SELECT.
  if (name === 'INPUT' || name === 'TEXTAREA' || name === 'SELECT') {
    return isSensitiveField({
      type: attr(target, 'type'), autocomplete: attr(target, 'autocomplete'),
      name: attr(target, 'name'), id: attr(target, 'id'),
    }, exec) || matchesPolicy(target) ? 'sensitive' : 'field';
  }
  if (t === 1 && apply(elementHasAttribute, target, ['contenteditable'])) return matchesPolicy(target) ? 'sensitive' : 'field';
  return 'element';
}

/**
 * The last answer of aimedAtOwn. Listeners on one node see the same target
 * (retargeting changes it only between nodes); the event and node are held
 * only until the next answer.
 */
const aim: { ev: unknown; at: unknown; origin: string; own: boolean } = objectCreate(null);

/**
 * Whether a third party's listener of `origin` on `at` may hear `ev` while
 * the site is protected: only when it is aimed (as the listener sees it) at
 * something that party owns. A click on the page's button inside the
 * party's box is the page's, not the box's.
 */
export function aimedAtOwn(ev: unknown, at: unknown, origin: string): boolean {
  // One answer per event, listening node and party: a page's field with twenty
  // listeners of one tracker asks twenty times in a row (and no getter runs).
  if (ev === aim.ev && at === aim.at && origin === aim.origin) return aim.own;
  let target: unknown;
  try {
    target = call0(eventTargetGetter, ev);
  } catch (e) {
    failures.brand++; // not an Event: nothing to hear
    return false;
  }
  // Cheap answers first.
  let own = !(target === windowRef || target === documentRef || (nodeTypeOf(target) !== 0 && ownerOf(target) !== origin)
    || classifyTarget(target, origin) !== 'own');
  if (own) {
    // Seen from outside a shadow root, the target is its host: the party's own
    // host may hold the page's node in an open root, which the path shows.
    const path = call0(eventComposedPath, ev) as unknown[];
    const inner = path.length === 0 ? target : path[0];
    // A closed root hides its nodes; if the party put others' nodes in it, its host speaks for them.
    own = (inner === target || classifyTarget(inner, origin) === 'own') && !hidesOthers.has(inner as object);
  }
  aim.ev = ev;
  aim.at = at;
  aim.origin = origin;
  aim.own = own;
  return own;
}

/** Administrator policy: extra selectors that mark a field as sensitive. */
function matchesPolicy(el: object): boolean {
  const sel = state.sensitiveSelector;
  if (sel === '') return false;
  try {
    return apply(elementMatches, el, [sel]) === true;
  } catch (e) {
    return false; // selectors were checked on arrival; a throw here means a foreign node
  }
}
