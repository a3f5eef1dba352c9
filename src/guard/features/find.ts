// window.find() searches the page's text, and Chromium's search also reads
// the text typed into fields: a third party asking for '4', '41', '411'...
// reads a card number back a digit at a time (measured). Once the user has
// typed into any field, a third party's search finds nothing and moves no
// selection. Firefox does not search fields, but the rule is the same in
// both: a search that still answered for the page's own text would tell a
// typed string by a false where the page shows it.

import type { Feature } from './registry';
import { apply, call0, getOwnPropertyDescriptor, protoIfAny, windowParentGetter } from '../natives';
import { wrapMethod } from '../wrap';
import { mustHideInput, taintStats } from '../typed';

type Fn = (...a: unknown[]) => unknown;

export const find: Feature = {
  name: 'find',
  init(win) {
    // Chromium keeps Window's operations on the window itself.
    const holder = getOwnPropertyDescriptor(win, 'find') !== undefined ? win : protoIfAny(win, 'Window');
    if (holder === undefined || typeof (holder as { find?: unknown }).find !== 'function') return;
    /** Whether `self` is a window (of any realm) or stands for this one: anything else gets the native's error. */
    const searches = (self: unknown): boolean => {
      if (self === undefined || self === null) return true;
      try {
        call0(windowParentGetter, self);
        return true;
      } catch (e) {
        return false; // not a window: the native throws its own error for it
      }
    };
    wrapMethod<Fn>(holder, 'find', (original, self, args) =>
      (taintStats.fields !== 0 && searches(self) && mustHideInput('value', 'find') ? false : apply(original, self, args)));
  },
};
