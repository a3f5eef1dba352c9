// Element.attachShadow: the guard learns which fields the user types into
// from capture listeners on each window, but an event's composed path seen
// from outside a CLOSED shadow root stops at its host. So the guard also
// watches every closed root as it is attached; a script that grabbed the
// root (by replacing attachShadow before the page's components ran) then
// reads the fields inside as what they held before the user typed.
// Declarative closed roots (`<template shadowrootmode="closed">`) are made by
// the parser without this call: see docs/threat-model.md.

import type { Feature } from './registry';
import { wrapMethod } from '../wrap';
import { apply, shadowModeGetter, call0, protoOf } from '../natives';
import { watchEdits } from '../typed';

type Attach = (...args: unknown[]) => unknown;

export const shadow: Feature = {
  name: 'shadow',
  init(win) {
    wrapMethod<Attach>(protoOf(win, 'Element'), 'attachShadow', (native, thisArg, args) => {
      const root = apply(native, thisArg, args);
      // The root's own mode, not the page's init object (a getter could answer twice).
      if (shadowModeGetter !== undefined && call0(shadowModeGetter, root) === 'closed') watchEdits(root as unknown as typeof globalThis);
      return root;
    });
  },
};
