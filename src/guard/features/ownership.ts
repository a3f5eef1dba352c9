// Document.createElement / createElementNS: remembers which third-party
// script created an element, so its own widget (inputs, buttons, containers)
// keeps working while the page's fields stay off limits.

import type { Feature } from './registry';
import { wrapMethod } from '../wrap';
import { apply } from '../natives';
import { currentCaller } from '../attribution';
import { markCreated } from '../targets';

type Create = (...args: unknown[]) => unknown;

export const ownership: Feature = {
  name: 'ownership',
  init(win) {
    const proto = win.Document.prototype;
    for (const name of ['createElement', 'createElementNS']) {
      wrapMethod<Create>(proto, name, (native, thisArg, args) => {
        const el = apply(native, thisArg, args);
        const caller = currentCaller();
        if (caller.party === 'third' && typeof el === 'object' && el !== null) markCreated(el, caller.origin);
        return el;
      });
    }
  },
};
