// Which option of a typed select the user chose, beyond its `value` (guarded
// in values.ts): `selectedIndex`, `options.selectedIndex`, each option's
// `selected` and `selectedOptions`. A denied caller gets the choice as it
// stood before the user's first edit (`:checked` selectors: selectors.ts).

import type { Feature } from './registry';
import { apply, isObject, optionIndexGetter, parentNodeGetter, SafeWeakMap, call0, protoOf, nodeClone, selectIndexSetter } from '../natives';
import { wrapAccessor } from '../wrap';
import { deniedRead, nodeName, taintStats, type Taint } from '../typed';

type Fn = (...a: unknown[]) => unknown;

/** HTMLOptionsCollection -> its select, learned when the page reads `select.options`. */
const optionsOwner = new SafeWeakMap<object, object>();

const index = (t: Taint): number => (t.sensitive ? -1 : t.pristineIndex);

/** An option's select: its parent, or its optgroup's parent. */
function selectOf(option: unknown): unknown {
  let p = call0(parentNodeGetter, option);
  if (nodeName(p) === 'OPTGROUP') p = call0(parentNodeGetter, p);
  return nodeName(p) === 'SELECT' ? p : undefined;
}

const INDEX = 'selectedIndex';

export const select: Feature = {
  name: 'select',
  init(win) {
    const sel = protoOf(win, 'HTMLSelectElement');
    wrapAccessor(sel, INDEX, {
      get: (original, el) => {
        const v = call0(original, el);
        const t = deniedRead(el, INDEX);
        return t !== undefined ? index(t) : v;
      },
    });
    // A live collection cannot be made to order: a denied caller gets that of
    // a detached copy set to the pristine choice (copies of the options, then).
    wrapAccessor(sel, 'selectedOptions', {
      get: (original, el) => {
        const t = deniedRead(el, 'selectedOptions');
        if (t === undefined) return call0(original, el);
        const copy = apply(nodeClone, el, [true]);
        apply(selectIndexSetter as Fn, copy, [index(t)]);
        return call0(original, copy);
      },
    });
    wrapAccessor(sel, 'options', {
      get: (original, el) => {
        const c = call0(original, el);
        if (isObject(c)) optionsOwner.set(c, el as object);
        return c;
      },
    });
    wrapAccessor(protoOf(win, 'HTMLOptionsCollection'), INDEX, {
      get: (original, c) => {
        const v = call0(original, c);
        const t = isObject(c) ? deniedRead(optionsOwner.get(c), 'options.selectedIndex') : undefined;
        return t !== undefined ? index(t) : v;
      },
    });
    wrapAccessor(protoOf(win, 'HTMLOptionElement'), 'selected', {
      get: (original, option) => {
        const v = call0(original, option);
        const t = taintStats.fields === 0 ? undefined : deniedRead(selectOf(option), 'option.selected');
        return t !== undefined ? call0(optionIndexGetter, option) === index(t) : v;
      },
    });
  },
};
