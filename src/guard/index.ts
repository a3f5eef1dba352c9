// Guard entry: runs in the page's MAIN world at document_start in every frame.
// Module evaluation order matters: natives.ts is evaluated before any other
// guard module (it is the first import of everything below), so every
// built-in is captured before the page has run a single line. Only perf.ts,
// which touches nothing of the page's, comes earlier.

import { perfStart } from './perf';
import { installFailed, maskToString } from './wrap';
import { FEATURES } from './features';
import { openChannel } from './channel';
import { ancestorMode, guardedByParent } from './features/realms';
import { sealSynthesized } from './synthetic';

if (__UNTAPPED_PERF__) performance.measure('untapped:modules', { start: perfStart });
// Before anything else touches the DOM: a document made from a javascript: URL
// gets its policy before the parser reads its markup.
sealSynthesized(ancestorMode);
// A parent (or opener) guard that reached this realm first has installed the
// features already (features/realms.ts); installing them twice would stack wrappers.
if (!guardedByParent) {
  maskToString(Function.prototype as unknown as { toString: (...a: unknown[]) => unknown });
  for (const feature of FEATURES) {
    const t0 = __UNTAPPED_PERF__ ? performance.now() : 0;
    try {
      feature.init(globalThis);
    } catch (e) {
      // One engine lacking an API must not leave the others unguarded.
      installFailed(feature.name);
    }
    if (__UNTAPPED_PERF__) performance.measure(`untapped:init:${feature.name}`, { start: t0 });
  }
}
openChannel();
if (__UNTAPPED_PERF__) performance.measure('untapped:guard', { start: perfStart });
