// Works out which script is calling a guarded API: the stack, then each
// frame's script URL, then its origin, then whether that origin is inside the
// frame's own site (the site itself comes from the relay, which has the public
// suffix list).

import type { Party } from '../shared/types';
import { inSite, originOf, stackUrls } from '../shared/stack';
import {
  apply, defineProperty, ErrorCtor, exec, getOwnPropertyDescriptor, locationHost, locationOrigin, objectCreate,
} from './natives';

export interface Caller {
  party: Party;
  /** Origin of the third-party script found on the stack, or of the innermost script. */
  origin: string;
}

const FIRST: Caller = { party: 'first', origin: 'inline' };

// Firefox keeps `stack` as an accessor on Error.prototype, which the page
// could replace; V8 puts it on each instance. Save whichever exists now.
const stackGetter = getOwnPropertyDescriptor(ErrorCtor.prototype, 'stack')?.get;

function rawStack(): string {
  // V8 consults Error.stackTraceLimit and Error.prepareStackTrace on the
  // realm's Error constructor. Page code may set either to hide its frames, so
  // override them for the one capture and put the page's values back.
  const limit = getOwnPropertyDescriptor(ErrorCtor, 'stackTraceLimit');
  const prepare = getOwnPropertyDescriptor(ErrorCtor, 'prepareStackTrace');
  let swapped = false;
  if (limit !== undefined) {
    swapped = defineProperty(ErrorCtor, 'stackTraceLimit', { value: 64, writable: true, configurable: true, enumerable: limit.enumerable ?? true });
    if (!swapped) return '';
  }
  if (prepare !== undefined && !defineProperty(ErrorCtor, 'prepareStackTrace', { value: undefined, writable: true, configurable: true })) {
    if (swapped) defineProperty(ErrorCtor, 'stackTraceLimit', limit as PropertyDescriptor);
    return '';
  }
  const err = new ErrorCtor();
  const own = getOwnPropertyDescriptor(err, 'stack');
  // V8 gives each error its own `stack` (a data property in older versions,
  // an own accessor in current ones); SpiderMonkey inherits an accessor.
  let stack: unknown;
  if (own !== undefined) stack = own.get !== undefined ? apply(own.get, err, []) : own.value;
  else if (stackGetter !== undefined) stack = apply(stackGetter, err, []);
  if (swapped) defineProperty(ErrorCtor, 'stackTraceLimit', limit as PropertyDescriptor);
  if (prepare !== undefined) defineProperty(ErrorCtor, 'prepareStackTrace', prepare);
  return typeof stack === 'string' ? stack : '';
}

/** The guard's own script URL, learned from its first stack: its frames are skipped. */
const ownUrls: Record<string, true> = objectCreate(null);
for (const u of stackUrls(rawStack(), exec)) { ownUrls[u] = true; break; }

let frameSite = locationHost;

/** Set by the channel once the relay has computed this frame's site. */
export function setFrameSite(site: string): void {
  if (site !== '') frameSite = site;
}
export function getFrameSite(): string {
  return frameSite;
}

const partyCache: Record<string, Caller> = objectCreate(null);

/** Classifies one script URL against the frame's site. */
export function classifyUrl(url: string): Caller {
  const cached = partyCache[url];
  if (cached !== undefined) return cached;
  let caller: Caller;
  if (url === 'data:') {
    // A data: frame's own scripts are its first party; anywhere else an
    // opaque script has no origin to trust, so fail closed.
    caller = locationOrigin === 'null' ? { party: 'first', origin: 'opaque' } : { party: 'third', origin: 'opaque' };
  } else {
    const o = originOf(url, exec);
    if (o.scheme === 'chrome-extension' || o.scheme === 'moz-extension' || o.scheme === 'safari-web-extension') {
      // Another extension the user installed (ours is skipped earlier).
      caller = { party: 'first', origin: 'extension' };
    } else if (o.host === '') {
      caller = { party: 'third', origin: 'opaque' };
    } else {
      caller = { party: inSite(o.host, frameSite) ? 'first' : 'third', origin: o.origin };
    }
  }
  partyCache[url] = caller;
  return caller;
}

/**
 * The calling script. Any third-party frame anywhere on the stack makes the
 * call third-party: a third-party script that reaches a guarded API through a
 * first-party library (jQuery-style) or a first-party callback is still the
 * one asking. An empty or unreadable stack is treated as third-party, because
 * stack tampering is itself a sign of evasion.
 */
export function currentCaller(): Caller {
  const urls = stackUrls(rawStack(), exec);
  let innermost: Caller | undefined;
  let seen = 0;
  for (let i = 0; i < urls.length; i++) {
    const url = urls[i] as string;
    if (ownUrls[url] === true) continue;
    seen++;
    const c = classifyUrl(url);
    if (c.party === 'third') return c;
    if (innermost === undefined) innermost = c;
  }
  if (seen === 0) return { party: 'third', origin: 'opaque' };
  return innermost ?? FIRST;
}
