// Constraint validation asks questions of a field's value: does it match this
// pattern, is it shorter than 8, above this number? A third party's own
// questions are answered "valid" (values.ts, selectors.ts), but the browser
// asks them as well: form.checkValidity() and reportValidity(),
// requestSubmit() (the submit event fires only when every field is valid),
// `invalid` events, :invalid styles. A third party that put its own pattern
// on the page's card field read the number back a digit at a time through
// form.checkValidity() (measured, both engines). So a third party may not add
// or change the constraints of a field it does not own: its writes of
// pattern, minlength, maxlength, min, max, step and required, through the
// attribute or its property, are not applied (answered as if done) and
// tallied. The page's own constraints keep working, and what they say of a
// field is what the user is shown too. The attribute methods are wrapped in
// inline-handlers.ts, which asks constraintDenied before each write.

import type { Feature } from './registry';
import { apply, each, elementHasAttribute, getOwnPropertyDescriptor, objectCreate, protoIfAny, protoOf } from '../natives';
import { wrapAccessor, wrapMethod } from '../wrap';
import { currentCaller } from '../attribution';
import { classifyTarget } from '../targets';
import { report } from '../report';
import { state } from '../state';
import { nodeName } from '../typed';
import { lower } from '../../shared/stack';

type Fn = (...a: unknown[]) => unknown;

/** Attribute (lowercase) -> its reflecting property. */
const CONSTRAINTS: Record<string, string> = objectCreate(null);
each(['pattern', 'minLength', 'maxLength', 'min', 'max', 'step', 'required'], (p) => { CONSTRAINTS[lower(p)] = p; });

/**
 * Whether writing attribute `name` on `el` (an HTML attribute name, any
 * case) must not happen for the caller: a constraint on a field it does not own.
 */
export function constraintDenied(el: unknown, name: unknown, api: string): boolean {
  if (typeof name !== 'string' || CONSTRAINTS[lower(name)] === undefined || state.mode === 'off') return false;
  const tag = nodeName(el);
  if (tag !== 'INPUT' && tag !== 'TEXTAREA' && tag !== 'SELECT') return false;
  const caller = currentCaller();
  if (caller.party === 'first') return false;
  const cls = classifyTarget(el, caller.origin);
  if (cls === 'own') return false;
  report('value', `${api}:${lower(name)}`, caller, false, cls);
  return state.mode === 'protect';
}

export const constraints: Feature = {
  name: 'constraints',
  init(win) {
    // The reflecting properties, where each field type has them.
    each(['HTMLInputElement', 'HTMLTextAreaElement', 'HTMLSelectElement'], (type) => {
      const proto = protoIfAny(win, type);
      if (proto === undefined) return;
      for (const attr in CONSTRAINTS) {
        const prop = CONSTRAINTS[attr] as string;
        if (getOwnPropertyDescriptor(proto, prop)?.set === undefined) continue;
        wrapAccessor(proto, prop, {
          set: (native, el, v) => (constraintDenied(el, attr, prop) ? undefined : apply(native as Fn, el, [v])),
        });
      }
    });
    wrapMethod<Fn>(protoOf(win, 'Element'), 'toggleAttribute', (native, el, args) => {
      if (args.length === 0) return apply(native, el, args);
      // Converted once, and the native handed the name checked.
      const name = args[0] = `${args[0] as string}`;
      // Denied: the answer of a call that changed nothing.
      return constraintDenied(el, name, 'toggleAttribute') ? apply(elementHasAttribute, el, [name]) : apply(native, el, args);
    });
  },
};
