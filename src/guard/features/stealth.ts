// Masks Function.prototype.toString in each realm the registry initialises,
// first, so every wrapper installed after it prints its native's text. The
// guard entry also masks its own realm; maskToString is idempotent.

import type { Feature } from './registry';
import { maskToString } from '../wrap';

export const stealth: Feature = {
  name: 'stealth',
  init(win) {
    maskToString(win.Function.prototype as unknown as { toString: (...a: never[]) => unknown });
  },
};
