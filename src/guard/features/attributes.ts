// The `value` attribute of typed fields. Frameworks mirror what the user
// types into it (React sets it on every change of a controlled input), so
// reading the attribute would read the typed text. A denied caller reading it
// through getAttribute/getAttributeNS, an Attr node's `value`
// (getAttributeNode, `attributes`) or a MutationRecord's oldValue gets the
// attribute as it was before the user typed.
// Markup snapshots are guarded by markup.ts, attribute selectors by
// selectors.ts; what stays open is in docs/threat-model.md.

import type { Feature } from './registry';
import { apply, attrLocalNameGetter, attrOwnerElementGetter, recordAttributeGetter, recordTargetGetter, toLowerCase, call0, protoOf } from '../natives';
import { wrapAccessor, wrapMethod } from '../wrap';
import { deniedRead, shownDefault, taintStats } from '../typed';

type Fn = (...a: unknown[]) => unknown;

// What a denied caller sees: the attribute before the user typed (shownDefault).
export const attributes: Feature = {
  name: 'attributes',
  init(win) {
    const el = protoOf(win, 'Element');
    for (let i = 0; i < 2; i++) {
      const m = i === 0 ? 'getAttribute' : 'getAttributeNS';
      wrapMethod<Fn>(el, m, (native, thisArg, args) => {
        if (taintStats.fields === 0 || args.length <= i) return apply(native, thisArg, args);
        // Convert the name once, as the native would, and hand it that same string.
        const name = `${args[i] as string}`;
        args[i] = name;
        const result = apply(native, thisArg, args);
        const t = typeof result === 'string' && name.length === 5 && call0(toLowerCase, name) === 'value' ? deniedRead(thisArg, m) : undefined;
        return t !== undefined ? shownDefault(t) : result;
      }, true);
    }
    // An Attr node's value. Not Node's nodeValue/textContent, which also read
    // an Attr: they are among the hottest getters of every page, and in
    // Firefox any JavaScript getter in place of a DOM one costs 100x.
    wrapAccessor(protoOf(win, 'Attr'), 'value', {
      get: (original, attr) => {
        // The native first: it throws its own error for a receiver that is not an Attr.
        const v = call0(original, attr);
        const t = taintStats.fields !== 0 && call0(attrLocalNameGetter, attr) === 'value'
          ? deniedRead(call0(attrOwnerElementGetter, attr), 'Attr.value') : undefined;
        return t !== undefined ? shownDefault(t) : v;
      },
    });
    wrapAccessor(protoOf(win, 'MutationRecord'), 'oldValue', {
      get: (original, record) => {
        const old = call0(original, record);
        const t = taintStats.fields !== 0 && typeof old === 'string' && call0(recordAttributeGetter, record) === 'value'
          ? deniedRead(call0(recordTargetGetter, record), 'MutationRecord.oldValue') : undefined;
        return t !== undefined ? shownDefault(t) : old;
      },
    });
  },
};
