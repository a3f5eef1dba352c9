// @ts-check
// Launches real Chromium and Firefox with the built extension in a fresh,
// automated profile. Shared by the scanner, the demo, the benchmarks and the
// browser tests, so there is one recipe (see shared notes: real-browsers.md).
import puppeteer from 'puppeteer-core';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');

export const BROWSERS = /** @type {const} */ (['chromium', 'firefox']);
/** @typedef {'chromium' | 'firefox'} BrowserKind */

export const GECKO_ID = 'untapped@untapped.dev';
/** Fixed so extension page URLs are stable across runs in Firefox. */
export const GECKO_UUID = '3b9a2f1e-6c1d-4f7a-9b8e-2d5c4a1f0e7b';

const EXECUTABLES = {
  chromium: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
  firefox: process.env.FIREFOX_PATH ?? '/usr/lib/firefox-esr/firefox-esr',
};

// Flags without which headless Chromium keeps calling hosts this network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--no-default-browser-check', '--disable-dev-shm-usage',
];

/** Chromium extension id from the manifest `key`: sha256 of the DER, hex mapped to a-p. */
export function chromiumExtensionId(manifestPath = join(root, 'manifest.json')) {
  const key = JSON.parse(readFileSync(manifestPath, 'utf8')).key;
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

export function executableFor(/** @type {BrowserKind} */ kind) {
  return EXECUTABLES[kind];
}

/**
 * @typedef {object} Session
 * @property {import('puppeteer-core').Browser} browser
 * @property {BrowserKind} kind
 * @property {string | null} extensionBase  e.g. `chrome-extension://id/`; null without the extension
 * @property {() => Promise<void>} close
 */

/**
 * @param {BrowserKind} kind
 * `userDataDir` reuses a profile (e.g. to relaunch the browser on the same
 * profile); such a profile is the caller's and is not deleted on close.
 * `handleSignals: false` stops puppeteer from installing its own SIGINT,
 * SIGTERM and SIGHUP handlers (which kill the browser and exit the process),
 * for callers that shut down cleanly themselves (the scanner).
 * @param {{ extension?: boolean, extensionDir?: string, prefs?: Record<string, unknown>, userDataDir?: string, handleSignals?: boolean }} [opts]
 * @returns {Promise<Session>}
 */
export async function launch(kind, opts = {}) {
  const withExtension = opts.extension ?? true;
  // UNTAPPED_DIST lets concurrent test runs each load their own build.
  const extDir = opts.extensionDir ?? join(process.env.UNTAPPED_DIST ?? join(root, 'dist'), kind);
  if (withExtension && !existsSync(join(extDir, 'manifest.json'))) {
    throw new Error(`no built extension at ${extDir}: run npm run build first`);
  }
  const profile = opts.userDataDir ?? mkdtempSync(join(tmpdir(), `untapped-${kind}-`));
  /** @type {import('puppeteer-core').Browser} */
  let browser;
  let extensionBase = null;
  const signals = opts.handleSignals === false ? { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false } : {};
  if (kind === 'chromium') {
    const args = [...CHROMIUM_ARGS];
    if (withExtension) args.push(`--load-extension=${extDir}`, `--disable-extensions-except=${extDir}`);
    browser = await puppeteer.launch({
      executablePath: EXECUTABLES.chromium,
      headless: true,
      pipe: true,
      enableExtensions: withExtension,
      userDataDir: profile,
      args,
      ignoreDefaultArgs: ['--disable-extensions'],
      ...signals,
    });
    if (withExtension) {
      extensionBase = `chrome-extension://${chromiumExtensionId(join(extDir, 'manifest.json'))}/`;
      // An extension loaded at launch registers its service worker a moment
      // after the browser is up; a page loaded before that can send reports
      // that are never delivered (measured: about 1 launch in 30 lost a
      // first page closed at once). An installed extension's worker is
      // already registered, so wait for that state, as a user has it.
      const base = extensionBase;
      await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(base), { timeout: 10_000 })
        .catch((e) => console.warn(`chromium: the extension's service worker did not start within 10 s (${e?.message ?? e}); going on`));
    }
  } else {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: EXECUTABLES.firefox,
      headless: true,
      userDataDir: profile,
      args: ['--remote-allow-system-access'],
      ...signals,
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: GECKO_UUID }),
        // Under WebDriver BiDi every page is a debuggee, and Firefox records
        // async stacks (the frames that scheduled a callback) for debuggees
        // only: a user's Firefox shows them with devtools open, not otherwise
        // (javascript.options.asyncstack_capture_debuggee_only). The guard
        // reads stacks, so it is tested and scanned as users run it: without.
        'javascript.options.asyncstack': false,
        // Keep Firefox off the network it cannot reach.
        'app.update.enabled': false,
        'browser.safebrowsing.malware.enabled': false,
        'browser.safebrowsing.phishing.enabled': false,
        'network.captive-portal-service.enabled': false,
        'network.connectivity-service.enabled': false,
        'extensions.getAddons.cache.enabled': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        ...(opts.prefs ?? {}),
      },
    });
    if (withExtension) {
      await browser.installExtension(extDir);
      extensionBase = `moz-extension://${GECKO_UUID}/`;
    }
  }
  return {
    browser,
    kind,
    extensionBase,
    async close() {
      await browser.close().catch((e) => console.warn(`closing ${kind}:`, e?.message ?? e));
      if (!opts.userDataDir) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens an extension page (popup.html, dashboard.html) in a tab and waits for
 * `selector`. Firefox may never resolve a goto to moz-extension://, so the
 * navigation is started without awaiting it.
 * @param {Session} s
 * @param {string} path
 * @param {string} selector
 */
export async function openExtensionPage(s, path, selector, timeout = 15_000) {
  if (!s.extensionBase) throw new Error('extension not loaded');
  const page = await s.browser.newPage();
  const url = s.extensionBase + path;
  if (s.kind !== 'firefox') {
    await page.goto(url);
    await page.waitForSelector(selector, { timeout });
    return page;
  }
  /** @type {string} */
  let navError = 'pending';
  page.goto(url).catch((e) => { navError = String(e?.message ?? e); /* resolution is not awaited on purpose; the selector wait decides */ });
  // While that navigation commits, BiDi may fail an evaluation in the old
  // document ("right-hand side of 'in' should be an object"); retry until the
  // deadline rather than fail on that transient error.
  const deadline = Date.now() + timeout;
  for (let attempt = 1; ; attempt++) {
    try {
      await page.waitForSelector(selector, { timeout: Math.max(1000, Math.min(5000, deadline - Date.now())) });
      return page;
    } catch (e) {
      if (Date.now() >= deadline) {
        throw new Error(`${url}: ${selector} did not appear after ${attempt} tries (${e instanceof Error ? e.message : String(e)}; navigation: ${navError})`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
