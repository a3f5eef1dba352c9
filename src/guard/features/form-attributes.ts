// The attributes of the page's forms and fields that decide what the browser
// does with typed values, which a third party may not write on elements it
// does not own. Its writes, through the attribute (setAttribute(NS),
// toggleAttribute, setAttributeNode(NS), setNamedItem(NS), an Attr's value)
// or the property, are not applied (answered as if done) and tallied.
// - Constraints (pattern, minlength, maxlength, min, max, step, required on a
//   field): a third party's own questions of validity are answered "valid"
//   (values.ts, selectors.ts), but the browser asks them as well:
//   form.checkValidity() and reportValidity(), requestSubmit() (the submit
//   event fires only for a valid form), `invalid` events, :invalid styles.
//   With its own pattern on the page's card field a third party read the
//   number back a digit at a time (measured, both engines).
// - Where a submission goes (a form's method, action, target and enctype, a
//   button's formmethod, formaction, formtarget and formenctype, a field's or
//   button's form, a <base>'s target and href): switched to GET into a hidden
//   frame of its own, one form.submit() put the typed password in a URL the
//   third party read (measured, both engines; CSP form-action allows it, the
//   action being the page's own origin).
// Submissions a third party arranges with elements of its own (its form, its
// submit button, its <base>) are handled in `submissions` below.
// The attribute methods are wrapped in inline-handlers.ts, which asks
// attributeWriteDenied before each write.

import type { Feature } from './registry';
import {
  apply, call0, each, elementHasAttribute, getOwnPropertyDescriptor, objectCreate, protoIfAny, protoOf, toLowerCase,
  nativeAddEventListener, isObject, documentQueryAll, nodeListItem, nodeListLength, ownerDocumentGetter, eventTargetGetter,
  attrOwnerElementGetter, namedNodeMapGet, namedNodeMapGetNS, failures, formDataEventData, submitEventSubmitter,
} from '../natives';
import { wrapAccessor, wrapMethod } from '../wrap';
import { currentCaller } from '../attribution';
import { attrNameOf, classifyTarget, partyOf } from '../targets';
import { report } from '../report';
import { state } from '../state';
import { nodeName, taintStats } from '../typed';
import { hideTypedEntries } from './values';

type Fn = (...a: unknown[]) => unknown;

const FIELDS = ['INPUT', 'TEXTAREA', 'SELECT'];
/** Attribute (lowercase) -> the elements (node names) on which a third party may not write it. */
const GUARDED: Record<string, Record<string, true>> = objectCreate(null);
const guard = (attrs: string[], on: string[]): void => each(attrs, (a) => {
  const set = GUARDED[a] ?? (GUARDED[a] = objectCreate(null) as Record<string, true>);
  each(on, (n) => { set[n] = true; });
});
guard(['pattern', 'minlength', 'maxlength', 'min', 'max', 'step', 'required'], FIELDS);
guard(['form'], [...FIELDS, 'BUTTON']);
guard(['method', 'action', 'target', 'enctype'], ['FORM']);
guard(['formmethod', 'formaction', 'formtarget', 'formenctype'], ['INPUT', 'BUTTON']);
guard(['target', 'href'], ['BASE']);

/** Interface -> its reflecting properties of guarded attributes (property -> attribute). */
const PROPS: Record<string, Record<string, string>> = objectCreate(null);
const props = (type: string, names: string[]): void => {
  const map = PROPS[type] = objectCreate(null) as Record<string, string>;
  each(names, (p) => { map[p] = p === 'encoding' ? 'enctype' : call0(toLowerCase, p) as string; });
};
const SUBMITTER = ['formMethod', 'formAction', 'formTarget', 'formEnctype'];
props('HTMLInputElement', ['pattern', 'minLength', 'maxLength', 'min', 'max', 'step', 'required', ...SUBMITTER]);
props('HTMLTextAreaElement', ['minLength', 'maxLength', 'required']);
props('HTMLSelectElement', ['required']);
props('HTMLButtonElement', SUBMITTER);
props('HTMLFormElement', ['method', 'action', 'target', 'enctype', 'encoding']);
props('HTMLBaseElement', ['target', 'href']);

/**
 * Whether writing attribute `name` (an HTML attribute name, any case) on
 * `el` must not happen for the caller: a guarded attribute of an element it does not own.
 */
export function attributeWriteDenied(el: unknown, name: unknown, api: string): boolean {
  // Every setAttribute asks: the names are 3 to 11 characters long, and the native lowercases.
  if (typeof name !== 'string' || name.length < 3 || name.length > 11 || state.mode === 'off') return false;
  const attr = call0(toLowerCase, name) as string;
  const on = GUARDED[attr];
  if (on === undefined || on[nodeName(el)] !== true) return false;
  const caller = currentCaller();
  if (caller.party === 'first') return false;
  const cls = classifyTarget(el, caller.origin);
  if (cls === 'own') return false;
  report('value', `${api}:${attr}`, caller, false, cls);
  return state.mode === 'protect';
}

export const formAttributes: Feature = {
  name: 'form-attributes',
  init(win) {
    for (const type in PROPS) {
      const proto = protoIfAny(win, type);
      if (proto === undefined) continue;
      const map = PROPS[type] as Record<string, string>;
      for (const prop in map) {
        const attr = map[prop] as string;
        if (getOwnPropertyDescriptor(proto, prop)?.set === undefined) continue;
        wrapAccessor(proto, prop, {
          set: (native, el, v) => (attributeWriteDenied(el, attr, prop) ? undefined : apply(native as Fn, el, [v])),
        });
      }
    }
    wrapMethod<Fn>(protoOf(win, 'Element'), 'toggleAttribute', (native, el, args) => {
      if (args.length === 0) return apply(native, el, args);
      // Converted once, and the native handed the name checked.
      const name = args[0] = `${args[0] as string}`;
      // Denied: the answer of a call that changed nothing.
      return attributeWriteDenied(el, name, 'toggleAttribute') ? apply(elementHasAttribute, el, [name]) : apply(native, el, args);
    });
    // Taking a guarded attribute away is a write too: a form without `method` submits as GET.
    const elementProto = protoOf(win, 'Element');
    for (let ns = 0; ns < 2; ns++) {
      const api = ns === 0 ? 'removeAttribute' : 'removeAttributeNS';
      wrapMethod<Fn>(elementProto, api, (native, el, args) => {
        if (args.length <= ns || (ns === 1 && args[0] !== null && args[0] !== undefined && args[0] !== '')) return apply(native, el, args);
        const name = args[ns] = `${args[ns] as string}`;
        return attributeWriteDenied(el, name, api) ? undefined : apply(native, el, args);
      });
    }
    wrapMethod<Fn>(elementProto, 'removeAttributeNode', (native, el, args) =>
      (attributeWriteDenied(el, attrNameOf(args[0]), 'removeAttributeNode') ? args[0] : apply(native, el, args)));
    const mapProto = protoOf(win, 'NamedNodeMap');
    for (let ns = 0; ns < 2; ns++) {
      const api = ns === 0 ? 'removeNamedItem' : 'removeNamedItemNS';
      wrapMethod<Fn>(mapProto, api, (native, map, args) => {
        // The map's element is the owner of the Attr it would remove.
        let attr: unknown;
        try {
          attr = apply(ns === 0 ? namedNodeMapGet : namedNodeMapGetNS, map, args);
        } catch (e) {
          failures.brand++; // not a map, or bad arguments: the native throws its own error
          attr = null;
        }
        return isObject(attr) && attributeWriteDenied(call0(attrOwnerElementGetter, attr), attrNameOf(attr), api) ? attr : apply(native, map, args);
      });
    }
    watchSubmissions(win);
  },
};

// ---- submissions a third party arranges with elements of its own ----
// Its own form (holding the page's fields moved into it), its own submit
// button tied to the page's form (inside it, or by its form attribute), or
// its own <base target> that a form without a target goes to: the page's
// typed fields go out as a denied read would see them. Decided as the
// browser builds the entry list (the formdata event, which every submission
// fires, form.submit() too), with the submitter the submit event named.

/** The form whose submit event the guard saw last, and its submitter. */
const lastSubmit: { form: unknown; submitter: unknown } = objectCreate(null);
/** The <base> elements holding a target, in tree order. */
const BASE_TARGET = 'base[target]';

/** The third party that arranged a submission of `form` (with `submitter`), or undefined for the page's own. */
function arranger(form: object, submitter: unknown): string | undefined {
  const party = partyOf(form) ?? (isObject(submitter) ? partyOf(submitter) : undefined);
  if (party !== undefined) return party;
  // Its target: the submitter's, the form's, else the first <base target>.
  const hasTarget = (el: unknown): boolean => isObject(el) && apply(elementHasAttribute, el, [nodeName(el) === 'FORM' ? 'target' : 'formtarget']) === true;
  if (hasTarget(submitter) || hasTarget(form)) return undefined;
  const bases = apply(documentQueryAll, call0(ownerDocumentGetter, form), [BASE_TARGET]) as NodeList;
  return call0(nodeListLength, bases) === 0 ? undefined : partyOf(apply(nodeListItem, bases, [0]));
}

/** Watches one realm's submissions, ahead of any page listener. */
function watchSubmissions(win: typeof globalThis): void {
  if (formDataEventData === undefined) return;
  apply(nativeAddEventListener, win, ['submit', (ev: Event) => {
    lastSubmit.form = call0(eventTargetGetter, ev);
    lastSubmit.submitter = submitEventSubmitter === undefined ? undefined : call0(submitEventSubmitter, ev);
  }, true]);
  apply(nativeAddEventListener, win, ['formdata', (ev: Event) => {
    const form = call0(eventTargetGetter, ev);
    const submitter = lastSubmit.form === form ? lastSubmit.submitter : undefined;
    lastSubmit.form = lastSubmit.submitter = undefined;
    if (taintStats.fields === 0 || state.mode !== 'protect' || !isObject(form)) return;
    const party = arranger(form, submitter);
    if (party === undefined || state.trusted[party] === true) return;
    hideTypedEntries(call0(formDataEventData, ev) as object, form, party);
  }, true]);
}
