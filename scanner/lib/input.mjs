// @ts-check
// Reads the list of sites to scan: a file of URLs (one per line, `#`
// comments) or a Tranco-style CSV (`rank,domain`). Pure over the text, so a
// bad line is reported by number before any browser starts.
import { UsageError } from './cli-args.mjs';

/** @typedef {{ url: string, rank: number | null, line: number }} Target */

/**
 * @param {string} text
 * @param {string} [name]  the file name, for errors
 * @returns {Target[]}
 */
export function parseTargets(text, name = 'input') {
  /** @type {Target[]} */
  const out = [];
  /** @type {string[]} */
  const errors = [];
  const seen = new Set();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let csv = null;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = /** @type {string} */ (lines[i]);
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    // The first data line decides the format: `rank,domain` is Tranco's.
    if (csv === null) csv = /^[^,\s]*,/.test(line);
    let url;
    let rank = null;
    if (csv) {
      const cells = line.split(',').map((c) => c.trim());
      if (cells.length !== 2) {
        errors.push(`${name}:${lineNo}: expected "rank,domain", got ${cells.length} columns`);
        continue;
      }
      const [r, domain] = /** @type {[string, string]} */ (cells);
      if (!/^\d+$/.test(r)) {
        // A header row ("rank,domain") is allowed as the first data line only.
        if (out.length === 0 && errors.length === 0 && /^rank$/i.test(r)) continue;
        errors.push(`${name}:${lineNo}: rank must be a whole number, got ${JSON.stringify(r)}`);
        continue;
      }
      rank = Number(r);
      if (!/^[a-z0-9.-]+(:\d+)?$/i.test(domain) || !domain.includes('.') && !/^localhost(:\d+)?$/i.test(domain)) {
        errors.push(`${name}:${lineNo}: not a domain: ${JSON.stringify(domain)}`);
        continue;
      }
      url = `https://${domain.toLowerCase()}/`;
    } else {
      const candidate = /^[a-z][a-z0-9+.-]*:/i.test(line) ? line : `https://${line}`;
      let u;
      try {
        u = new URL(candidate);
      } catch (e) {
        errors.push(`${name}:${lineNo}: not a URL: ${JSON.stringify(line)}`);
        continue;
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') {
        errors.push(`${name}:${lineNo}: only http and https URLs can be scanned, got ${u.protocol}`);
        continue;
      }
      url = u.href;
    }
    if (seen.has(url)) continue;
    seen.add(url);
    out.push({ url, rank, line: lineNo });
  }
  if (errors.length > 0) {
    const more = errors.length > 10 ? `\n... and ${errors.length - 10} more` : '';
    throw new UsageError(`${errors.length} bad line(s) in ${name}:\n${errors.slice(0, 10).join('\n')}${more}`);
  }
  if (out.length === 0) throw new UsageError(`${name} lists no sites`);
  return out;
}
