// Markup serialisation of typed fields. Frameworks copy what the user types
// into the page's markup: React into a controlled input's `value` attribute
// and a controlled textarea's text. A recorder that snapshots the page as
// markup (outerHTML/innerHTML of an ancestor, getHTML, XMLSerializer) would
// read it there. A denied caller gets the markup of a copy in which each such
// field holds its default as before the user typed. The copy is made in an
// inert document, so no custom element constructor, observer or guard hook
// runs for it.

import type { Feature } from './registry';
import {
  apply, appendChildNative, call0, childNodesGetter, createHTMLDocumentNative, documentRef, each, getOwnPropertyDescriptor,
  implementationGetter, importNodeNative, inputDefaultValueGetter, inputDefaultValueSetter, nodeClone, nodeListItem,
  nodeListLength, protoOf, shadowHostGetter, textareaDefaultValueGetter, textareaDefaultValueSetter, newList,
} from '../natives';
import { wrapAccessor, wrapMethod } from '../wrap';
import { deniedRead, nodeName, shownDefault, taintOf, taintStats } from '../typed';
import { nodeTypeOf, queryAll } from '../targets';

type Fn = (...a: unknown[]) => unknown;

const FIELDS = 'input,textarea';
let inert: unknown;

/** A copy of `node` in the inert document; a shadow root's is a copy of its host holding copies of its children. */
function copyOf(node: unknown): unknown {
  if (nodeTypeOf(node) === 9) return apply(nodeClone, node, [true]);
  inert ??= apply(createHTMLDocumentNative, call0(implementationGetter, documentRef), ['']);
  try {
    return apply(importNodeNative, inert, [node, true]);
  } catch (e) {
    // A shadow root cannot be imported (the native throws for it alone among
    // the nodes that reach here); its host's shell serialises its children alike.
  }
  const copy = apply(importNodeNative, inert, [call0(shadowHostGetter, node), false]);
  const kids = call0(childNodesGetter, node);
  const n = call0(nodeListLength, kids) as number;
  for (let i = 0; i < n; i++) apply(appendChildNative, copy, [apply(importNodeNative, inert, [apply(nodeListItem, kids, [i]), true])]);
  return copy;
}

/**
 * `run(node)`, unless `node` holds typed fields whose markup no longer shows
 * their pristine default and the caller may not read them: then `run` of a
 * copy in which those fields show it.
 */
function serialise(node: unknown, api: string, run: (n: unknown) => unknown): unknown {
  if (taintStats.fields === 0) return run(node);
  const fields = queryAll(node, FIELDS, true);
  const at = newList<number>();
  const shown = newList<string>();
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as object;
    const t = taintOf(f);
    if (t === undefined) continue;
    const area = nodeName(f) === 'TEXTAREA';
    const s = shownDefault(t);
    if (call0(area ? textareaDefaultValueGetter : inputDefaultValueGetter, f) !== s && deniedRead(f, api) !== undefined) {
      at[at.length] = i;
      shown[shown.length] = s;
    }
  }
  if (at.length === 0) return run(node);
  const copy = copyOf(node);
  // Same document order on both sides: the i-th field of the copy is the copy of the i-th.
  const copies = queryAll(copy, FIELDS, true);
  for (let j = 0; j < at.length; j++) {
    const c = copies[at[j] as number];
    apply((nodeName(c) === 'TEXTAREA' ? textareaDefaultValueSetter : inputDefaultValueSetter) as Fn, c, [shown[j]]);
  }
  return run(copy);
}

export const markup: Feature = {
  name: 'markup',
  init(win) {
    const el = protoOf(win, 'Element');
    each(['innerHTML', 'outerHTML', 'getHTML'], (name) => {
      const d = getOwnPropertyDescriptor(el, name);
      // The copy of a shadow root is an element: serialised by Element's native.
      const forElement = (d?.get ?? d?.value) as Fn;
      each([el, protoOf(win, 'ShadowRoot')], (holder) => {
        if (getOwnPropertyDescriptor(holder, name) === undefined) return;
        const run = (native: Fn, self: unknown, args: unknown[]): unknown =>
          serialise(self, name, (n) => apply(n === self ? native : forElement, n, args));
        if (name === 'getHTML') wrapMethod<Fn>(holder, name, run);
        else wrapAccessor(holder, name, { get: (native, self) => run(native as Fn, self, []) });
      });
    });
    wrapMethod<Fn>(protoOf(win, 'XMLSerializer'), 'serializeToString', (native, self, args) =>
      serialise(args[0], 'serializeToString', (n) => apply(native, self, n === args[0] ? args : [n])));
  },
};
