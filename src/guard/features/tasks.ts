// Timers and animation frames, only for the Sentry case: when page code has
// replaced setTimeout / setInterval / requestAnimationFrame with a wrapper
// and a first party schedules a callback through it, the callback runs in a
// first-party trampoline, so the wrapper's frame under it does not turn the
// first party's own code into a third party (decideParty in shared/stack.ts).
// While nobody has replaced them, these wrappers only pass calls through.

import type { Feature } from './registry';
import { apply, getOwnPropertyDescriptor, each, newList } from '../natives';
import { wrapMethod } from '../wrap';
import { asFirstPartyTask, currentCaller } from '../attribution';

type Fn = (...a: unknown[]) => unknown;

export const tasks: Feature = {
  name: 'tasks',
  init(win) {
    each(['setTimeout', 'setInterval', 'requestAnimationFrame'], (name) => {
      let ours: unknown;
      ours = wrapMethod<Fn>(win, name, (native, thisArg, args) => {
        const cb = args[0];
        if (typeof cb !== 'function' || getOwnPropertyDescriptor(win, name)?.value === ours) return apply(native, thisArg, args);
        if (currentCaller(true).party !== 'first') return apply(native, thisArg, args);
        // Written by index: an ordinary array would run a setter the page put on Array.prototype.
        const rest = newList<unknown>();
        for (let i = 0; i < args.length; i++) rest[i] = args[i];
        rest[0] = function (this: unknown, ...a: unknown[]): unknown { return asFirstPartyTask(cb as Fn, this, a); };
        return apply(native, thisArg, rest);
      });
    });
  },
};
