// The Event Timing API (PerformanceObserver 'event' and 'first-input'
// entries, performance.getEntriesByType('first-input')) times every keystroke
// and names its target: enough to count the characters of a password and
// to fingerprint typing rhythm. Third-party callers get the list without
// entries for keystroke and input events on fields (see typingTarget).

import type { Feature } from './registry';
import { apply, getterOf, isInstance, isObject, call0, protoIfAny } from '../natives';
import { wrapMethod } from '../wrap';
import { mustDeny, TYPING, typingTarget } from '../typed';

type Fn = (...a: unknown[]) => unknown;

export const timing: Feature = {
  name: 'timing',
  init(win) {
    const eventTiming = protoIfAny(win, 'PerformanceEventTiming');
    const entryProto = protoIfAny(win, 'PerformanceEntry');
    if (eventTiming === undefined || entryProto === undefined) return;
    const nameGetter = getterOf(entryProto, 'name');
    const targetGetter = getterOf(eventTiming, 'target');
    if (nameGetter === undefined || targetGetter === undefined) return;

    /** The field a keystroke entry points at, or null. */
    const keyField = (entry: unknown): object | null => {
      if (!isInstance(entry, eventTiming)) return null;
      const name = call0(nameGetter, entry);
      if (TYPING[name as string] !== 'key') return null;
      const t = call0(targetGetter, entry);
      return isObject(t) ? typingTarget(t, name) : null;
    };

    const filterList = (original: Fn, self: unknown, args: unknown[]): unknown => {
      const list = apply(original, self, args) as unknown[];
      let out: unknown[] | null = null;
      for (let i = 0; i < list.length; i++) {
        const field = keyField(list[i]);
        // One attribution per call: decided at the first keystroke entry.
        if (out === null && field !== null) {
          if (!mustDeny(field, 'PerformanceEventTiming', undefined)) return list;
          out = [];
          for (let j = 0; j < i; j++) out[out.length] = list[j];
        }
        if (out !== null && field === null) out[out.length] = list[i];
      }
      return out ?? list;
    };
    const holders = [protoIfAny(win, 'PerformanceObserverEntryList'), protoIfAny(win, 'Performance')];
    for (let h = 0; h < holders.length; h++) {
      const holder = holders[h];
      if (holder === undefined) continue;
      wrapMethod<Fn>(holder, 'getEntries', filterList);
      wrapMethod<Fn>(holder, 'getEntriesByType', filterList);
      wrapMethod<Fn>(holder, 'getEntriesByName', filterList);
    }
  },
};
