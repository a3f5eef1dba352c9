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
 * Event types that carry what is typed only when a field is their target: a
 * field too narrow for its text scrolls with every key past its width, and
 * the scroll tells its length. Third-party listeners keep hearing every other
 * scroll (lazy loading, scroll depth); these registrations are not tallied.
 */
export const FIELD_SCROLL_EVENTS = ['scroll', 'scrollend'] as const;

/** Null-prototype lookup table of FIELD_SCROLL_EVENTS (see watchedTypes). */
export function fieldScrollTypes(): Record<string, true | undefined> {
  const table: Record<string, true | undefined> = Object.create(null);
  for (const t of FIELD_SCROLL_EVENTS) table[t] = true;
  return table;
}
