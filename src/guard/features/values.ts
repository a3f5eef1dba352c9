// Reads of what the user typed: value and its relatives, selection offsets,
// the selected text, constraint-validation answers, FormData (constructor and
// the formdata event) and copies made with cloneNode/importNode.
//
// A denied read answers as the field stood before the user's first edit: its
// pristine value ('' for password, card, one-time-code and email fields, so
// not even the length leaks), caret offsets 0, a valid validity state.

import type { Feature } from './registry';
import {
  apply, construct, activeElementGetter, collectionItem, collectionLength,
  elementGetAttribute, eventTargetGetter, formDataAppend, formDataForEach, formElementsGetter,
  getterOf, objectCreate, SafeWeakMap, isObject, call0, protoOf,
  inputValueGetter, textareaValueGetter, selectValueGetter, formDataDelete, FormDataCtor,
} from '../natives';
import { constructNative, wrapAccessor, wrapConstructor, wrapCopies, wrapMethod } from '../wrap';
import { innermostFocus, mustDeny, nodeName, shareTaint, shownDefault, taintOf, taintStats, watchEdits, type Taint } from '../typed';
import { classifyTarget, queryAll } from '../targets';

type Fn = (...a: unknown[]) => unknown;
type AnyFn = (...args: never[]) => unknown;
const NO_ARGS: unknown[] = [];

/** Wraps a getter so a denied read of a typed field gets `denied(taint, native)`. */
function guardGetter(proto: object, name: string, denied: (t: Taint, native: () => unknown) => unknown): void {
  const original = getterOf(proto, name);
  if (original === undefined) return;
  // Reflect.apply with one shared empty list measured fastest in both engines.
  wrapAccessor(proto, name, {
    get: (_original, el) => {
      const t = taintOf(el);
      if (t !== undefined && mustDeny(el as object, name, t)) return denied(t, () => apply(original, el, NO_ARGS));
      return apply(original, el, NO_ARGS);
    },
  });
}

const shownValue = (t: Taint): string => (t.sensitive ? '' : t.pristine);
// Caret offsets: keep the native's null for types without a selection.
const caret = (_t: Taint, native: () => unknown): unknown => (native() === null ? null : 0);

/** ValidityState -> the field it describes. */
const validityOwner = new SafeWeakMap<object, object>();
export const VALIDITY_FLAGS = [
  'valueMissing', 'typeMismatch', 'patternMismatch', 'tooLong', 'tooShort', 'rangeUnderflow',
  'rangeOverflow', 'stepMismatch', 'badInput', 'customError', 'valid',
];

function nameOf(el: object): string {
  const v = apply(elementGetAttribute, el, ['name']);
  return typeof v === 'string' ? v : '';
}

interface Swap { name: string; real: unknown; shown: string; done: boolean }

/**
 * The form data a third-party caller may see: entries that came from typed
 * fields it may not read (`deny`) carry the pristine value instead. Returns `fd`
 * itself when nothing needed hiding.
 */
function visibleFormData(fd: object, form: unknown, deny: (el: object, t: Taint) => boolean, makeEmpty: () => object): object {
  if (taintStats.fields === 0 || nodeName(form) !== 'FORM') return fd;
  const elements = call0(formElementsGetter, form) as object;
  const n = call0(collectionLength, elements) as number;
  // A null-prototype store: an index setter the page put on Array.prototype
  // would otherwise be handed the real values.
  const swaps: Record<number, Swap> = objectCreate(null);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const el = apply(collectionItem, elements, [i]) as object;
    const t = taintOf(el);
    if (t === undefined) continue;
    const fieldName = nameOf(el);
    if (fieldName === '' || !deny(el, t)) continue;
    // The saved natives (natives.ts) read a field of any same-origin realm.
    const getter = nodeName(el) === 'TEXTAREA' ? textareaValueGetter : nodeName(el) === 'SELECT' ? selectValueGetter : inputValueGetter;
    swaps[count++] = { name: fieldName, real: call0(getter, el), shown: shownValue(t), done: false };
  }
  if (count === 0) return fd;
  const out = makeEmpty();
  apply(formDataForEach, fd, [(v: unknown, k: unknown) => {
    let value = v;
    for (let i = 0; i < count; i++) {
      const s = swaps[i] as Swap;
      if (!s.done && s.name === k && s.real === v) { value = s.shown; s.done = true; break; }
    }
    apply(formDataAppend, out, [k, value]);
  }]);
  return out;
}

/**
 * Puts into `fd` (a submission's entry list) what a denied read of `form`'s
 * typed fields would see, for every field `origin` does not own: the
 * submission a third party arranged (form-attributes.ts) carries no typed value.
 */
export function hideTypedEntries(fd: object, form: unknown, origin: string): void {
  const shown = visibleFormData(fd, form, (el) => classifyTarget(el, origin) !== 'own', () => construct(FormDataCtor, []) as object);
  if (shown === fd) return;
  const names: Record<string, true> = objectCreate(null);
  apply(formDataForEach, fd, [(_v: unknown, k: unknown) => { names[k as string] = true; }]);
  for (const k in names) apply(formDataDelete, fd, [k]);
  apply(formDataForEach, shown, [(v: unknown, k: unknown) => { apply(formDataAppend, fd, [k, v]); }]);
}

/** Copies carry the taint of the typed fields they copy (and of their descendants). */
function carryTaint(src: unknown, copy: unknown, deep: boolean): void {
  if (taintStats.fields === 0 || !isObject(src) || !isObject(copy)) return;
  shareTaint(src, copy);
  if (!deep) return;
  // Same document order on both sides, so the i-th field of the copy is the copy of the i-th.
  const a = queryAll(src, 'input,textarea,select');
  const b = queryAll(copy, 'input,textarea,select');
  if (a.length !== b.length) return;
  for (let i = 0; i < a.length; i++) shareTaint(a[i] as object, b[i] as object);
}

export const values: Feature = {
  name: 'values',
  init(win) {
    watchEdits(win);
    const input = protoOf(win, 'HTMLInputElement');
    const textarea = protoOf(win, 'HTMLTextAreaElement');
    const select = protoOf(win, 'HTMLSelectElement');

    // Index loops: Array iterators belong to the page once it has run.
    const texts = [input, textarea];
    for (let i = 0; i < texts.length; i++) {
      const proto = texts[i] as object;
      guardGetter(proto, 'value', shownValue);
      guardGetter(proto, 'defaultValue', shownDefault);
      guardGetter(proto, 'selectionStart', caret);
      guardGetter(proto, 'selectionEnd', caret);
      // Gecko also has textLength on inputs; guardGetter skips a getter the engine lacks.
      guardGetter(proto, 'textLength', (t) => shownValue(t).length);
    }
    guardGetter(input, 'valueAsNumber', () => NaN);
    guardGetter(input, 'valueAsDate', () => null);
    guardGetter(select, 'value', shownValue);

    // Constraint validation answers questions about the value (does it match
    // this pattern? is it shorter than 8?): a denied caller is told "valid".
    const fields = [input, textarea, select];
    for (let i = 0; i < fields.length; i++) {
      const proto = fields[i] as object;
      wrapAccessor(proto, 'validity', {
        get: (original, el) => {
          const vs = call0(original, el);
          if (isObject(vs)) validityOwner.set(vs, el as object);
          return vs;
        },
      });
      for (let j = 0; j < 2; j++) {
        const m = j === 0 ? 'checkValidity' : 'reportValidity';
        wrapMethod<Fn>(proto, m, (original, el, args) => {
          const t = taintOf(el);
          if (t !== undefined && mustDeny(el as object, m, t)) return true;
          return apply(original, el, args);
        });
      }
      guardGetter(proto, 'validationMessage', () => '');
    }
    const vsProto = protoOf(win, 'ValidityState');
    for (let i = 0; i < VALIDITY_FLAGS.length; i++) {
      const flag = VALIDITY_FLAGS[i] as string;
      wrapAccessor(vsProto, flag, {
        get: (original, vs) => {
          if (taintStats.fields !== 0 && isObject(vs)) {
            const el = validityOwner.get(vs);
            const t = el === undefined ? undefined : taintOf(el);
            if (t !== undefined && mustDeny(el as object, `validity.${flag}`, t)) return flag === 'valid';
          }
          return call0(original, vs);
        },
      });
    }

    // The selected text of a focused field (select() then getSelection()).
    const doc = win.document;
    wrapMethod<Fn>(protoOf(win, 'Selection'), 'toString', (original, sel, args) => {
      if (taintStats.fields !== 0) {
        // This realm's document: a parent guard may be installing into a child
        // frame. Focus in a closed root shows as its host: look inside.
        const el = innermostFocus(call0(activeElementGetter, doc));
        const t = taintOf(el);
        if (t !== undefined && mustDeny(el as object, 'getSelection', t)) return '';
      }
      return apply(original, sel, args);
    });

    // FormData: `new FormData(form)` and the formdata event's copy.
    const FD = win.FormData;
    wrapConstructor<AnyFn>(win, 'FormData', (original, args, newTarget) => {
      const fd = constructNative(original as unknown as Fn, args, newTarget as Fn) as object;
      if (taintStats.fields === 0 || args.length === 0) return fd;
      return visibleFormData(fd, args[0], (el, t) => mustDeny(el, 'FormData', t), () => constructNative(original as unknown as Fn, [], newTarget as Fn) as object);
    });
    const fdEvent = (win as unknown as { FormDataEvent?: { prototype: object } }).FormDataEvent;
    if (fdEvent !== undefined) {
      wrapAccessor(fdEvent.prototype, 'formData', {
        get: (original, ev) => {
          const fd = call0(original, ev) as object;
          if (taintStats.fields === 0) return fd;
          return visibleFormData(fd, call0(eventTargetGetter, ev), (el, t) => mustDeny(el, 'formdata', t), () => construct(FD, []) as object);
        },
      });
    }

    // A clone of a typed field carries its value; the clone carries the taint.
    wrapCopies(win, carryTaint);
  },
};
