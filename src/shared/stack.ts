// Pure parsing of Error.stack text into script URLs and origins, for V8
// (Chromium) and SpiderMonkey (Firefox) formats. The guard runs this on the
// hot path inside hostile pages, so it touches no String.prototype method:
// only regex exec (passed in, so the guard can hand a saved native), indexing
// and `.length`, none of which page code can replace.

export type Exec = (re: RegExp, s: string) => RegExpExecArray | null;
/** The default `exec`, for callers without a saved native (shared with sensitive.ts). */
export const nativeExec: Exec = (re, s) => re.exec(s);

/**
 * Stands for a frame of code that has no trustworthy script URL: V8's
 * `<anonymous>` (a script inserted through the DOM, document.write, a string
 * timer) and SpiderMonkey's `> injectedScript`. Such code could belong to
 * anyone, so attribution treats it as third-party.
 */
export const OPAQUE = 'opaque:';

// One line at a time; `m` makes ^ and $ match at line ends.
const setProto = Reflect.setPrototypeOf;
const LINE_RE = /^.*$/gm;
// SpiderMonkey marks DOM-inserted script text this way, after the URL of the
// document it was inserted into, which is why the URL itself proves nothing.
const INJECTED_RE = / > injectedScript:\d+:\d+$/;
// First script location on a line. V8: `at f (URL:1:2)`, `at URL:1:2`,
// `eval at g (URL:1:2)`; SpiderMonkey: `f@URL:1:2`, `@URL line 3 > eval:1:2`,
// `URL line 3 > Function:1:2`. data: scripts are caught by their scheme alone
// because their URL may contain anything, parentheses included.
const URL_RE =
  /(?:((?:https?|blob|file|about|chrome-extension|moz-extension|safari-web-extension):[^\s()]*?)(?::\d+:\d+|(?= line \d+ > ))|(data:))/;
// Code that has a position but no URL: `at <anonymous>:1:2`, `f (<anonymous>:1:2)`,
// `@debugger eval code:1:2`. Built-ins (`at Array.map (<anonymous>)`) have no position.
// The location is kept after OPAQUE (`opaque:<anonymous code>`): Firefox
// names the extension's own MAIN-world script that way, and the guard must
// recognise its own frames.
const POSITION_RE = /(?:@|\(|at )([^@()]*?):\d+:\d+\)?$/;

/**
 * Script URLs on the stack, innermost first; `data:` stands for a data:
 * script and OPAQUE for code with no trustworthy URL. Lines that are not code
 * frames (the `Error` header, built-ins) are skipped.
 */
export function stackUrls(stack: string, exec: Exec = nativeExec): string[] {
  // No prototype: a page's setter on Array.prototype['1'] must not get (and
  // drop) a URL. Saved at start like every native the guard uses.
  const out: string[] = [];
  setProto(out, null);
  LINE_RE.lastIndex = 0;
  for (let m = exec(LINE_RE, stack); m !== null; m = exec(LINE_RE, stack)) {
    const line = m[0];
    // An empty match (blank line) does not move lastIndex by itself.
    if (line.length === 0) {
      LINE_RE.lastIndex++;
      if (LINE_RE.lastIndex > stack.length) break;
      continue;
    }
    const url = frameUrl(line, exec);
    if (url !== undefined) out[out.length] = url;
  }
  return out;
}

/** The script URL of one stack line, OPAQUE, or undefined when it is no code frame. */
export function frameUrl(line: string, exec: Exec = nativeExec): string | undefined {
  if (exec(INJECTED_RE, line) !== null) return OPAQUE;
  const u = exec(URL_RE, line);
  if (u !== null) return u[1] ?? u[2];
  const p = exec(POSITION_RE, line);
  if (p !== null) return `${OPAQUE}${p[1] ?? ''}`;
  return undefined;
}

// V8's CallSite.getEvalOrigin(): `eval at f (URL:1:2)` (nested: `eval at f
// (eval at g (URL:1:2), <anonymous>:3:4)`) names the script that called eval.
// Anything else is the code's own `//# sourceURL=`, which the evaluating
// script chose freely, so it proves nothing.
const EVAL_ORIGIN_RE = /^eval at /;

const OPAQUE_RE = /^opaque:/;
/** Whether a frame URL from `stackUrls` stands for code without a trustworthy URL. */
export function isOpaque(url: string, exec: Exec = nativeExec): boolean {
  return exec(OPAQUE_RE, url) !== null;
}

/** Script URL for V8 eval code, from its eval origin; OPAQUE when it was renamed by sourceURL. */
export function evalOriginUrl(origin: string, exec: Exec = nativeExec): string {
  if (exec(EVAL_ORIGIN_RE, origin) === null) return OPAQUE;
  const u = exec(URL_RE, origin);
  if (u === null) return OPAQUE;
  return u[1] ?? u[2] ?? OPAQUE;
}

const ORIGIN_RE = /^(?:blob:)?([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)(?::(\d+))?/i;

export interface ScriptOrigin {
  /** `scheme://host[:port]`, or `opaque` for data:/about: and the like. */
  origin: string;
  /** Host name, lower-case; empty when opaque. */
  host: string;
  scheme: string;
}

export function originOf(url: string, exec: Exec = nativeExec): ScriptOrigin {
  const m = exec(ORIGIN_RE, url);
  if (m === null || m[2] === undefined || m[2] === '') return { origin: 'opaque', host: '', scheme: '' };
  const scheme = lower(m[1] ?? '');
  const host = lower(m[2]);
  const port = m[3];
  return { origin: port === undefined ? `${scheme}://${host}` : `${scheme}://${host}:${port}`, host, scheme };
}

/** ASCII lower-casing without String.prototype.toLowerCase. */
export function lower(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    out += c >= 'A' && c <= 'Z' ? LOWER[c] : c;
  }
  return out;
}
const LOWER: Record<string, string> = Object.create(null);
for (let c = 65; c <= 90; c++) LOWER[String.fromCharCode(c)] = String.fromCharCode(c + 32);

/**
 * Whether `host` belongs to registrable domain `site` (the frame's eTLD+1, or
 * its bare host for IPs and single-label hosts). Because `site` was computed
 * with the public suffix list, a suffix match is exact: a host that ends in
 * `.site` has `site` as its own registrable domain.
 */
export function inSite(host: string, site: string): boolean {
  if (host === site) return true;
  const offset = host.length - site.length;
  if (offset < 2 || host[offset - 1] !== '.') return false;
  for (let i = 0; i < site.length; i++) if (host[offset + i] !== site[i]) return false;
  return true;
}

/** One frame's verdict, innermost first, as `decideParty` reads it. */
export interface FrameParty {
  party: 'first' | 'third';
  origin: string;
}

/** Longest run of frames one API wrapper may span (Sentry's is one or two). */
export const MAX_WRAPPER_FRAMES = 3;

/**
 * The party of a call from its stack (guard frames already removed),
 * innermost first. Any third-party frame makes the call third-party, except a
 * pass-through wrapper, recognised by shape (see docs/threat-model.md,
 * "Attribution"):
 * - `apiWrapped`: the guarded API has been replaced on its prototype, and the
 *   innermost frames are one short run from a single third-party origin
 *   called by first-party frames only (first-party code called the API, a
 *   monitoring SDK's wrapper passed the call on);
 * - `firstPartyTask`: the task was scheduled or registered by first-party code
 *   (through such a wrapper), and the only third-party frames are one run at
 *   the bottom of the stack (the SDK's wrapper around the first party's callback).
 * Returns the deciding frame: the first third-party one, or the first
 * first-party frame outside the wrapper.
 */
export function decideParty(
  frames: readonly FrameParty[],
  apiWrapped: boolean,
  firstPartyTask: boolean,
): { party: 'first' | 'third'; origin: string } {
  const n = frames.length;
  if (n === 0) return { party: 'third', origin: 'opaque' };
  let firstThird = -1;
  for (let i = 0; i < n; i++) if ((frames[i] as FrameParty).party === 'third') { firstThird = i; break; }
  if (firstThird === -1) return frames[0] as FrameParty;
  // Split the stack into: [inner third run][first-party middle][outer third run].
  let innerEnd = 0;
  if (firstThird === 0) {
    const o = (frames[0] as FrameParty).origin;
    while (innerEnd < n && (frames[innerEnd] as FrameParty).party === 'third' && (frames[innerEnd] as FrameParty).origin === o) innerEnd++;
    if (innerEnd < n && (frames[innerEnd] as FrameParty).party === 'third') return frames[0] as FrameParty;
  }
  let midEnd = innerEnd;
  while (midEnd < n && (frames[midEnd] as FrameParty).party === 'first') midEnd++;
  const hasInner = innerEnd > 0;
  const hasMiddle = midEnd > innerEnd;
  let outerEnd = midEnd;
  if (midEnd < n) {
    const o = (frames[midEnd] as FrameParty).origin;
    while (outerEnd < n && (frames[outerEnd] as FrameParty).party === 'third' && (frames[outerEnd] as FrameParty).origin === o) outerEnd++;
  }
  const hasOuter = outerEnd > midEnd;
  const firstThirdFrame = frames[firstThird] as FrameParty;
  // Anything after the outer run (first-party again, or another origin) is not a wrapper shape.
  if (outerEnd < n || !hasMiddle) return firstThirdFrame;
  if (hasInner && (!apiWrapped || innerEnd > MAX_WRAPPER_FRAMES)) return firstThirdFrame;
  if (hasOuter && (!firstPartyTask || outerEnd - midEnd > MAX_WRAPPER_FRAMES)) return firstThirdFrame;
  return frames[innerEnd] as FrameParty;
}
