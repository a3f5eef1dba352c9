// The `value` attribute of typed fields. Frameworks mirror what the user
// types into it (React sets it on every change of a controlled input), so
// reading the attribute would read the typed text. A denied caller reading it
// through getAttribute/getAttributeNS, an Attr node's `value`
// (getAttributeNode, `attributes`) or a MutationRecord's oldValue gets the
// attribute as it was before the user typed.
// The records themselves count the keys: a framework that mirrors each key
// hands an observer one `value` record per key, so a third party's observer
// is not handed those of a field whose length is hidden from it (password,
// card, one-time code, email), through its callback or takeRecords().
// Markup snapshots are guarded by markup.ts, attribute selectors by
// selectors.ts; what stays open is in docs/threat-model.md.

import type { Feature } from './registry';
import {
  apply, attrLocalNameGetter, attrOwnerElementGetter, recordAttributeGetter, recordTargetGetter, toLowerCase, call0, protoOf,
  isObject, SafeWeakMap, without,
} from '../natives';
import { constructNative, wrapAccessor, wrapConstructor, wrapMethod } from '../wrap';
import { currentCaller } from '../attribution';
import { state } from '../state';
import { deniedRead, lengthHidden, shownDefault, taintOf, taintStats } from '../typed';

type Fn = (...a: unknown[]) => unknown;

/** A third party's MutationObserver -> the origin that made it. */
const thirdParty = new SafeWeakMap<object, string>();

/** `records` less the `value` records of fields whose length is hidden from `origin`. */
function kept(records: unknown[], origin: string): unknown[] {
  if (taintStats.fields === 0 || state.mode !== 'protect' || state.trusted[origin] === true) return records;
  return without(records, (r) => {
    const target = call0(recordAttributeGetter, r) === 'value' ? call0(recordTargetGetter, r) : undefined;
    const t = target === undefined ? undefined : taintOf(target);
    return t !== undefined && lengthHidden(target, t, origin);
  });
}

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
    wrapConstructor<Fn>(win, 'MutationObserver', (original, args, newTarget) => {
      const callback = args[0];
      const caller = typeof callback === 'function' ? currentCaller() : undefined;
      // A first party's observer is the native's own; a bad callback gets the native's error.
      if (caller === undefined || caller.party === 'first') return constructNative(original, args, newTarget as Fn) as object;
      const origin = caller.origin;
      const observer = constructNative(original, [function (this: unknown, records: unknown[], self: unknown): unknown {
        const left = kept(records, origin);
        // Nothing left: natively an observer is never called with no record.
        return left.length === 0 ? undefined : apply(callback as Fn, this, [left, self]);
      }], newTarget as Fn) as object;
      thirdParty.set(observer, origin);
      return observer;
    });
    wrapMethod<Fn>(protoOf(win, 'MutationObserver'), 'takeRecords', (native, observer, args) => {
      const records = apply(native, observer, args) as unknown[];
      const origin = isObject(observer) ? thirdParty.get(observer) : undefined;
      return origin === undefined ? records : kept(records, origin);
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
