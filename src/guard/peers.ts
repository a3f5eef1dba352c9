// Other copies of the guard in same-origin realms. Normally a frame's own
// guard runs at document_start and keeps its own records; a page can take a
// getter from one realm and apply it to a field of another, whose edits only
// the other guard saw (typed.ts judges such fields as typed).

import { SafeWeakMap } from './natives';

export const peers = {
  /** Whether another guard announced itself to this one, or this one to another. */
  on: false,
  /** Documents of other realms this guard installed itself into (they share its records). */
  mine: new SafeWeakMap<object, true>(),
};
