// Ties code to the script that brought it in, where the engine would name the
// page instead: inline <script> text set through the DOM (the tag-manager
// pattern) gets a `//# sourceURL=` naming its inserter's origin, and blob:
// URLs remember who created them. See docs/threat-model.md, "Attribution".

import type { Feature } from './registry';
import { wrapAccessor, wrapMethod } from '../wrap';
import { apply, getOwnPropertyDescriptor, isInstance, protoOf, each, elementGetAttribute, exec, call0, protoGetter } from '../natives';
import { bindTag, currentCaller, noteBlob, tagFor, withTag } from '../attribution';

type Fn = (...a: unknown[]) => unknown;

/**
 * The script types a browser runs (HTML's JavaScript MIME types, `module`,
 * none): a data block (JSON, an import map, speculation rules, a template)
 * must read back exactly as written, so it is never tagged.
 */
const RUNS = /^\s*(?:module|(?:text|application)\/(?:x-)?(?:java|ecma)script|text\/(?:javascript1\.[0-5]|jscript|livescript))?\s*$/i;
const textOf = protoGetter(Node, 'textContent');
const runs = (el: unknown): boolean => {
  try {
    return exec(RUNS, (apply(elementGetAttribute, el, ['type']) as string | null) ?? '') !== null;
  } catch (e) {
    return false; // not an element: the native setter throws its own error
  }
};

export const scripts: Feature = {
  name: 'scripts',
  init(win) {
    const scriptProto = protoOf(win, 'HTMLScriptElement');
    // Only plain strings are tagged: a TrustedScript must reach the engine
    // untouched, and untagged DOM-inserted code counts as third-party anyway.
    // The type is read as the text is set: a script made runnable afterwards
    // runs untagged (third-party), fail closed.
    const setScript = (original: (...a: never[]) => unknown, thisArg: unknown, value: unknown): unknown => {
      if (typeof value !== 'string' || value === '' || !runs(thisArg)) return apply(original as Fn, thisArg, [value]);
      const caller = currentCaller();
      const tag = tagFor(caller);
      const r = apply(original as Fn, thisArg, [withTag(value, tag)]);
      if (caller.party === 'first') bindTag(tag, call0(textOf, thisArg));
      return r;
    };
    const setText = (original: (...a: never[]) => unknown, thisArg: unknown, value: unknown): unknown =>
      isInstance(thisArg, scriptProto) ? setScript(original, thisArg, value) : apply(original as Fn, thisArg, [value]);
    // Chromium also defines textContent and innerText on HTMLScriptElement.prototype itself (Trusted Types).
    each(['text', 'textContent', 'innerText'], (name) => {
      if (getOwnPropertyDescriptor(scriptProto, name) !== undefined) wrapAccessor(scriptProto, name, { set: setScript });
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
