// Pure parsing of Error.stack text into script URLs and origins, for V8
// (Chromium) and SpiderMonkey (Firefox) formats. The guard runs this on the
// hot path inside hostile pages, so it touches no String.prototype method:
// only regex exec (passed in, so the guard can hand a saved native), indexing
// and `.length`, none of which page code can replace.

export type Exec = (re: RegExp, s: string) => RegExpExecArray | null;
const nativeExec: Exec = (re, s) => re.exec(s);

// First script location on a line. V8: `at f (URL:1:2)`, `at URL:1:2`,
// `eval at g (URL:1:2)`; SpiderMonkey: `f@URL:1:2`, `@URL line 3 > eval:1:2`,
// `URL line 3 > Function:1:2`. data: scripts are caught by their scheme alone
// because their URL may contain anything, parentheses included.
const FRAME_RE =
  /^[^\n]*?(?:((?:https?|blob|file|about|chrome-extension|moz-extension|safari-web-extension):[^\s()]*?)(?::\d+:\d+|(?= line \d+ > ))|(data:))/gm;

/** Script URLs on the stack, innermost first; `data:` stands for a data: script. */
export function stackUrls(stack: string, exec: Exec = nativeExec): string[] {
  const out: string[] = [];
  FRAME_RE.lastIndex = 0;
  for (let m = exec(FRAME_RE, stack); m !== null; m = exec(FRAME_RE, stack)) {
    const url = m[1] ?? m[2];
    if (url !== undefined) out[out.length] = url;
    // A zero-length match cannot happen (each match contains a scheme), so
    // lastIndex always advances and the loop ends.
  }
  return out;
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
function lower(s: string): string {
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
