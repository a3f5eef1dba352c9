// @ts-check
// Progress on stderr: a bar redrawn in place on a terminal, one plain line
// per finished site otherwise (logs, CI, kubectl logs).

/** @param {number} ms */
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * @param {{ done: number, total: number, errors: number, elapsedMs: number }} p
 * @param {number} width
 */
export function progressLine(p, width = 24) {
  const frac = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(frac * width);
  const rate = p.elapsedMs > 0 ? (p.done / p.elapsedMs) * 60_000 : 0;
  const eta = p.done > 0 ? ((p.total - p.done) * p.elapsedMs) / p.done : NaN;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${Math.round(frac * 100)}% `
    + `${rate.toFixed(1)} sites/min, ${p.errors} failed, ETA ${p.done === p.total ? '0s' : formatDuration(eta)}`;
}

export class Progress {
  /**
   * @param {number} total
   * @param {{ stream?: NodeJS.WriteStream, quiet?: boolean }} [opts]
   */
  constructor(total, opts = {}) {
    this.total = total;
    this.done = 0;
    this.errors = 0;
    this.start = Date.now();
    this.stream = opts.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.quiet = opts.quiet ?? false;
  }

  /** @param {string} what  e.g. "chromium http://x/ ok" */
  tick(what, failed = false) {
    this.done++;
    if (failed) this.errors++;
    if (this.quiet) return;
    const line = progressLine({ done: this.done, total: this.total, errors: this.errors, elapsedMs: Date.now() - this.start });
    if (this.tty) this.stream.write(`\r\x1b[2K${line}`);
    else this.stream.write(`${line}  ${what}\n`);
  }

  /** A message that must not be overdrawn by the bar. */
  log(/** @type {string} */ msg) {
    this.stream.write(this.tty ? `\r\x1b[2K${msg}\n` : `${msg}\n`);
  }

  end() {
    if (this.tty && !this.quiet) this.stream.write('\n');
  }
}
