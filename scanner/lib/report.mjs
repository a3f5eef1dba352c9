// @ts-check
// Builds summary.csv and report.html from results.jsonl in one streaming
// pass, so reports over thousands of sites need only the aggregates in memory.
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { CSV_COLUMNS, csvRow, readResults } from './results.mjs';

/** @typedef {import('./results.mjs').ScanRecord} ScanRecord */

const MAX_TABLE_ROWS = 1000;

/** @param {unknown} s */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function newStats() {
  return {
    sites: 0, ok: 0, failed: 0, surveillance: 0, hooks: 0, exfil: 0, exfilProtected: 0, stopped: 0,
    /** @type {Record<string, number>} */ grades: {},
  };
}

/**
 * @param {string} dir  holds results.jsonl; summary.csv and report.html are written next to it
 * @param {{ warn?: (m: string) => void, title?: string }} [opts]
 */
export async function writeReports(dir, opts = {}) {
  const csvPath = join(dir, 'summary.csv');
  const csv = createWriteStream(csvPath, 'utf8');
  csv.write(`${CSV_COLUMNS.join(',')}\n`);
  /** @type {Record<string, ReturnType<typeof newStats>>} */
  const byBrowser = {};
  /** @type {Map<string, number>} */
  const origins = new Map();
  /** @type {Map<string, number>} */
  const encodings = new Map();
  /** @type {Map<string, number>} */
  const channels = new Map();
  /** @type {ScanRecord[]} */
  const rows = [];
  let truncated = 0;
  let lastDrain = Promise.resolve();
  const { records, bad } = await readResults(join(dir, 'results.jsonl'), (r) => {
    if (!csv.write(`${csvRow(r)}\n`)) lastDrain = once(csv, 'drain').then(() => undefined);
    const st = (byBrowser[r.browser] ??= newStats());
    st.sites++;
    if (r.status !== 'ok' || !r.verdict) {
      st.failed++;
    } else {
      st.ok++;
      const v = r.verdict;
      if (v.surveillance) st.surveillance++;
      if (v.hooks) st.hooks++;
      if (v.exfiltration) st.exfil++;
      if (v.exfiltrationProtected) st.exfilProtected++;
      if (v.protectStopsExfiltration) st.stopped++;
      if (r.grade) st.grades[r.grade] = (st.grades[r.grade] ?? 0) + 1;
      for (const o of v.thirdPartyOrigins) if (origins.has(o) || origins.size < 50_000) origins.set(o, (origins.get(o) ?? 0) + 1);
      const m = r.modes.monitor ?? r.modes.protect;
      for (const h of m?.exfil ?? []) {
        if (!h.thirdParty) continue;
        encodings.set(h.encoding, (encodings.get(h.encoding) ?? 0) + 1);
        channels.set(h.channel, (channels.get(h.channel) ?? 0) + 1);
      }
    }
    // The table is bounded; summary.csv has every record.
    if (rows.length < MAX_TABLE_ROWS) rows.push(slim(r));
    else truncated++;
  }, opts.warn ? { warn: opts.warn } : {});
  await lastDrain;
  csv.end();
  await once(csv, 'finish');
  const html = renderHtml({ byBrowser, origins, encodings, channels, rows, truncated, records, bad, title: opts.title ?? 'Untapped scan report' });
  writeFileSync(join(dir, 'report.html'), html);
  return { records, bad };
}

/** Only what the table shows, so 1000 rows stay small. @param {ScanRecord} r @returns {ScanRecord} */
function slim(r) {
  return { ...r, modes: {} };
}

/**
 * Horizontal bar chart as inline SVG.
 * @param {{ label: string, value: number, max?: number, color?: string, suffix?: string }[]} bars
 * @param {string} title
 */
export function barChart(bars, title) {
  const rowH = 22;
  const labelW = 260;
  const chartW = 360;
  const max = Math.max(1, ...bars.map((b) => b.max ?? b.value));
  const h = bars.length * rowH + 28;
  const items = bars.map((b, i) => {
    const y = 24 + i * rowH;
    const w = Math.round((b.value / (b.max ?? max)) * chartW);
    return `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${esc(b.label)}</text>`
      + `<rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 6}" fill="${b.color ?? '#4a6fa5'}"><title>${esc(b.label)}: ${b.value}</title></rect>`
      + `<text x="${labelW + w + 6}" y="${y + 14}">${esc(b.value)}${esc(b.suffix ?? '')}</text>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${labelW + chartW + 80}" height="${h}" font-family="sans-serif" font-size="12">`
    + `<text x="0" y="14" font-weight="bold">${esc(title)}</text>${bars.length === 0 ? '<text x="0" y="40">nothing to show</text>' : items}</svg>`;
}

/**
 * @param {{ byBrowser: Record<string, ReturnType<typeof newStats>>, origins: Map<string, number>, encodings: Map<string, number>,
 *   channels: Map<string, number>, rows: ScanRecord[], truncated: number, records: number, bad: number, title: string }} d
 */
function renderHtml(d) {
  const browsers = Object.keys(d.byBrowser).sort();
  const pct = (/** @type {number} */ n, /** @type {number} */ of) => (of === 0 ? 0 : Math.round((100 * n) / of));
  const verdictBars = browsers.flatMap((b) => {
    const s = /** @type {ReturnType<typeof newStats>} */ (d.byBrowser[b]);
    return [
      { label: `${b}: surveillance`, value: pct(s.surveillance, s.ok), max: 100, color: '#c0392b', suffix: '%' },
      { label: `${b}: exfiltration, monitor mode`, value: pct(s.exfil, s.ok), max: 100, color: '#e67e22', suffix: '%' },
      { label: `${b}: exfiltration, protect mode`, value: pct(s.exfilProtected, s.ok), max: 100, color: '#27ae60', suffix: '%' },
    ];
  });
  const gradeBars = browsers.flatMap((b) => ['A', 'B', 'C', 'D', 'F'].map((g) => ({ label: `${b}: ${g}`, value: /** @type {ReturnType<typeof newStats>} */ (d.byBrowser[b]).grades[g] ?? 0, color: '#8e44ad' })));
  const top = (/** @type {Map<string, number>} */ m, n = 10) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
  const rows = [...d.rows].sort((a, b) => rank(b) - rank(a) || a.url.localeCompare(b.url) || a.browser.localeCompare(b.browser));
  const summary = browsers.map((b) => {
    const s = /** @type {ReturnType<typeof newStats>} */ (d.byBrowser[b]);
    return `<tr><th>${esc(b)}</th><td>${s.sites}</td><td>${s.ok}</td><td>${s.failed}</td><td>${s.surveillance}</td><td>${s.exfil}</td><td>${s.exfilProtected}</td><td>${s.stopped}</td></tr>`;
  }).join('');
  const table = rows.map((r) => {
    const v = r.verdict;
    const yes = (/** @type {boolean | null | undefined} */ x) => (x === true ? '<b class="bad">yes</b>' : x === false ? 'no' : '–');
    return `<tr data-url="${esc(r.url)}" data-browser="${esc(r.browser)}"><td><a href="${esc(r.url)}">${esc(r.url)}</a></td><td>${esc(r.browser)}</td><td>${esc(r.status)}</td>`
      + `<td>${esc(r.grade ?? '–')}</td><td>${yes(v?.surveillance)}</td><td>${yes(v?.exfiltration)}</td><td>${yes(v?.exfiltrationProtected)}</td>`
      + `<td>${esc(v?.thirdPartyOrigins.join(' ') ?? '')}</td><td>${esc(r.error ?? '')}</td></tr>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(d.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
.bad{color:#c0392b}.charts{display:flex;flex-wrap:wrap;gap:2em}figure{margin:0}
</style></head><body>
<h1>${esc(d.title)}</h1>
<p>${d.records} result record(s)${d.bad ? `, ${d.bad} unreadable line(s) skipped` : ''}. Generated ${esc(new Date().toISOString())}.
Surveillance: a third-party script hooked keystrokes or taps on something it does not own, or typed data reached a third party.
Exfiltration: a canary typed into a form (plain, URL-encoded, base64, md5, sha1 or sha256) reached a third-party host.</p>
<table id="summary"><tr><th>browser</th><th>sites</th><th>scanned</th><th>failed</th><th>surveillance</th><th>exfiltration (monitor)</th><th>exfiltration (protect)</th><th>stopped by protect</th></tr>${summary}</table>
<div class="charts">
<figure>${barChart(verdictBars, 'Share of scanned sites')}</figure>
<figure>${barChart(gradeBars, 'Grades (without protection)')}</figure>
<figure>${barChart(top(d.origins).map(([label, value]) => ({ label, value, color: '#c0392b' })), 'Third-party origins hooking input, by sites')}</figure>
<figure>${barChart(top(d.encodings).map(([label, value]) => ({ label, value, color: '#e67e22' })), 'Exfiltrated canaries by encoding')}</figure>
<figure>${barChart(top(d.channels).map(([label, value]) => ({ label, value, color: '#16a085' })), 'Exfiltration by channel')}</figure>
</div>
<h2>Sites</h2>
${d.truncated ? `<p>The table shows the first ${MAX_TABLE_ROWS} records; ${d.truncated} more are in results.jsonl and summary.csv.</p>` : ''}
<table id="sites"><tr><th>url</th><th>browser</th><th>status</th><th>grade</th><th>surveillance</th><th>exfiltration</th><th>exfiltration with protection</th><th>hooking origins</th><th>error</th></tr>
${table}
</table>
</body></html>
`;
}

/** Sort key: the worst findings first, failures last. @param {ScanRecord} r */
function rank(r) {
  if (r.status !== 'ok') return -1;
  const v = r.verdict;
  return (v?.exfiltrationProtected ? 3 : 0) + (v?.exfiltration ? 2 : 0) + (v?.surveillance ? 1 : 0);
}
