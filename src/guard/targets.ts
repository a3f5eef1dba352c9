// Classifies the target of a hook and tracks which elements a third-party
// script created itself (its widget), which it may listen to freely.

import type { TargetClass } from '../shared/types';
import { isSensitiveField } from '../shared/sensitive';
import {
  apply, DocumentCtor, documentRef, elementGetAttribute, elementHasAttribute, exec, isInstance,
  nodeNameGetter, parentNodeGetter, SafeWeakMap, shadowHostGetter, windowRef,
} from './natives';

/** Element -> origin of the third-party script that created it. */
const createdBy = new SafeWeakMap<object, string>();

export function markCreated(node: object, origin: string): void {
  createdBy.set(node, origin);
}

const ShadowRootProto = ShadowRoot.prototype;
const DocumentProto = DocumentCtor.prototype;
const NodeProto = Node.prototype;
const ElementProto = Element.prototype;

function parentOf(node: object): object | null {
  const p = apply(parentNodeGetter as () => unknown, node, []) as object | null;
  if (p !== null) return p;
  // Step out of a shadow root to its host, so a widget's shadow tree counts as its own.
  if (isInstance(node, ShadowRootProto)) return apply(shadowHostGetter as () => unknown, node, []) as object | null;
  return null;
}

function attr(el: object, name: string): string {
  // Only called for INPUT/TEXTAREA/SELECT, which are Elements.
  const v = apply(elementGetAttribute, el, [name]);
  return typeof v === 'string' ? v : '';
}

const FIELD_NAMES: Record<string, true> = Object.create(null);
FIELD_NAMES.INPUT = true;
FIELD_NAMES.TEXTAREA = true;
FIELD_NAMES.SELECT = true;

/**
 * What a hook on `target` by a script of `origin` is aimed at. Window,
 * document, the root element and body are `global`; an element that script
 * created (or anything inside one) is `own`.
 */
export function classifyTarget(target: unknown, origin: string): TargetClass {
  if (target === windowRef || target === documentRef || target === null || typeof target !== 'object') return 'global';
  if (isInstance(target, DocumentProto)) return 'global';
  // Non-node targets (MediaQueryList 'change', XHR, sockets) carry no user input.
  if (!isInstance(target, NodeProto)) return 'own';
  const name = nodeNameGetter ? apply(nodeNameGetter, target, []) : '';
  if (name === 'HTML' || name === 'BODY' || name === 'HEAD' || name === 'html' || name === 'body') return 'global';
  for (let n: object | null = target as object, depth = 0; n !== null && depth < 256; n = parentOf(n), depth++) {
    const owner = createdBy.get(n);
    if (owner !== undefined) {
      if (owner === origin) return 'own';
      break;
    }
  }
  if (typeof name === 'string' && FIELD_NAMES[name] === true) {
    return isSensitiveField({
      type: attr(target, 'type'), autocomplete: attr(target, 'autocomplete'),
      name: attr(target, 'name'), id: attr(target, 'id'),
    }, exec) ? 'sensitive' : 'field';
  }
  if (isInstance(target, ElementProto) && apply(elementHasAttribute, target, ['contenteditable'])) return 'field';
  return 'element';
}
