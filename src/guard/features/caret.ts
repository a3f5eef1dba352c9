// document.caretPositionFromPoint() answers, for a point inside a field, the
// field and the character offset there: scanning across a password field
// reads its length, and across a text field the width of each character
// (measured in both engines). A denied caller gets null for a point inside a
// typed field, as for a point with no caret position.

import type { Feature } from './registry';
import { apply, call0, getterOf, isObject, protoIfAny } from '../natives';
import { wrapMethod } from '../wrap';
import { mustDeny, taintOf } from '../typed';

type Fn = (...a: unknown[]) => unknown;

export const caret: Feature = {
  name: 'caret',
  init(win) {
    const doc = protoIfAny(win, 'Document');
    const position = protoIfAny(win, 'CaretPosition');
    const nodeGetter = position === undefined ? undefined : getterOf(position, 'offsetNode');
    if (doc === undefined || nodeGetter === undefined || typeof (doc as { caretPositionFromPoint?: unknown }).caretPositionFromPoint !== 'function') return;
    wrapMethod<Fn>(doc, 'caretPositionFromPoint', (original, self, args) => {
      const pos = apply(original, self, args);
      if (!isObject(pos)) return pos;
      const field = call0(nodeGetter, pos);
      const t = taintOf(field);
      return t !== undefined && mustDeny(field as object, 'caretPositionFromPoint', t) ? null : pos;
    });
  },
};
