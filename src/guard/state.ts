import type { Mode } from '../shared/types';

// Protect until the relay says otherwise: a frame whose settings have not
// arrived yet fails closed. Denied listeners are still registered (through a
// filter), so switching to monitor or off later hands them events again.
export const state: { mode: Mode } = { mode: 'protect' };
