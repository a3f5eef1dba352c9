// @ts-check
// Canary values typed into forms, and the search for them in outgoing
// traffic. Every visit gets its own values (derived from the run, the site,
// the browser and the mode), so a hit can only come from that visit even when
// several visits share one loopback server.
import { createHash } from 'node:crypto';

/** @typedef {'email' | 'password' | 'card' | 'search'} CanaryKind */
/** @typedef {'plain' | 'urlencoded' | 'base64' | 'md5' | 'sha1' | 'sha256'} Encoding */
/** @typedef {Record<CanaryKind, string>} Canaries */

export const CANARY_KINDS = /** @type {const} */ (['email', 'password', 'card', 'search']);
export const ENCODINGS = /** @type {const} */ (['plain', 'urlencoded', 'base64', 'md5', 'sha1', 'sha256']);

/** Appends the Luhn check digit, so card fields that validate accept the number. */
export function withLuhn(/** @type {string} */ digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits + String((10 - (sum % 10)) % 10);
}

/**
 * @param {string} seed  anything unique to the visit (run id, url, browser, mode)
 * @returns {Canaries}
 */
export function makeCanaries(seed) {
  const h = createHash('sha256').update(seed).digest('hex');
  const token = h.slice(0, 10);
  // 15 digits from the hash, Luhn-completed to 16, on a Visa-like prefix.
  const digits = '4' + BigInt('0x' + h.slice(10, 26)).toString().padStart(14, '0').slice(0, 14);
  return {
    // '@' and '#' make the URL-encoded forms differ from the plain ones.
    email: `u${token}@canary.example`,
    password: `Pw#${token}`,
    card: withLuhn(digits),
    search: `find ${token}`,
  };
}

const hex = (/** @type {string} */ alg, /** @type {string} */ v) => createHash(alg).update(v, 'utf8').digest('hex');

/**
 * The base64 text that `value` becomes wherever it sits inside a larger
 * base64-encoded payload: one needle per byte alignment (0, 1, 2), keeping
 * only the characters that depend on the value alone.
 * @param {string} value
 */
export function base64Needles(value) {
  const bytes = Buffer.from(value, 'utf8');
  /** @type {string[]} */
  const out = [];
  for (let k = 0; k < 3; k++) {
    const b64 = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const from = Math.ceil((8 * k) / 6);
    const to = Math.floor((8 * (k + bytes.length)) / 6);
    const core = b64.slice(from, to);
    if (core.length >= 8) {
      out.push(core);
      const urlSafe = core.replace(/\+/g, '-').replace(/\//g, '_');
      if (urlSafe !== core) out.push(urlSafe);
    }
  }
  return out;
}

/**
 * Every form a canary may take on the wire. Hashes are taken of the value as
 * typed and of its trimmed lower-case form (how emails are "normalised" for
 * matching); hex digests are matched case-insensitively.
 * @param {string} value
 * @returns {{ encoding: Encoding, needle: string }[]}
 */
export function needlesFor(value) {
  /** @type {{ encoding: Encoding, needle: string }[]} */
  const out = [{ encoding: 'plain', needle: value }];
  const enc = encodeURIComponent(value);
  if (enc !== value) out.push({ encoding: 'urlencoded', needle: enc });
  const form = enc.replace(/%20/g, '+');
  if (form !== enc) out.push({ encoding: 'urlencoded', needle: form });
  for (const n of base64Needles(value)) out.push({ encoding: 'base64', needle: n });
  const variants = [...new Set([value, value.trim().toLowerCase()])];
  for (const alg of /** @type {const} */ (['md5', 'sha1', 'sha256'])) {
    for (const v of variants) out.push({ encoding: alg, needle: hex(alg, v) });
  }
  return out;
}

/** @typedef {{ kind: CanaryKind, encoding: Encoding }} Hit */

/**
 * Compiles the canaries into a matcher over request text.
 * @param {Canaries} canaries
 * @returns {(text: string) => Hit[]}
 */
export function canaryMatcher(canaries) {
  const table = CANARY_KINDS.flatMap((kind) => needlesFor(canaries[kind]).map((n) => ({ kind, ...n })));
  return (text) => {
    if (!text) return [];
    const lower = text.toLowerCase();
    /** @type {Map<string, Hit>} */
    const hits = new Map();
    for (const t of table) {
      const isHash = t.encoding === 'md5' || t.encoding === 'sha1' || t.encoding === 'sha256';
      if ((isHash ? lower : text).includes(t.needle)) hits.set(`${t.kind}|${t.encoding}`, { kind: t.kind, encoding: t.encoding });
    }
    return [...hits.values()];
  };
}
