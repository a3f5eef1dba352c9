// performance.eventCounts counts every trusted event by type. A third party
// polling the `keydown` count while a password field has focus learns its
// length, and the times between counts the typing rhythm; the tap counts
// tell when the user taps. A third party reads 0 for every key and tap type,
// as on a page nobody has typed or tapped on yet; other types keep their
// counts. The map is a WebIDL maplike: get, forEach, entries (also its
// @@iterator) and values are answered; keys, has and size hold no count.

import type { Feature } from './registry';
import {
  apply, defineProperty, defineValue, getOwnPropertyDescriptor, getPrototypeOf, getterOf, isObject, call0, protoIfAny, SafeWeakMap,
} from '../natives';
import { wrapMethod } from '../wrap';
import { mustHideInput, TYPING } from '../typed';

type Fn = (...a: unknown[]) => unknown;
type Step = { value: unknown; done: boolean };

// Saved at start: the page may replace the global Symbol later.
const ITERATOR = Symbol.iterator;

/** What a third party reads for the count of `type`. */
const shown = (type: unknown, n: unknown): unknown => (TYPING[type as string] !== undefined ? 0 : n);

export const eventCounts: Feature = {
  name: 'event-counts',
  init(win) {
    const proto = protoIfAny(win, 'EventCounts') as Record<PropertyKey, Fn> | undefined;
    const perf = protoIfAny(win, 'Performance');
    const countsGetter = perf === undefined ? undefined : getterOf(perf, 'eventCounts');
    if (proto === undefined || countsGetter === undefined) return;
    const entries = proto.entries as Fn;
    const keys = proto.keys as Fn;
    // The realm's own Map, read while the realm is new (features run before its page code).
    const MapCtor = (win as unknown as { Map: MapConstructor }).Map;
    const { set: mapSet, entries: mapEntries, values: mapValues } = MapCtor.prototype as unknown as Record<string, Fn>;
    const mapIterProto = getPrototypeOf(apply(mapEntries as Fn, new MapCtor(), []) as object) as Record<string, Fn>;
    // Firefox hands out Map iterators over a backing Map; Chromium an iterator class of its own.
    const iterProto = getPrototypeOf(apply(entries, call0(countsGetter, (win as { performance: object }).performance), []) as object) as Record<string, Fn>;
    const next = iterProto.next as Fn;
    /** Chromium: an iterator handed to a third party -> true (entries) or a keys iterator in step with it (values). */
    const hidden = new SafeWeakMap<object, object | true>();

    wrapMethod<Fn>(proto, 'get', (original, self, args) => {
      if (args.length === 0) return apply(original, self, args);
      // Converted once, as the native would, and handed the native as checked.
      const type = `${args[0] as string}`;
      const n = apply(original, self, [type]);
      const kind = TYPING[type];
      return kind !== undefined && n !== undefined && mustHideInput(kind, 'EventCounts.get') ? 0 : n;
    });

    wrapMethod<Fn>(proto, 'forEach', (original, self, args) => {
      const cb = args[0];
      if (typeof cb !== 'function' || !mustHideInput('key', 'EventCounts.forEach')) return apply(original, self, args);
      const thisArg = args[1];
      return apply(original, self, [(n: unknown, type: unknown, map: unknown) => apply(cb as Fn, thisArg, [shown(type, n), type, map])]);
    });

    const iterate = (values: boolean) => (original: Fn, self: unknown, args: unknown[]): unknown => {
      const it = apply(original, self, args) as object;
      if (!mustHideInput('key', values ? 'EventCounts.values' : 'EventCounts.entries')) return it;
      if (iterProto !== mapIterProto) {
        hidden.set(it, values ? apply(keys, self, []) as object : true);
        return it;
      }
      // A Map iterator over a copy is the same kind of object as the native's.
      const copy = new MapCtor();
      const all = values ? apply(entries, self, []) : it;
      for (let step = apply(next, all, []) as Step; !step.done; step = apply(next, all, []) as Step) {
        const pair = step.value as unknown[];
        apply(mapSet as Fn, copy, [pair[0], shown(pair[0], pair[1])]);
      }
      return apply((values ? mapValues : mapEntries) as Fn, copy, []);
    };
    const entriesWrapper = wrapMethod<Fn>(proto, 'entries', iterate(false));
    wrapMethod<Fn>(proto, 'values', iterate(true));
    // @@iterator is the very function `entries` is, and stays so.
    const desc = getOwnPropertyDescriptor(proto, ITERATOR);
    if (entriesWrapper !== undefined && desc !== undefined && desc.value === entries) {
      desc.value = entriesWrapper;
      defineProperty(proto, ITERATOR, desc);
    }

    if (iterProto === mapIterProto) return;
    wrapMethod<Fn>(iterProto, 'next', (original, self, args) => {
      const step = apply(original, self, args) as Step;
      const marked = isObject(self) ? hidden.get(self) : undefined;
      if (marked === undefined || !isObject(step) || step.done) return step;
      if (marked === true) {
        const pair = step.value as unknown[];
        defineValue(pair, 1, shown(pair[0], pair[1]), true);
      } else {
        defineValue(step, 'value', shown((apply(next, marked, []) as Step).value, step.value), true);
      }
      return step;
    });
  },
};
