// Selector matching as an oracle on what was typed. `field.matches(':invalid')`
// with the page's own `pattern` is the constraint-validation oracle without
// `validity`; `:placeholder-shown` tells empty from not, `:in-range` a range,
// `:checked` a select's choice, and `[value^="a"]` reads a value attribute
// the page mirrors the typed text into (React does). Each is a yes/no
// question about the typed text, and through combinators and `:has()` it can
// be asked of any element. So once a field is typed, a third party whose
// selector names such state gets the answer for "no element": `false`, `null`
// or an empty list, whatever was typed. First parties, and every selector
// that names no such state, get the native answer. Stylesheet rules and
// computed styles are not covered: see docs/threat-model.md.

import type { Feature } from './registry';
import { apply, exec, protoOf, each } from '../natives';
import { wrapMethod } from '../wrap';
import { mustDeny, taintStats } from '../typed';

type Fn = (...a: unknown[]) => unknown;

const STATE = /:(?:user-)?(?:in)?valid|:(?:in|out-of)-range|:placeholder-shown|:checked|\[\s*value\b/i;
const NOTHING = [':not(*)'];

/** Whether the caller must get the answer for no element (the selector is converted once, as the native would). */
function denied(self: unknown, args: unknown[]): boolean {
  if (taintStats.fields === 0 || args.length === 0) return false;
  const sel = `${args[0] as string}`;
  args[0] = sel;
  return exec(STATE, sel) !== null && mustDeny(self as object, 'selector', undefined);
}

export const selectors: Feature = {
  name: 'selectors',
  init(win) {
    const el = protoOf(win, 'Element');
    each([el, protoOf(win, 'Document'), protoOf(win, 'DocumentFragment')], (holder) => {
      each(['matches', 'webkitMatchesSelector', 'closest', 'querySelector', 'querySelectorAll'], (name) => {
        if (holder !== el && name[0] !== 'q') return;
        wrapMethod<Fn>(holder, name, (native, self, args) => {
          const no = denied(self, args);
          // The native runs either way, so a bad selector throws as it would.
          const r = apply(native, self, args);
          if (!no) return r;
          // An empty static NodeList of the native's own making, from the caller's realm.
          if (name === 'querySelectorAll') return apply(native, self, NOTHING);
          return name[0] === 'm' || name[0] === 'w' ? false : null;
        });
      });
    });
  },
};
