// @ts-check
// The results.jsonl schema (docs/scanner.md documents it field by field),
// verdicts, reading the file back for resume and merge, and the CSV summary.
import { createReadStream, existsSync, openSync, readSync, closeSync, fstatSync, ftruncateSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Bump when a field changes meaning or goes away; adding fields does not. */
export const SCHEMA_VERSION = 1;

/** @typedef {import('./visit.mjs').ModeResult} ModeResult */
/**
 * @typedef {object} Verdict
 * @property {boolean} hooks            a third-party script hooked keys/taps of things it does not own
 * @property {boolean} exfiltration     a canary reached a third-party host (monitor mode)
 * @property {boolean} surveillance     hooks or exfiltration
 * @property {boolean | null} exfiltrationProtected  a canary still reached a third party in protect mode
 * @property {boolean | null} protectStopsExfiltration
 * @property {string[]} thirdPartyOrigins   script origins that hooked keys or taps
 * @property {string[]} exfilHosts
 */
/**
 * @typedef {object} ScanRecord
 * @property {number} schemaVersion
 * @property {string} key            `${browser} ${url}`: what resume and merge deduplicate on
 * @property {string} target       the list entry: the URL, or `corpus:/site-03/` for the bundled corpus
 * @property {string} url            the URL visited
 * @property {string} site
 * @property {number | null} rank
 * @property {'chromium' | 'firefox'} browser
 * @property {string} browserVersion
 * @property {string} runId
 * @property {string} scannedAt
 * @property {number} durationMs
 * @property {'ok' | 'error' | 'timeout'} status
 * @property {string | null} error
 * @property {number | null} score  exposure score (0-100) of the monitor-mode tallies; null when unavailable
 * @property {string | null} grade
 * @property {{ exposure: unknown, residual: unknown } | null} scoreDetail  exposure from monitor, residual from protect
 * @property {string | null} scoreUnavailable  why score is null
 * @property {Verdict | null} verdict
 * @property {Partial<Record<'monitor' | 'protect', ModeResult>>} modes
 */

/**
 * Third-party hooks the guard denied: blocked counts in protect mode are
 * exactly those (a third party listening to its own widget is allowed and
 * is not surveillance). With only monitor mode there is no such split, so
 * any third-party key/tap attempt counts.
 * @param {Partial<Record<'monitor' | 'protect', ModeResult>>} modes
 */
function hookingOrigins(modes) {
  /** @type {Set<string>} */
  const out = new Set();
  const protect = modes.protect;
  if (protect && protect.status === 'ok') {
    for (const o of protect.origins) {
      if (o.party !== 'third') continue;
      if (Object.values(o.kinds).some((c) => c.blocked > 0)) out.add(o.origin);
    }
    return out;
  }
  for (const o of modes.monitor?.origins ?? []) {
    if (o.party === 'third' && ((o.kinds.key?.attempted ?? 0) > 0 || (o.kinds.tap?.attempted ?? 0) > 0)) out.add(o.origin);
  }
  return out;
}

/**
 * @param {Partial<Record<'monitor' | 'protect', ModeResult>>} modes
 * @returns {Verdict}
 */
export function verdictOf(modes) {
  const origins = hookingOrigins(modes);
  const leaks = (/** @type {ModeResult | undefined} */ m) => (m ? m.exfil.filter((h) => h.thirdParty) : []);
  const base = modes.monitor ?? modes.protect;
  const exfil = leaks(base);
  const exfiltration = exfil.length > 0;
  const exfiltrationProtected = modes.protect ? leaks(modes.protect).length > 0 : null;
  return {
    hooks: origins.size > 0,
    exfiltration,
    surveillance: origins.size > 0 || exfiltration,
    exfiltrationProtected,
    protectStopsExfiltration: modes.monitor && modes.protect && exfiltration ? !exfiltrationProtected : null,
    thirdPartyOrigins: [...origins].sort(),
    exfilHosts: [...new Set(exfil.map((h) => h.host))].sort(),
  };
}

/**
 * Reads results.jsonl line by line (bounded memory), calling `each` per valid
 * record. A torn last line (the process was killed mid-write) is cut off so
 * appends continue on a clean line; other bad lines are reported and kept.
 * @param {string} file
 * @param {(r: ScanRecord, line: number) => void} each
 * @param {{ repair?: boolean, warn?: (msg: string) => void }} [opts]
 * @returns {Promise<{ records: number, bad: number }>}
 */
export async function readResults(file, each, opts = {}) {
  if (!existsSync(file)) return { records: 0, bad: 0 };
  if (opts.repair) repairTail(file, opts.warn ?? (() => undefined));
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  let records = 0;
  let bad = 0;
  for await (const text of rl) {
    line++;
    if (text.trim() === '') continue;
    /** @type {unknown} */
    let v;
    try {
      v = JSON.parse(text);
    } catch (e) {
      bad++;
      opts.warn?.(`${file}:${line}: not JSON (${e instanceof Error ? e.message : e}); skipped`);
      continue;
    }
    const r = /** @type {ScanRecord} */ (v);
    if (typeof r !== 'object' || r === null || typeof r.key !== 'string' || typeof r.schemaVersion !== 'number') {
      bad++;
      opts.warn?.(`${file}:${line}: not a scan record; skipped`);
      continue;
    }
    if (r.schemaVersion > SCHEMA_VERSION) {
      bad++;
      opts.warn?.(`${file}:${line}: schemaVersion ${r.schemaVersion} is newer than this scanner (${SCHEMA_VERSION}); skipped`);
      continue;
    }
    records++;
    each(r, line);
  }
  return { records, bad };
}

/** Cuts a final line that has no newline (a write interrupted by a kill). */
function repairTail(/** @type {string} */ file, /** @type {(m: string) => void} */ warn) {
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return;
    // Walk back to the previous newline.
    const chunk = Buffer.alloc(Math.min(size, 1 << 20));
    readSync(fd, chunk, 0, chunk.length, size - chunk.length);
    const nl = chunk.lastIndexOf(0x0a);
    const keep = nl === -1 ? size - chunk.length : size - chunk.length + nl + 1;
    writeFileSync(`${file}.torn-${Date.now()}`, chunk.subarray(nl + 1));
    ftruncateSync(fd, keep);
    warn(`${file}: the last line was cut off mid-write; saved it aside and removed it (that site will be scanned again)`);
  } finally {
    closeSync(fd);
  }
}

export const CSV_COLUMNS = [
  'url', 'site', 'rank', 'browser', 'status', 'score', 'grade', 'surveillance', 'hooks', 'exfiltration',
  'exfiltration_protected', 'protect_stops_exfiltration', 'hooking_origins', 'exfil_hosts', 'exfil_canaries',
  'exfil_encodings', 'fields_filled', 'duration_ms', 'error',
];

/** RFC 4180 quoting; cells that a spreadsheet would run as a formula are defused. */
export function csvCell(/** @type {unknown} */ v) {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** @param {ScanRecord} r */
export function csvRow(r) {
  const v = r.verdict;
  const monitor = r.modes.monitor ?? r.modes.protect;
  const third = (monitor?.exfil ?? []).filter((h) => h.thirdParty);
  const cells = [
    r.url, r.site, r.rank, r.browser, r.status, r.score, r.grade,
    v?.surveillance, v?.hooks, v?.exfiltration, v?.exfiltrationProtected, v?.protectStopsExfiltration,
    v?.thirdPartyOrigins.join(' '), v?.exfilHosts.join(' '),
    [...new Set(third.map((h) => h.canary))].sort().join(' '),
    [...new Set(third.map((h) => h.encoding))].sort().join(' '),
    monitor?.fields.length ?? 0, r.durationMs, r.error,
  ];
  return cells.map(csvCell).join(',');
}
