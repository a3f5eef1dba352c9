import type { HookKind } from './types';

// Event types through which a script observes typing.
export const KEY_EVENTS = [
  'keydown', 'keypress', 'keyup', 'input', 'beforeinput', 'textInput',
  'compositionstart', 'compositionupdate', 'compositionend', 'change',
] as const;

// Event types through which a script observes taps.
export const TAP_EVENTS = [
  'click', 'dblclick', 'auxclick', 'contextmenu', 'mousedown', 'mouseup',
  'pointerdown', 'pointerup', 'touchstart', 'touchend',
] as const;

/**
 * Null-prototype lookup table from event type to hook kind. A plain object
 * with no prototype cannot be influenced by page code that patches
 * Object.prototype, and a property read is the cheapest check available on
 * the hot addEventListener path.
 */
export function watchedTypes(): Record<string, HookKind | undefined> {
  const table: Record<string, HookKind | undefined> = Object.create(null);
  for (const t of KEY_EVENTS) table[t] = 'key';
  for (const t of TAP_EVENTS) table[t] = 'tap';
  return table;
}

/**
 * Event types that tell a field's length only when a field is their target,
 * each time the user types a key: a field too narrow for its text scrolls
 * past its width (`scroll`, `scrollend`, which do not bubble), and every key
 * moves the caret (`selectionchange`, fired at the field and bubbling).
 * Third-party listeners keep hearing every other such event (lazy loading,
 * scroll depth, selection in the page's text); these registrations are not tallied.
 */
export const FIELD_LENGTH_EVENTS = ['scroll', 'scrollend', 'selectionchange'] as const;

/**
 * Null-prototype lookup table of FIELD_LENGTH_EVENTS (see watchedTypes):
 * `true` for the types that bubble, so any listener may hear them from a field.
 */
export function fieldLengthTypes(): Record<string, boolean | undefined> {
  const table: Record<string, boolean | undefined> = Object.create(null);
  for (const t of FIELD_LENGTH_EVENTS) table[t] = t === 'selectionchange';
  return table;
}
