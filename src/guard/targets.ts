// Classifies the target of a hook and tracks which elements a third-party
// script created itself (its widget), which it may listen to freely.

import type { TargetClass } from '../shared/types';
import { isSensitiveField } from '../shared/sensitive';
import { state } from './state';
import {
  apply, documentRef, elementGetAttribute, elementHasAttribute, elementMatches, exec, isInstance,
  nodeNameGetter, nodeTypeGetter, parentNodeGetter, SafeWeakMap, shadowHostGetter, windowRef, isObject, call0,
  documentQueryAll, elementQueryAll, fragmentQueryAll, nodeListItem, nodeListLength, newList,
} from './natives';

/** Element -> origin of the third-party script that created it. */
const createdBy = new SafeWeakMap<object, string>();

export function markCreated(node: object, origin: string): void {
  createdBy.set(node, origin);
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

/**
 * What a hook on `target` by a script of `origin` is aimed at. Window,
 * document, the root element and body are `global`; an element that script
 * created (or anything inside one) is `own`.
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
  for (let n: object | null = target as object, depth = 0; n !== null && depth < 256; n = parentOf(n), depth++) {
    const owner = createdBy.get(n);
    if (owner !== undefined) {
      if (owner === origin) return 'own';
      break;
    }
  }
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
