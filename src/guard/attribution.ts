// Works out which script is calling a guarded API: the stack, then each
// frame's script URL, then its origin, then whether that origin is inside the
// frame's own site (the site itself comes from the relay, which has the public
// suffix list). The rule and its limits: docs/threat-model.md, "Attribution".

import type { Party } from '../shared/types';
import { decideParty, evalOriginUrl, inSite, isOpaque, OPAQUE, originOf, stackUrls, type FrameParty } from '../shared/stack';
import {
  apply, defineProperty, defineValue, ErrorCtor, exec, getOwnPropertyDescriptor, getPrototypeOf, hostOfOrigin, locationRef, locationHost,
  errorProtoStackGetter, locationHref, locationOrigin, objectCreate, windowRef, isObject, call0,
  windowOpenerGetter, windowParentGetter, windowOriginGetter, failures, newList, getterOf,
} from './natives';
import { sha256Hex } from '../shared/sha256';
import { state } from './state';

export interface Caller {
  party: Party;
  /** Origin of the third-party script found on the stack, or of the innermost script. */
  origin: string;
}

const OPAQUE_CALLER: Caller = { party: 'third', origin: 'opaque' };

// Firefox keeps `stack` as an accessor on Error.prototype, which the page
// could replace; V8 puts it on each instance. Saved in natives.ts as
// errorProtoStackGetter.
const hasLimit = getOwnPropertyDescriptor(ErrorCtor, 'stackTraceLimit') !== undefined;

type Fn = (...a: unknown[]) => unknown;
/** V8 CallSite methods, saved from the first capture: the page can reach their prototype later. */
interface SiteApi { isEval: Fn; evalOrigin: Fn; fileName: Fn; sourceName: Fn; line: Fn; hash: Fn | undefined }
let sites: SiteApi | undefined;
// Hands V8's structured frames back untouched (no string formatting at all).
const keepSites = (_e: unknown, s: unknown): unknown => s;

// Failed and truncated captures are counted in `failures` (natives.ts).

/**
 * The stack as frame URLs, innermost first (OPAQUE for code without a
 * trustworthy URL), or null when it could not be read in full. V8 reads
 * Error.stackTraceLimit and Error.prepareStackTrace from the Error
 * constructor, which page code may set to hide frames: both are overridden
 * for this one capture and put back.
 */
function captureUrls(): string[] | null {
  const limit = hasLimit ? getOwnPropertyDescriptor(ErrorCtor, 'stackTraceLimit') : undefined;
  const prepare = hasLimit ? getOwnPropertyDescriptor(ErrorCtor, 'prepareStackTrace') : undefined;
  let limitSet = false;
  let frozenLimit = -1;
  if (limit !== undefined) {
    limitSet = defineValue(ErrorCtor, 'stackTraceLimit', Infinity, limit.enumerable ?? true);
    // A page froze it: read what we get, and distrust a stack cut at the limit.
    if (!limitSet) frozenLimit = typeof limit.value === 'number' ? limit.value : 0;
  }
  let prepareSet = false;
  if (hasLimit) {
    prepareSet = defineValue(ErrorCtor, 'prepareStackTrace', sites !== undefined ? keepSites : undefined);
    if (!prepareSet && prepare !== undefined) {
      if (limitSet) defineProperty(ErrorCtor, 'stackTraceLimit', limit as PropertyDescriptor);
      return null;
    }
  }
  let raw: unknown;
  try {
    const err = new ErrorCtor();
    const own = getOwnPropertyDescriptor(err, 'stack');
    // V8 gives each error its own `stack` (an own accessor in current
    // versions); SpiderMonkey inherits an accessor.
    if (own !== undefined) raw = own.get !== undefined ? call0(own.get, err) : own.value;
    else if (errorProtoStackGetter !== undefined) raw = call0(errorProtoStackGetter, err);
  } finally {
    if (limitSet) defineProperty(ErrorCtor, 'stackTraceLimit', limit as PropertyDescriptor);
    if (prepareSet) {
      if (prepare !== undefined) defineProperty(ErrorCtor, 'prepareStackTrace', prepare);
      else delete (ErrorCtor as unknown as { prepareStackTrace?: unknown }).prepareStackTrace;
    }
  }
  let urls: string[];
  let depth: number;
  if (typeof raw === 'string') {
    urls = stackUrls(raw, exec);
    depth = urls.length;
  } else if (isObject(raw) && sites !== undefined) {
    const list = raw as ArrayLike<object>;
    depth = list.length;
    urls = newList();
    for (let i = 0; i < depth; i++) {
      const u = siteUrl(list[i] as object, sites);
      if (u !== undefined) urls[urls.length] = u;
    }
  } else {
    return null;
  }
  if (frozenLimit >= 0 && depth >= frozenLimit) {
    failures.truncated++;
    return null;
  }
  return urls;
}

/** URL of one V8 CallSite, by the engine's own fields rather than formatted text. */
function siteUrl(site: object, api: SiteApi): string | undefined {
  // getFileName is the script's real URL; a `//# sourceURL=` only renames the
  // display name, so it cannot make third-party code look first-party.
  if (call0(api.isEval, site) === true) {
    const o = call0(api.evalOrigin, site);
    return typeof o === 'string' ? evalOriginUrl(o, exec) : OPAQUE;
  }
  const file = call0(api.fileName, site);
  if (typeof file === 'string' && file !== '') {
    // Handler code compiled from an attribute carries the document's URL as
    // its file; a tag the guard added to it names its real author. Only
    // believed for the page's own documents (not blob:, not another site's
    // script claiming a tag).
    if (pageFile(file)) {
      const name = call0(api.sourceName, site);
      if (typeof name === 'string' && issuedTags[name] === true) return name;
    }
    return file;
  }
  // Built-ins have no position: not a script frame.
  if (call0(api.line, site) === null) return undefined;
  const name = call0(api.sourceName, site);
  // Inline code the guard tagged when it was inserted (see features/scripts).
  // The tag is in the script's text, where any script can read it and write
  // it into its own: a first-party tag is believed only on the very script it
  // was issued for, by the hash of its source.
  if (typeof name === 'string' && issuedTags[name] === true) {
    const b = bound[name];
    if (b === undefined) return name;
    if (b.hash === '') {
      b.hash = hashOf(b.text);
      b.text = '';
    }
    if (api.hash !== undefined && call0(api.hash, site) === b.hash) return name;
  }
  return OPAQUE;
}

// V8: learn the CallSite API from one capture, before any page script runs.
if (hasLimit) {
  const prev = getOwnPropertyDescriptor(ErrorCtor, 'prepareStackTrace');
  if (defineValue(ErrorCtor, 'prepareStackTrace', keepSites)) {
    const list = (new ErrorCtor() as unknown as { stack: unknown }).stack as ArrayLike<object> | undefined;
    if (prev !== undefined) defineProperty(ErrorCtor, 'prepareStackTrace', prev);
    else delete (ErrorCtor as unknown as { prepareStackTrace?: unknown }).prepareStackTrace;
    const first = list !== undefined && typeof list === 'object' ? list[0] : undefined;
    if (first !== undefined) {
      const p = getPrototypeOf(first) as Record<string, Fn>;
      if (typeof p.isEval === 'function' && typeof p.getEvalOrigin === 'function' && typeof p.getFileName === 'function'
        && typeof p.getScriptNameOrSourceURL === 'function' && typeof p.getLineNumber === 'function') {
        sites = {
          isEval: p.isEval, evalOrigin: p.getEvalOrigin, fileName: p.getFileName, sourceName: p.getScriptNameOrSourceURL, line: p.getLineNumber,
          hash: typeof p.getScriptHash === 'function' ? p.getScriptHash : undefined,
        };
      }
    }
  }
}

const BLOB_RE = /^blob:/i;
const pageFiles: Record<string, boolean> = objectCreate(null);
/** Whether `file` is a document of this page's origin (cached: once per URL). */
function pageFile(file: string): boolean {
  return (pageFiles[file] ??= exec(BLOB_RE, file) === null && originOf(file, exec).origin === locationOrigin);
}

/** Inline-script tags the guard issued (a sourceURL naming the inserting script's origin). */
const issuedTags: Record<string, true> = objectCreate(null);
let tagCount = 0;

/** V8: first-party tags, with the script text each was issued for and its SHA-256 once asked. */
const bound: Record<string, { text: string; hash: string }> = objectCreate(null);
// Saved now: the page could replace TextEncoder, its encode or the typed-array length getter.
const Utf8 = TextEncoder;
const encodeUtf8 = Utf8.prototype.encode;
const bytesLength = getterOf(getPrototypeOf(Uint8Array.prototype) as object, 'length');
const hashOf = (text: string): string => {
  const bytes = apply(encodeUtf8, new Utf8(), [text]) as Uint8Array;
  return sha256Hex(bytes, call0(bytesLength, bytes) as number);
};

/**
 * Records the text of the script a first-party `tag` was put on, as the
 * element holds it (V8 only: Firefox shows the tag itself as the URL, so any
 * script can claim a first-party URL there; docs/threat-model.md).
 */
export function bindTag(tag: string, text: unknown): void {
  if (sites !== undefined && typeof text === 'string') bound[tag] = { text, hash: '' };
}

/**
 * A `//# sourceURL=` for inline code inserted by `caller`, so every frame of
 * that code is later attributed to its inserter instead of the page.
 */
export function tagFor(caller: Caller): string {
  const base = caller.party === 'first' ? locationOrigin : caller.origin;
  // An opaque inserter gets an opaque tag: `about:` has no host, so it stays third-party.
  const root = base === 'null' || base === 'opaque' || base === 'inline' || base === 'extension'
    ? (caller.party === 'first' ? locationHref : 'about:untapped-opaque')
    : base;
  const tag = `${root}/untapped-inline-${++tagCount}.js`;
  issuedTags[tag] = true;
  return tag;
}

/**
 * `code` with a tag naming `caller` appended: for code the engine would
 * attribute to the page (inline script text set through the DOM, an `on*`
 * attribute's handler). Both engines honour the comment there, nested
 * functions and later callbacks included.
 */
export const tagCode = (code: unknown, caller: Caller): string => withTag(code, tagFor(caller));
/** `code` with `tag` (from tagFor) as its `//# sourceURL=`. */
export const withTag = (code: unknown, tag: string): string => `${code as string}\n//# sourceURL=${tag}`;

/** blob: URL -> the script that created it; a blob carries its creator's page origin, not the creator's. */
const blobCreators: Record<string, Caller> = objectCreate(null);
export function noteBlob(url: string, creator: Caller): void {
  blobCreators[url] = creator;
}

/**
 * The guard's own script URL, learned from its first stack, so its frames are
 * skipped. Only an extension URL qualifies: Firefox shows MAIN-world content
 * script frames as `<anonymous code>`, and in a frame injected while its
 * parent runs `append` the first URL on that stack is the parent page's.
 */
const ownUrls: Record<string, true> = objectCreate(null);
const FIREFOX_CONTENT_SCRIPT = `${OPAQUE}<anonymous code>`;
/** chrome-extension, moz-extension, safari-web-extension. */
const EXTENSION_SCHEME = /^(?:chrome|moz|safari-web)-extension$/;
{
  const urls = captureUrls();
  const first = urls !== null ? urls[0] : undefined;
  if (first !== undefined) {
    const scheme = originOf(first, exec).scheme;
    // Firefox names the MAIN-world script `<anonymous code>` (see shared/stack OPAQUE).
    if (exec(EXTENSION_SCHEME, scheme) !== null || first === FIREFOX_CONTENT_SCRIPT) ownUrls[first] = true;
  }
}

let frameSite = locationHost;

/** Set by the channel once the relay has computed this frame's site. */
export function setFrameSite(site: string): void {
  if (site !== '') frameSite = site;
}
export function getFrameSite(): string {
  return frameSite;
}

const partyCache: Record<string, Caller> = objectCreate(null);

/** The frame's site, resolved late for frames whose origin was unknown at start. */
function siteNow(): string {
  // A script-made about:blank frame reports the origin "null" at
  // document_start in both engines, although it inherits its creator's: read
  // it again now, then ask the ancestors.
  if (frameSite === '') frameSite = hostOfOrigin(locationRef.origin);
  if (frameSite === '') frameSite = ancestorHost();
  return frameSite;
}

/**
 * A srcdoc inside a srcdoc (or about:blank inside about:blank) can read
 * "null" for its parent's origin too while both are being set up: walk up to
 * the nearest same-origin ancestor that has a real origin.
 */
function ancestorHost(): string {
  let w: unknown = windowRef;
  for (let depth = 0; depth < 8 && windowParentGetter !== undefined; depth++) {
    let next: unknown;
    let origin: unknown;
    try {
      next = call0(windowParentGetter, w);
      // A popup's about:blank takes its origin from the window that opened it.
      if (next === w && windowOpenerGetter !== undefined) next = call0(windowOpenerGetter, w);
      if (next === w || next === null || next === undefined) return '';
      origin = (next as Window).location.origin;
    } catch (e) {
      return ''; // a cross-origin ancestor: this frame's site stays unknown (third-party)
    }
    if (typeof origin === 'string' && origin !== 'null') return hostOfOrigin(origin);
    w = next;
  }
  return '';
}

/** Whether this document's origin is opaque (a sandboxed frame), read now. */
const opaqueDocument = (): boolean => windowOriginGetter !== undefined && call0(windowOriginGetter, windowRef) === 'null';

/** Classifies one script URL against the frame's site. */
export function classifyUrl(url: string): Caller {
  const cached = partyCache[url];
  if (cached !== undefined) return cached;
  const site = siteNow();
  let caller: Caller;
  if (isOpaque(url, exec)) {
    caller = OPAQUE_CALLER;
  } else if (url === 'data:') {
    // A data: frame's own scripts are its first party; anywhere else an
    // opaque script has no origin to trust, so fail closed. The document's
    // origin decides, not location.origin: that reads "null" in every about:
    // document, a srcdoc with the page's origin included.
    caller = opaqueDocument() ? { party: 'first', origin: 'opaque' } : OPAQUE_CALLER;
  } else {
    const o = originOf(url, exec);
    if (exec(EXTENSION_SCHEME, o.scheme) !== null) {
      // Another extension the user installed (ours is skipped earlier).
      caller = { party: 'first', origin: 'extension' };
    } else if (exec(BLOB_RE, url) !== null) {
      // Not cached: the creator is known only once createObjectURL returned.
      return blobCreators[url] ?? OPAQUE_CALLER;
    } else if (o.host === '' && url === locationHref && opaqueDocument()) {
      // about:srcdoc / about:blank code of this very document, in a sandboxed
      // (opaque-origin) frame, is the frame's own: no other document can reach
      // this realm. With a real origin, every srcdoc of that origin shows the
      // same URL, a third party's included, and can call into this realm, so
      // it stays opaque (below), and so does a child calling up.
      caller = { party: 'first', origin: 'inline' };
    } else if (o.host === '') {
      caller = OPAQUE_CALLER;
    } else {
      caller = { party: site !== '' && inSite(o.host, site) ? 'first' : 'third', origin: o.origin };
    }
  }
  // Decisions made while the site is still unknown are not remembered.
  if (site !== '') partyCache[url] = caller;
  return caller;
}

/**
 * Depth of callbacks running that first-party code scheduled or registered
 * through a third-party wrapper (see `decideParty`). Only the guard's own
 * trampolines change it, and the page never holds a trampoline.
 */
export const firstPartyTask = { depth: 0 };

/**
 * The calling script. Any third-party frame anywhere on the stack makes the
 * call third-party (a third-party script that reaches a guarded API through a
 * first-party library is still the one asking), except the pass-through
 * wrapper shapes of `decideParty`; `apiWrapped` says whether the API being
 * called has been replaced on its prototype. An empty, unreadable or
 * truncated stack is third-party: stack tampering is itself a sign of evasion.
 */
export function currentCaller(apiWrapped = false): Caller {
  let urls: string[] | null;
  try {
    urls = captureUrls();
  } catch (e) {
    // Firefox throws NS_ERROR_NOT_INITIALIZED for a realm whose frame was removed.
    failures.capture++;
    return OPAQUE_CALLER;
  }
  if (urls === null) return OPAQUE_CALLER;
  // No prototype: a page's Array.prototype index setter must neither see nor
  // swallow what the guard stores.
  const frames = newList<FrameParty>();
  for (let i = 0; i < urls.length; i++) {
    const url = urls[i] as string;
    if (ownUrls[url] !== true) frames[frames.length] = classifyUrl(url);
  }
  const caller = decideParty(frames, apiWrapped, firstPartyTask.depth > 0);
  // Administrator policy: origins trusted by the admin are treated as the
  // site's own (allowed, and shown as first party in the tallies).
  if (caller.party === 'third' && state.trusted[caller.origin] === true) return { party: 'first', origin: caller.origin };
  return caller;
}

/** Runs `fn` as a first-party task: the trampoline for callbacks a first party handed over. */
export function asFirstPartyTask(fn: Fn, thisArg: unknown, args: unknown[]): unknown {
  firstPartyTask.depth++;
  try {
    return apply(fn, thisArg, args);
  } finally {
    firstPartyTask.depth--;
  }
}

// Resolve the site now, while a script-made about:blank frame can still reach
// its parent: a realm kept after its iframe was removed has no parent later.
siteNow();
