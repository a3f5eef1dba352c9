// Ties code to the script that brought it in, where the engine would name the
// page instead: inline <script> text set through the DOM (the tag-manager
// pattern) gets a `//# sourceURL=` naming its inserter's origin, and blob:
// URLs remember who created them. See docs/threat-model.md, "Attribution".

import type { Feature } from './registry';
import { wrapAccessor, wrapMethod } from '../wrap';
import { apply, getOwnPropertyDescriptor, isInstance, protoOf, each } from '../natives';
import { currentCaller, noteBlob, tagCode } from '../attribution';

type Fn = (...a: unknown[]) => unknown;

export const scripts: Feature = {
  name: 'scripts',
  init(win) {
    const scriptProto = protoOf(win, 'HTMLScriptElement');
    // Only plain strings are tagged: a TrustedScript must reach the engine
    // untouched, and untagged DOM-inserted code counts as third-party anyway.
    const tagged = (value: unknown): unknown => {
      if (typeof value !== 'string' || value.length === 0) return value;
      return tagCode(value, currentCaller());
    };
    const setText = (original: (...a: never[]) => unknown, thisArg: unknown, value: unknown): unknown =>
      apply(original as Fn, thisArg, [isInstance(thisArg, scriptProto) ? tagged(value) : value]);
    // Chromium also defines textContent and innerText on HTMLScriptElement.prototype itself (Trusted Types).
    each(['text', 'textContent', 'innerText'], (name) => {
      if (getOwnPropertyDescriptor(scriptProto, name) !== undefined) wrapAccessor(scriptProto, name, { set: (o, t, v) => apply(o as Fn, t, [tagged(v)]) });
    });
    wrapAccessor(protoOf(win, 'Node'), 'textContent', { set: setText });
    wrapAccessor(protoOf(win, 'HTMLElement'), 'innerText', { set: setText });
    wrapAccessor(protoOf(win, 'Element'), 'innerHTML', { set: setText });
    wrapMethod<Fn>(win.URL, 'createObjectURL', (native, thisArg, args) => {
      const url = apply(native, thisArg, args);
      if (typeof url === 'string') noteBlob(url, currentCaller());
      return url;
    });
  },
};
