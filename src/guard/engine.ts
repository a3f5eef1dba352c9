// Engine-specific choices of the guard, in one place. The engine is told by a
// trait read before any page script runs: SpiderMonkey keeps `stack` as an
// accessor on Error.prototype, V8 gives each error its own (measured in
// Chromium 156 and Firefox 153).

import { errorProtoStackGetter } from './natives';

const spiderMonkey = errorProtoStackGetter !== undefined;

/**
 * Whether hot methods get a plain-function wrapper rather than a Proxy.
 * Measured with `npm run bench` (unwatched addEventListener, 20,000 calls):
 * Firefox 1.32x through a Proxy, 1.08x through a plain function; Chromium
 * 1.02x through a Proxy, 1.30x through a plain function.
 */
export const plainMethodWrappers = spiderMonkey;

/**
 * V8's Error.captureStackTrace, saved now; undefined in SpiderMonkey. V8
 * counts the guard's frames against Error.stackTraceLimit, so an error thrown
 * under a wrapper is captured again from the wrapper's caller (see scrub in
 * wrap.ts). SpiderMonkey keeps far more frames than any page stack needs.
 */
export const captureStackTrace = spiderMonkey ? undefined : (Error as { captureStackTrace?: (o: object, f?: unknown) => void }).captureStackTrace;
