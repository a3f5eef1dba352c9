// @ts-check
// One visit to one site in one mode: load, wait for quiet, fill the fields a
// person would (with canaries), tap, wait again, then read what the extension
// tallied and which requests carried a canary.
import { canaryMatcher } from './canary.mjs';
import { classifyField, classifyForm } from './fields.mjs';
import { siteOf } from './site.mjs';

/** @typedef {import('./canary.mjs').Canaries} Canaries */
/** @typedef {import('./canary.mjs').Hit} Hit */
/**
 * @typedef {object} ExfilHit
 * @property {import('./canary.mjs').CanaryKind} canary
 * @property {import('./canary.mjs').Encoding} encoding
 * @property {'url' | 'body' | 'header' | 'frame'} where
 * @property {string} channel   resource type as the browser names it (fetch, xhr, image, ping...) or websocket
 * @property {string} host
 * @property {boolean} thirdParty
 * @property {'browser' | 'server-log'} source
 * @property {string} url       first 200 characters
 */
/**
 * @typedef {object} OriginSummary
 * @property {string} origin
 * @property {'first' | 'third'} party
 * @property {Record<string, { attempted: number, blocked: number, allowed: number }>} kinds
 * @property {number} sensitive
 * @property {string[]} apis
 */
/**
 * @typedef {object} ModeResult
 * @property {'monitor' | 'protect'} mode
 * @property {'ok' | 'error'} status
 * @property {string | null} error
 * @property {string | null} finalUrl
 * @property {number} loadMs
 * @property {{ kind: string, form: string, name: string }[]} fields  filled with a canary
 * @property {{ kind: string, form: string, name: string, error: string }[]} fieldErrors  found but could not be filled
 * @property {OriginSummary[]} origins
 * @property {import('../../src/shared/types').SiteTally | null} tally
 * @property {ExfilHit[]} exfil
 * @property {number} requests
 * @property {number} hiddenBodies   requests with a body the browser would not hand over
 * @property {string | null} [hiddenBodyError]
 */

/**
 * @typedef {object} Control
 * @property {(msg: unknown) => Promise<any>} send  a ui/* message to the background
 */

const QUIET_MS = 600;

/**
 * Resolves when no request has been in flight for QUIET_MS, or after `cap`.
 * @param {{ inflight: number, lastActivity: number }} net
 * @param {number} cap
 */
async function waitQuiet(net, cap) {
  const until = Date.now() + cap;
  while (Date.now() < until) {
    if (net.inflight <= 0 && Date.now() - net.lastActivity >= QUIET_MS) return true;
    await sleep(100);
  }
  return false;
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** Headers as one text, minus those the browser sets that cannot carry page data. */
function headerText(/** @type {Record<string, string | string[] | undefined>} */ h) {
  return Object.entries(h)
    .filter(([k]) => !/^(host|user-agent|accept|accept-encoding|accept-language|connection|sec-.*|upgrade-insecure-requests|content-length)$/i.test(k))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v ?? ''}`).join('\n');
}

/**
 * The request's resource type (fetch, xhr, image, ping for sendBeacon...).
 * Puppeteer over BiDi (Firefox) does not expose it: 'unknown' there.
 * @param {import('puppeteer-core').HTTPRequest} req
 */
function channelOf(req) {
  try {
    return req.resourceType();
  } catch (e) {
    return 'unknown';
  }
}

/**
 * Finds canaries in one request, in each of its parts.
 * @param {(t: string) => Hit[]} match
 * @param {{ url: string, headers: Record<string, string | string[] | undefined>, body: string | undefined, channel: string, source: 'browser' | 'server-log', host: string }} r
 * @param {string} pageSite
 * @returns {ExfilHit[]}
 */
export function inspectRequest(match, r, pageSite) {
  /** @type {ExfilHit[]} */
  const out = [];
  const thirdParty = siteOf(`http://${r.host}/`) !== pageSite;
  let decodedUrl = r.url;
  try {
    decodedUrl = decodeURIComponent(r.url.replace(/\+/g, ' '));
  } catch {
    decodedUrl = r.url; // a malformed escape: the raw URL is all there is
  }
  /** @type {[ExfilHit['where'], string][]} */
  const parts = [['url', r.url], ['url', decodedUrl], ['header', headerText(r.headers)]];
  if (r.body) parts.push([r.channel === 'websocket' ? 'frame' : 'body', r.body]);
  const seen = new Set();
  for (const [where, text] of parts) {
    for (const h of match(text)) {
      const key = `${h.kind}|${h.encoding}|${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ canary: h.kind, encoding: h.encoding, where, channel: r.channel, host: r.host, thirdParty, source: r.source, url: r.url.slice(0, 200) });
    }
  }
  return out;
}

/**
 * @param {import('./browsers.mjs').Session} session
 * @param {Control} control
 * @param {{ url: string, mode: 'monitor' | 'protect', canaries: Canaries, subscribeServer?: (fn: (r: import('./serve.mjs').Recorded) => void) => () => void, loadTimeoutMs: number }} o
 * @returns {Promise<ModeResult>}
 */
export async function visit(session, control, o) {
  const site = siteOf(o.url);
  const match = canaryMatcher(o.canaries);
  /** @type {ExfilHit[]} */
  const exfil = [];
  const net = { inflight: 0, lastActivity: Date.now(), total: 0 };
  /** @type {ModeResult} */
  const result = { mode: o.mode, status: 'ok', error: null, finalUrl: null, loadMs: 0, fields: [], fieldErrors: [], origins: [], tally: null, exfil, requests: 0, hiddenBodies: 0 };

  // The tallies are keyed by site; start from nothing and in the mode asked for.
  await control.send({ type: 'ui/clear', site });
  await control.send({ type: 'ui/set-mode', site, mode: o.mode });

  const unsubscribe = o.subscribeServer?.((r) => {
    for (const h of inspectRequest(match, { url: r.url, headers: r.headers, body: r.body, channel: r.method === 'WS' ? 'websocket' : 'http', source: 'server-log', host: r.host }, site)) exfil.push(h);
  });
  const page = await session.browser.newPage();
  /** @type {Promise<unknown>[]} */
  const pending = [];
  try {
    page.on('request', (req) => {
      net.inflight++;
      net.total++;
      net.lastActivity = Date.now();
      pending.push((async () => {
        /** @type {string | undefined} */
        let body;
        try {
          body = req.postData();
        } catch (e) {
          // Puppeteer over BiDi (Firefox) has no synchronous body; fetch it below.
          body = undefined;
        }
        if (body === undefined && req.hasPostData()) {
          try {
            body = await req.fetchPostData();
          } catch (e) {
            result.hiddenBodies++;
            result.hiddenBodyError ??= e instanceof Error ? e.message || e.name : String(e);
          }
        }
        let host = '';
        try {
          host = new URL(req.url()).host;
        } catch {
          host = ''; // data: and blob: URLs leave nothing on the network
        }
        if (host) for (const h of inspectRequest(match, { url: req.url(), headers: req.headers(), body, channel: channelOf(req), source: 'browser', host }, site)) exfil.push(h);
      })());
    });
    const done = () => { net.inflight--; net.lastActivity = Date.now(); };
    // An alert() or confirm() would stall everything after it.
    page.on('dialog', (d) => { d.dismiss().catch((e) => { result.error ??= `dismissing a dialog: ${e?.message ?? e}`; }); });
    page.on('requestfinished', done);
    page.on('requestfailed', done);

    if (session.kind === 'chromium') {
      // WebSocket frames are visible only through CDP; BiDi has no event for them.
      const cdp = await page.createCDPSession();
      /** @type {Map<string, string>} */
      const sockets = new Map();
      cdp.on('Network.webSocketCreated', (e) => sockets.set(e.requestId, e.url));
      cdp.on('Network.webSocketFrameSent', (e) => {
        const url = sockets.get(e.requestId) ?? '';
        let host = '';
        try { host = new URL(url).host; } catch { host = 'unknown'; }
        for (const h of inspectRequest(match, { url, headers: {}, body: e.response.payloadData, channel: 'websocket', source: 'browser', host }, site)) exfil.push(h);
      });
      await cdp.send('Network.enable');
    }

    const t0 = Date.now();
    await page.goto(o.url, { waitUntil: 'load', timeout: o.loadTimeoutMs });
    result.loadMs = Date.now() - t0;
    await waitQuiet(net, 5000);
    result.finalUrl = page.url();

    const forms = await fillForms(page, o.canaries);
    result.fields = forms.filled;
    result.fieldErrors = forms.failed;
    await waitQuiet(net, 4000);
    result.tally = await settledTally(control, site);
    result.origins = summarise(result.tally);
  } finally {
    await Promise.allSettled(pending);
    result.requests = net.total;
    await page.close().catch((e) => { result.error = `closing page: ${e?.message ?? e}`; });
    unsubscribe?.();
  }
  // Server log and browser may both see one request: keep one hit per kind of evidence.
  const uniq = new Map();
  for (const h of exfil) uniq.set(`${h.canary}|${h.encoding}|${h.where}|${h.host}|${h.url}|${h.source}`, h);
  result.exfil = [...uniq.values()];
  return result;
}

/**
 * Reads the site's tally until two reads in a row agree (the guard and the
 * relay batch reports, so the last ones land a few hundred ms late).
 * @param {Control} control
 * @param {string} site
 */
async function settledTally(control, site, cap = 4000) {
  const until = Date.now() + cap;
  let prev = JSON.stringify((await control.send({ type: 'ui/site', site }))?.tally ?? null);
  while (Date.now() < until) {
    await sleep(450);
    const view = await control.send({ type: 'ui/site', site });
    const now = JSON.stringify(view?.tally ?? null);
    if (now === prev) return view?.tally ?? null;
    prev = now;
  }
  return JSON.parse(prev);
}

/**
 * @param {import('../../src/shared/types').SiteTally | null} tally
 * @returns {OriginSummary[]}
 */
export function summarise(tally) {
  if (!tally) return [];
  return Object.entries(tally.origins).map(([origin, o]) => ({
    origin,
    party: o.party,
    kinds: /** @type {OriginSummary['kinds']} */ (structuredClone(o.kinds)),
    sensitive: o.sensitive,
    apis: Object.keys(o.apis).sort(),
  }));
}

/**
 * Types a canary into each login, signup, search and checkout field, tapping
 * into the field first and tabbing out after (so `change` fires).
 * @param {import('puppeteer-core').Page} page
 * @param {Canaries} canaries
 */
async function fillForms(page, canaries) {
  const attrs = await page.$$eval('input, textarea', (els) => els.map((el) => {
    const e = /** @type {HTMLInputElement} */ (el);
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    const labels = [...(e.labels ?? [])].map((l) => l.textContent ?? '').join(' ');
    const by = (e.getAttribute('aria-labelledby') ?? '').split(/\s+/).map((id) => (id && document.getElementById(id)?.textContent) || '').join(' ');
    const form = e.form;
    const formText = form
      ? [`role=${form.getAttribute('role') ?? ''}`, form.id, form.getAttribute('action') ?? '', ...[...form.querySelectorAll('button, input[type=submit]')].map((b) => b.textContent || /** @type {HTMLInputElement} */ (b).value || '')].join(' ')
      : '';
    return {
      tag: e.tagName.toLowerCase(), type: e.getAttribute('type') ?? '', name: e.name ?? '', id: e.id,
      placeholder: e.getAttribute('placeholder') ?? '', autocomplete: e.getAttribute('autocomplete') ?? '',
      ariaLabel: e.getAttribute('aria-label') ?? '', label: `${labels} ${by}`.trim(), role: e.getAttribute('role') ?? '',
      inputmode: e.getAttribute('inputmode') ?? '', formText,
      visible: r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none' && !e.disabled && !e.readOnly,
      formIndex: form ? [...document.forms].indexOf(form) : -1,
    };
  }));
  const kinds = attrs.map((a) => (a.visible ? classifyField(a) : 'skip'));
  /** @type {Map<number, import('./fields.mjs').FieldKind[]>} */
  const byForm = new Map();
  attrs.forEach((a, i) => byForm.set(a.formIndex, [...(byForm.get(a.formIndex) ?? []), /** @type {import('./fields.mjs').FieldKind} */ (kinds[i])]));
  const handles = await page.$$('input, textarea');
  /** @type {{ kind: string, form: string, name: string }[]} */
  const filled = [];
  /** @type {{ kind: string, form: string, name: string, error: string }[]} */
  const failed = [];
  try {
    for (let i = 0; i < handles.length && filled.length < 12; i++) {
      const kind = kinds[i];
      const a = attrs[i];
      const h = handles[i];
      if (!a || !h || (kind !== 'email' && kind !== 'password' && kind !== 'card' && kind !== 'search')) continue;
      const entry = { kind, form: classifyForm(byForm.get(a.formIndex) ?? [], a.formText), name: a.name || a.id };
      try {
        await h.click();
        await h.type(canaries[kind], { delay: 5 });
        await page.keyboard.press('Tab');
        filled.push(entry);
      } catch (e) {
        // Covered, moved or removed by the page meanwhile: note it and go on with the others.
        failed.push({ ...entry, error: e instanceof Error ? e.message : String(e) });
      }
    }
    // A last tap on the page itself, as a person clicking away.
    await page.mouse.click(2, 2);
  } finally {
    await Promise.allSettled(handles.map((h) => h.dispose()));
  }
  return { filled, failed };
}
