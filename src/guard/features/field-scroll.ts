// Scroll geometry of a typed field. A field too narrow for its text scrolls
// as the user types: scrollLeft and scrollWidth (scrollTop and scrollHeight
// in a textarea, Gecko's scrollLeftMax and scrollTopMax) grow with every key
// past its width, about 8 px a character, and give a password's length
// without reading it (measured in both engines; rrweb records the scroll
// position of every element it sees scroll). A caller denied the field's
// length gets it as it stands with nothing to scroll. Its scroll events are
// withheld from such callers' listeners (listeners.ts, handler-props.ts).

import type { Feature } from './registry';
import { call0, each, getterOf, protoOf } from '../natives';
import { wrapAccessor } from '../wrap';
import { lengthHidden, mustDeny, taintOf } from '../typed';

type Getter = (...a: unknown[]) => unknown;

export const fieldScroll: Feature = {
  name: 'field-scroll',
  init(win) {
    const proto = protoOf(win, 'Element');
    const clientWidth = getterOf(proto, 'clientWidth') as Getter;
    const clientHeight = getterOf(proto, 'clientHeight') as Getter;
    // What each getter says of a field with nothing to scroll: no offset,
    // and a content box the size of the field's client box.
    each(['scrollLeft', 'scrollTop', 'scrollLeftMax', 'scrollTopMax', 'scrollWidth', 'scrollHeight'], (name) => {
      // Gecko alone has the *Max getters; a getter the engine lacks is left alone.
      if (getterOf(proto, name) === undefined) return;
      const size = name === 'scrollWidth' ? clientWidth : name === 'scrollHeight' ? clientHeight : undefined;
      wrapAccessor(proto, name, {
        get: (original, el) => {
          // One WeakMap lookup for every element that was never typed into;
          // the caller (a stack) only for a field whose length is hidden.
          const t = taintOf(el);
          if (t !== undefined && lengthHidden(el, t, '') && mustDeny(el as object, name, t)) return size === undefined ? 0 : call0(size, el);
          return call0(original, el);
        },
      });
    });
  },
};
