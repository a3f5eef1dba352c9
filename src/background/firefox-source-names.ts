// Firefox workaround: a script's `//# sourceURL=` comment renames it in
// Error.stack. SpiderMonkey prints that name in place of the file's URL (V8's
// CallSites keep the real file, which the guard reads). The guard in Firefox
// has only the stack text to go on. So until 2026-11-25 a third party's own
// file ending in `//# sourceURL=https://the-site/app.js` was taken for the
// page's code, and its listeners heard every key (`sourceurl-file`,
// docs/threat-model.md). The guard cannot read a file's text, and the
// directive takes effect when the engine compiles it, so the background
// defuses it on the way in. In every script response from another site than
// the document's, the `=` of `sourceURL=` becomes a space. SpiderMonkey's
// directive is exactly ` sourceURL=`, so the comment is then only a comment
// and the frames keep the file's own URL. The bytes are rewritten in place
// and the length stays the same. Scripts decode as UTF-8, a legacy
// single-byte encoding or UTF-16, and the pattern is looked for in each.

import type { Mode } from '../shared/types';
import { siteOfUrl } from '../shared/site';

const PATTERN = 'sourceURL=';
const ANCHOR = PATTERN.indexOf('U');
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
// PATTERN's bytes in an ASCII-compatible encoding, and in UTF-16 without the
// last zero byte, which then matches little-endian text at an even offset and
// big-endian at an odd one. `at`: where the 'U' byte is in them.
const ENCODED: readonly { bytes: readonly number[]; at: number }[] = [
  { bytes: ascii(PATTERN), at: ANCHOR },
  { bytes: ascii(PATTERN).flatMap((b) => [b, 0]).slice(0, -1), at: ANCHOR * 2 },
];
const U = 0x55;
const SPACE = 0x20;
/** Bytes held back from each chunk: a pattern may start in them and end in the next. */
export const HELD = Math.max(...ENCODED.map((e) => e.bytes.length)) - 1;

/** Defuses every `sourceURL=` in `buf`, in place. Returns how many there were. */
export function defuse(buf: Uint8Array): number {
  let found = 0;
  for (let i = buf.indexOf(U); i !== -1; i = buf.indexOf(U, i + 1)) {
    for (const { bytes, at } of ENCODED) {
      const start = i - at;
      if (start < 0 || start + bytes.length > buf.length) continue;
      let k = 0;
      while (k < bytes.length && buf[start + k] === bytes[k]) k++;
      if (k < bytes.length) continue;
      // Both patterns end in the '=' byte.
      buf[start + bytes.length - 1] = SPACE;
      found++;
      break;
    }
  }
  return found;
}

/** Streams a response through `defuse`, holding back a pattern's length across chunk edges. */
export class NameDefuser {
  private held = new Uint8Array(0);
  defused = 0;

  /** Takes the next chunk; returns the bytes that can be passed on now. */
  push(chunk: Uint8Array): Uint8Array {
    const buf = new Uint8Array(this.held.length + chunk.length);
    buf.set(this.held, 0);
    buf.set(chunk, this.held.length);
    // A match already defused does not match again when its tail is re-read.
    this.defused += defuse(buf);
    const cut = Math.max(0, buf.length - HELD);
    this.held = buf.slice(cut);
    return buf.subarray(0, cut);
  }

  /** The bytes still held, at the end of the response. */
  end(): Uint8Array {
    const rest = this.held;
    this.held = new Uint8Array(0);
    return rest;
  }
}

/** The parts of Firefox's webRequest details this uses. */
export interface ScriptRequest {
  requestId: string;
  url: string;
  /** The document the script is for (Firefox only). */
  documentUrl?: string;
  /** The frame's ancestors, the top-level document last (Firefox only). */
  frameAncestors?: { url: string }[];
}

/**
 * Whether a script's names must be defused: it comes from another site than
 * the document loading it, or the document's site is not known (about:
 * documents; a script a page loads from its own site cannot pass for anyone
 * else's, so those are left alone).
 */
export function needsDefusing(req: ScriptRequest): boolean {
  if (!/^https?:/i.test(req.url)) return false;
  const docSite = req.documentUrl !== undefined ? siteOfUrl(req.documentUrl) : '';
  return docSite === '' || siteOfUrl(req.url) !== docSite;
}

/** The top-level document's URL: a site switched off is left untouched. */
export const topUrlOf = (req: ScriptRequest): string | undefined =>
  req.frameAncestors !== undefined && req.frameAncestors.length > 0
    ? req.frameAncestors[req.frameAncestors.length - 1]!.url
    : req.documentUrl;

/** Firefox's StreamFilter, as far as it is used here. */
export interface StreamFilterLike {
  ondata: ((e: { data: ArrayBuffer }) => void) | null;
  onstop: ((e: unknown) => void) | null;
  onerror: ((e: unknown) => void) | null;
  readonly error: string;
  write(data: ArrayBuffer | Uint8Array): void;
  close(): void;
}

export interface DefuseDeps {
  filterResponseData(requestId: string): StreamFilterLike;
  /** The mode of the top-level site (user settings and policy). */
  modeFor(topUrl: string | undefined): Promise<Mode>;
  onError(what: string, err: unknown): void;
}

/** Counters for diagnostics and tests. */
export interface DefuseStats { filtered: number; defused: number; failed: number }

/**
 * The blocking onBeforeRequest listener (types: ['script']). Firefox waits
 * for the returned promise, so the filter is attached before any byte
 * arrives.
 */
export function createDefuseListener(deps: DefuseDeps, stats: DefuseStats = { filtered: 0, defused: 0, failed: 0 }) {
  return async (req: ScriptRequest): Promise<Record<string, never>> => {
    if (!needsDefusing(req)) return {};
    let mode: Mode;
    try {
      mode = await deps.modeFor(topUrlOf(req));
    } catch (e) {
      // Settings unreadable: defuse anyway (it changes no behaviour of the script).
      deps.onError('read the mode for a script filter', e);
      mode = 'protect';
    }
    if (mode === 'off') return {};
    let filter: StreamFilterLike;
    try {
      filter = deps.filterResponseData(req.requestId);
    } catch (e) {
      stats.failed++;
      deps.onError('filter a script response', e);
      return {};
    }
    stats.filtered++;
    const defuser = new NameDefuser();
    filter.ondata = (e) => {
      const out = defuser.push(new Uint8Array(e.data));
      if (out.length > 0) filter.write(out);
    };
    filter.onstop = () => {
      const rest = defuser.end();
      if (rest.length > 0) filter.write(rest);
      stats.defused += defuser.defused;
      filter.close();
    };
    filter.onerror = () => {
      stats.failed++;
      deps.onError('script filter', filter.error);
    };
    return {};
  };
}
