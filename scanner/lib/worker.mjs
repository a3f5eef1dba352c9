// @ts-check
// A worker owns one browser (one profile, so the extension's tallies and
// per-site modes are its own) and scans one site at a time in it: both modes,
// under a time limit. It relaunches the browser when it crashed, hung, or has
// served `recycleEvery` sites (long-lived browsers grow).
import { launch, openExtensionPage } from './browsers.mjs';
import { makeCanaries } from './canary.mjs';
import { visit } from './visit.mjs';
import { siteOf } from './site.mjs';

/** @typedef {import('./browsers.mjs').BrowserKind} BrowserKind */
/** @typedef {import('./visit.mjs').ModeResult} ModeResult */

export class TimeoutError extends Error {}

/**
 * @param {import('./browsers.mjs').Session} session
 * @returns {Promise<{ page: import('puppeteer-core').Page, send: (msg: unknown) => Promise<any> }>}
 */
export async function openControl(session) {
  // Any extension page can message the background; the popup is the smallest.
  const page = await openExtensionPage(session, 'popup.html?site=untapped-scanner', '[data-testid="site"]', 20_000);
  return {
    page,
    send: (msg) => page.evaluate((m) => {
      const g = /** @type {any} */ (globalThis);
      return (g.browser ?? g.chrome).runtime.sendMessage(m);
    }, /** @type {any} */ (msg)),
  };
}

export class Worker {
  /**
   * @param {BrowserKind} kind
   * @param {{ recycleEvery: number, timeoutMs: number, runId: string, modes: ('monitor' | 'protect')[],
   *   subscribeServer?: (fn: (r: import('./serve.mjs').Recorded) => void) => () => void,
   *   log: (msg: string) => void, extensionDir?: string }} opts
   */
  constructor(kind, opts) {
    this.kind = kind;
    this.opts = opts;
    /** @type {import('./browsers.mjs').Session | null} */
    this.session = null;
    /** @type {Awaited<ReturnType<typeof openControl>> | null} */
    this.control = null;
    this.served = 0;
    this.launches = 0;
    this.crashes = 0;
    this.disconnected = false;
    this.closing = false;
    /** @type {string} */
    this.version = '';
  }

  /** Browser process id, for memory accounting. */
  pid() {
    return this.session?.browser.process()?.pid ?? null;
  }

  /**
   * Whether the browser is gone. Puppeteer over BiDi (Firefox) may neither
   * emit 'disconnected' nor clear `connected` when the process dies, so the
   * process itself is checked too.
   */
  gone() {
    const s = this.session;
    if (!s) return true;
    const proc = s.browser.process();
    return this.disconnected || !s.browser.connected || (proc !== null && (proc.exitCode !== null || proc.signalCode !== null));
  }

  async ensure() {
    if (this.session && !this.gone() && this.served < this.opts.recycleEvery) return;
    if (this.session && this.gone()) this.disconnected = true;
    if (this.session) {
      this.opts.log(this.disconnected ? `${this.kind} is gone; relaunching` : `${this.kind} recycled after ${this.served} sites`);
      if (this.disconnected) this.crashes++;
      await this.stop();
    }
    this.disconnected = false;
    // The scanner handles SIGINT/SIGTERM itself (to keep what is done).
    const s = await launch(this.kind, { handleSignals: false, ...(this.opts.extensionDir ? { extensionDir: this.opts.extensionDir } : {}) });
    this.session = s;
    this.launches++;
    this.served = 0;
    s.browser.on('disconnected', () => {
      // A browser closed earlier may report late; only the current one counts.
      if (this.session === s) this.disconnected = true;
    });
    this.version = await s.browser.version().catch((e) => `unknown (${e?.message ?? e})`);
    this.control = await openControl(s);
  }

  async stop() {
    const s = this.session;
    this.session = null;
    this.control = null;
    if (!s) return;
    // A hung browser may never answer close(): kill it after a grace period.
    const proc = s.browser.process();
    const timer = setTimeout(() => proc?.kill('SIGKILL'), 5000);
    await s.close();
    clearTimeout(timer);
  }

  /**
   * Scans one URL in every mode. A browser crash is retried once on a fresh
   * browser; a timeout is not (a site that hangs once will hang again).
   * @param {string} url
   * @returns {Promise<{ status: 'ok' | 'error' | 'timeout', error: string | null, modes: Partial<Record<'monitor' | 'protect', ModeResult>>, attempts: number }>}
   */
  async scan(url) {
    let lastError = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        await this.ensure();
        const modes = await this.withTimeout(() => this.scanModes(url), this.opts.timeoutMs);
        this.served++;
        return { status: 'ok', error: null, modes, attempts: attempt };
      } catch (e) {
        if (this.closing) throw e;
        const msg = e instanceof Error ? e.message : String(e);
        lastError = msg;
        if (e instanceof TimeoutError) {
          // The browser may be wedged on this site: start the next one fresh.
          await this.stop();
          return { status: 'timeout', error: msg, modes: {}, attempts: attempt };
        }
        if (this.gone() || /Connection closed|Target closed|Session closed|has disconnected/i.test(msg)) {
          this.crashes++;
          this.opts.log(`${this.kind} crashed on ${url} (${msg}); relaunching and retrying`);
          await this.stop();
          continue;
        }
        return { status: 'error', error: msg, modes: {}, attempts: attempt };
      }
    }
    return { status: 'error', error: `browser crashed twice: ${lastError}`, modes: {}, attempts: 2 };
  }

  /** @param {string} url */
  async scanModes(url) {
    const s = /** @type {import('./browsers.mjs').Session} */ (this.session);
    const control = /** @type {NonNullable<Worker['control']>} */ (this.control);
    /** @type {Partial<Record<'monitor' | 'protect', ModeResult>>} */
    const out = {};
    let target = url;
    let redirected = false;
    for (const mode of this.opts.modes) {
      const once = (/** @type {string} */ u) => visit(s, control, {
        url: u, mode, canaries: makeCanaries(`${this.opts.runId}|${u}|${this.kind}|${mode}`), loadTimeoutMs: Math.min(30_000, this.opts.timeoutMs),
        ...(this.opts.subscribeServer ? { subscribeServer: this.opts.subscribeServer } : {}),
      });
      let r = await once(target);
      // A redirect to another site means the tallies and the mode were set for the wrong key:
      // visit the site it landed on instead (once), for this and every later mode.
      if (!redirected && r.finalUrl && siteOf(r.finalUrl) !== siteOf(target)) {
        redirected = true;
        this.opts.log(`${url} redirects to ${r.finalUrl}; scanning that site`);
        target = r.finalUrl;
        r = await once(target);
      }
      out[mode] = r;
      // Tabs and popups the site opened itself would pile up over thousands of sites.
      for (const p of await s.browser.pages()) {
        if (p !== control.page && !p.url().startsWith(s.extensionBase ?? '\0')) await p.close().catch((e) => this.opts.log(`closing a stray tab: ${e?.message ?? e}`));
      }
    }
    return out;
  }

  /**
   * @template T
   * @param {() => Promise<T>} fn
   * @param {number} ms
   * @returns {Promise<T>}
   */
  async withTimeout(fn, ms) {
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`no result within ${Math.round(ms / 1000)} s`)), ms);
    });
    const work = fn();
    // The losing promise must not surface later as an unhandled rejection.
    work.catch(() => undefined);
    try {
      return /** @type {T} */ (await Promise.race([work, limit]));
    } finally {
      clearTimeout(timer);
    }
  }

  async close() {
    this.closing = true;
    await this.stop();
  }
}
