// What a keystroke, an input or a paste carries: KeyboardEvent key/code/
// keyCode/charCode/which, InputEvent, CompositionEvent and TextEvent data, and the text
// of clipboardData/dataTransfer. Third-party code can be handed a trusted
// event on a field without listening itself (a first-party handler passing
// the event to an analytics call, `window.event`); reading the data then
// answers as for a key nobody can identify.

import type { Feature } from './registry';
import { apply, SafeWeakMap, isObject, call0, protoIfAny } from '../natives';
import { wrapAccessor, wrapMethod } from '../wrap';
import { fieldOfEvent, mustDeny, taintOf } from '../typed';

type Fn = (...a: unknown[]) => unknown;

function guardEventGetter(proto: object | undefined, name: string, denied: unknown): void {
  if (proto === undefined) return;
  wrapAccessor(proto, name, {
    get: (original, ev) => {
      const field = fieldOfEvent(ev);
      if (field !== null && mustDeny(field, name, taintOf(field))) return denied;
      return call0(original, ev);
    },
  });
}

/** DataTransfer -> the event it came with. */
const transferEvent = new SafeWeakMap<object, object>();

function rememberTransfer(proto: object | undefined, name: string): void {
  if (proto === undefined) return;
  wrapAccessor(proto, name, {
    get: (original, ev) => {
      const dt = call0(original, ev);
      if (isObject(dt) && isObject(ev)) transferEvent.set(dt, ev);
      return dt;
    },
  });
}

export const eventData: Feature = {
  name: 'event-data',
  init(win) {
    const kb = protoIfAny(win, 'KeyboardEvent');
    guardEventGetter(kb, 'key', 'Unidentified');
    guardEventGetter(kb, 'code', '');
    guardEventGetter(kb, 'keyCode', 0);
    guardEventGetter(kb, 'charCode', 0);
    // `which` lives on UIEvent.prototype in both engines.
    guardEventGetter(protoIfAny(win, 'UIEvent'), 'which', 0);
    guardEventGetter(protoIfAny(win, 'InputEvent'), 'data', null);
    guardEventGetter(protoIfAny(win, 'CompositionEvent'), 'data', null);
    // The `textInput` event: each typed character again (a string, never null).
    guardEventGetter(protoIfAny(win, 'TextEvent'), 'data', '');
    rememberTransfer(protoIfAny(win, 'ClipboardEvent'), 'clipboardData');
    rememberTransfer(protoIfAny(win, 'InputEvent'), 'dataTransfer');
    rememberTransfer(protoIfAny(win, 'DragEvent'), 'dataTransfer');
    const dt = protoIfAny(win, 'DataTransfer');
    if (dt !== undefined) {
      wrapMethod<Fn>(dt, 'getData', (original, transfer, args) => {
        if (isObject(transfer)) {
          const ev = transferEvent.get(transfer);
          const field = ev === undefined ? null : fieldOfEvent(ev);
          if (field !== null && mustDeny(field, 'getData', taintOf(field))) return '';
        }
        return apply(original, transfer, args);
      });
    }
  },
};
