import type { Mode } from '../shared/types';
import { objectCreate } from './natives';

// Protect until the relay says otherwise: a frame whose settings have not
// arrived yet fails closed. Denied listeners are still registered (through a
// filter), so switching to monitor or off later hands them events again.
export const state: {
  mode: Mode;
  /** Administrator policy: third-party script origins always allowed (null-prototype set). */
  trusted: Record<string, true>;
  /** Administrator policy: extra sensitive-field selectors, pre-checked, joined into one list. */
  sensitiveSelector: string;
} = { mode: 'protect', trusted: objectCreate(null) as Record<string, true>, sensitiveSelector: '' };
