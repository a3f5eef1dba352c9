// Closed shadow roots: the guard learns which fields the user types into
// from capture listeners on each window, but an event's composed path seen
// from outside a CLOSED shadow root stops at its host. So the guard also
// watches every closed root it is handed: as `Element.attachShadow` makes
// it, and as a component reaches a declarative one (`<template
// shadowrootmode="closed">`, made by the parser with no script call) through
// `ElementInternals.shadowRoot`, the only way any script can reach it. A
// script that grabbed the root then reads the fields inside as they were
// before the user typed, and `innermostFocus` (typed.ts) finds the focused
// field inside.

import type { Feature } from './registry';
import { wrapAccessor, wrapMethod } from '../wrap';
import { apply, shadowModeGetter, shadowHostGetter, call0, protoOf, isObject } from '../natives';
import { closedRoots, watchEdits } from '../typed';

type Attach = (...args: unknown[]) => unknown;

function watchClosed(root: unknown): void {
  // The root's own mode, not the page's init object (a getter could answer twice).
  if (!isObject(root) || call0(shadowModeGetter, root) !== 'closed') return;
  watchEdits(root as unknown as typeof globalThis);
  closedRoots.set(call0(shadowHostGetter, root) as object, root);
}

export const shadow: Feature = {
  name: 'shadow',
  init(win) {
    wrapMethod<Attach>(protoOf(win, 'Element'), 'attachShadow', (native, thisArg, args) => {
      const root = apply(native, thisArg, args);
      watchClosed(root);
      return root;
    });
    wrapAccessor(protoOf(win, 'ElementInternals'), 'shadowRoot', {
      get: (original, internals) => {
        const root = call0(original, internals);
        watchClosed(root);
        return root;
      },
    });
  },
};
