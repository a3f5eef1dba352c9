// The Event Timing API times every keystroke and tap and names its target:
// PerformanceObserver 'event' and 'first-input' entries (through the
// observer's list and its takeRecords), performance.getEntriesByType. Enough
// to count the characters of a password and to see which button was tapped.
// Its interaction numbers count them too: `interactionId` grows by one step
// per keystroke or tap, so two taps' ids tell how many keys were typed
// between them, and `performance.interactionCount` counts them outright.
// A third party is answered as a listener of its own would be: entries of
// key and tap events not aimed at its own nodes are left out, and interaction
// numbers read 0, as for events that are no interaction. The event counters
// (performance.eventCounts) are features/event-counts.ts.

import type { Feature } from './registry';
import type { HookKind } from '../../shared/types';
import { apply, defineValue, getterOf, isInstance, isObject, call0, protoIfAny, without } from '../natives';
import { wrapAccessor, wrapMethod } from '../wrap';
import { currentCaller, type Caller } from '../attribution';
import { classifyTarget } from '../targets';
import { report } from '../report';
import { state } from '../state';
import { mustHideInput, TYPING, typingTarget } from '../typed';

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

    /**
     * What a key or tap entry is aimed at (null when the engine names no
     * target, as Chromium does for pointer events); undefined for any other entry.
     */
    const aimOf = (entry: unknown): object | null | undefined => {
      if (!isInstance(entry, eventTiming)) return undefined;
      const name = call0(nameGetter, entry);
      const kind = TYPING[name as string];
      if (kind === undefined) return undefined;
      const t = call0(targetGetter, entry);
      if (!isObject(t)) return null;
      // Keys go to the focused field, also inside a closed root the guard knows.
      return kind === 'key' ? typingTarget(t, name) ?? t : t;
    };

    const filterList = (original: Fn, self: unknown, args: unknown[]): unknown => {
      // Asked once per call, at the first key or tap entry; null = sees all.
      let caller: Caller | null | undefined;
      let reported = false;
      return without(apply(original, self, args) as unknown[], (entry: unknown) => {
        const aim = aimOf(entry);
        if (aim === undefined) return false;
        if (caller === undefined) {
          caller = state.mode === 'off' ? null : currentCaller();
          if (caller !== null && caller.party === 'first') caller = null;
        }
        if (caller === null) return false;
        const cls = classifyTarget(aim, caller.origin);
        if (cls === 'own') return false;
        // Tallied once per call; in monitor mode the whole list is seen as natively.
        if (!reported) {
          reported = true;
          report(TYPING[call0(nameGetter, entry) as string] as HookKind, 'PerformanceEventTiming', caller, false, cls);
          if (state.mode !== 'protect') caller = null;
        }
        return caller !== null;
      });
    };
    const holders = [protoIfAny(win, 'PerformanceObserverEntryList'), protoIfAny(win, 'Performance')];
    for (let h = 0; h < holders.length; h++) {
      const holder = holders[h];
      if (holder === undefined) continue;
      wrapMethod<Fn>(holder, 'getEntries', filterList);
      wrapMethod<Fn>(holder, 'getEntriesByType', filterList);
      wrapMethod<Fn>(holder, 'getEntriesByName', filterList);
    }
    // The records an observer has not delivered yet: the same entries, taken early.
    const observer = protoIfAny(win, 'PerformanceObserver');
    if (observer !== undefined) wrapMethod<Fn>(observer, 'takeRecords', filterList);

    // Interaction numbers: 0 is what an event that is no interaction reads.
    const hideCount = (api: string) => (original: unknown, self: unknown): unknown => {
      const n = call0(original, self);
      return n !== 0 && mustHideInput('key', api) ? 0 : n;
    };
    /** toJSON() of `holder`, its number `member` (read inside, not through the getter) hidden alike. */
    const hideInJson = (holder: object, member: string, api: string): void => {
      wrapMethod<Fn>(holder, 'toJSON', (original, self, args) => {
        const json = apply(original, self, args);
        const n = isObject(json) ? (json as Record<string, unknown>)[member] : undefined;
        if (typeof n === 'number' && n !== 0 && mustHideInput('key', api)) defineValue(json as object, member, 0, true);
        return json;
      });
    };
    wrapAccessor(eventTiming, 'interactionId', { get: hideCount('PerformanceEventTiming.interactionId') });
    hideInJson(eventTiming, 'interactionId', 'PerformanceEventTiming.toJSON');
    const perf = protoIfAny(win, 'Performance');
    // Not in every engine yet.
    if (perf !== undefined && getterOf(perf, 'interactionCount') !== undefined) {
      wrapAccessor(perf, 'interactionCount', { get: hideCount('interactionCount') });
      // Firefox's performance.toJSON() carries it too; Chromium's has no such member.
      hideInJson(perf, 'interactionCount', 'Performance.toJSON');
    }
  },
};
