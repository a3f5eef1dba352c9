// The relay's logic, with its browser dependencies passed in: it offers the
// guard a private port, validates what comes back, batches reports to the
// background and tells the guard the site's mode.

import { OFFER_EVENT } from '../shared/channel';
import { parseGuardToRelay, type ContentToBackground, type HelloReply, type RelayToGuard } from '../shared/messages';
import type { HookReport } from '../shared/types';

export interface RelayDeps {
  doc: Document;
  site: string;
  send: (msg: ContentToBackground) => Promise<unknown>;
  setTimer: (fn: () => void, ms: number) => unknown;
  onError: (what: string, err: unknown) => void;
  /** Milliseconds clock (injected so tests can drive the rate limit). */
  now?: () => number;
  /** Registers `fn` to run when the page is being left (pagehide). */
  onLeave?: (fn: () => void) => void;
}

export interface RelayStats {
  /** Messages the guard sent that failed validation. */
  invalid: number;
  /** Messages dropped by the rate limit. */
  throttled: number;
  /** Report lines dropped because the queue was full. */
  overflow: number;
}

const FLUSH_MS = 250;
/** Retries of a message the background did not take. */
export const SEND_RETRIES = 4;

/**
 * What one frame's guard may send. The guard aggregates, so a real burst of
 * 10,000 attempts is a handful of lines in one message per 150 ms (about 7
 * messages a second); the cap is on messages and their size, never on the
 * counts inside a line, so genuine bursts are counted exactly while a
 * compromised MAIN world cannot flood the background.
 */
export const RELAY_LIMITS = {
  /** Messages a frame may send at once (token bucket capacity). */
  burst: 40,
  /** Messages per second it may keep sending. */
  perSecond: 20,
  /** Report lines queued per flush; more is dropped and counted. */
  maxQueued: 5000,
};

export function startRelay(deps: RelayDeps): { port: MessagePort; stats: RelayStats } {
  const channel = new MessageChannel();
  const port = channel.port1;
  let queue: HookReport[] = [];
  let scheduled = false;
  let lastFlush = Number.NEGATIVE_INFINITY;
  const stats: RelayStats = { invalid: 0, throttled: 0, overflow: 0 };
  const now = deps.now ?? (() => Date.now());
  let tokens = RELAY_LIMITS.burst;
  let lastRefill = now();

  /** Token bucket: true when one more message may pass. */
  const admit = (): boolean => {
    const t = now();
    tokens = Math.min(RELAY_LIMITS.burst, tokens + ((t - lastRefill) / 1000) * RELAY_LIMITS.perSecond);
    lastRefill = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    lastFlush = now();
    const reports = queue;
    queue = [];
    // Send in chunks the background accepts.
    for (let i = 0; i < reports.length; i += 500) {
      sendRetrying({ type: 'frame/reports', reports: reports.slice(i, i + 500) }, 'send reports');
    }
  };

  /** Messages waiting for a retry, so leaving the page can send them at once. */
  const retrying = new Set<{ msg: ContentToBackground; what: string }>();

  /**
   * A just-started browser may not have its service worker listening yet
   * ("Receiving end does not exist"): retry a few times with backoff
   * (0.2, 0.4, 0.8, 1.6 s) before giving up and reporting the loss.
   */
  const sendRetrying = (msg: ContentToBackground, what: string, attempt = 0): Promise<unknown> =>
    deps.send(msg).catch((e: unknown) => {
      if (attempt >= SEND_RETRIES) {
        deps.onError(what, e);
        return undefined;
      }
      const entry = { msg, what };
      retrying.add(entry);
      return new Promise((resolve) => {
        deps.setTimer(() => {
          // Already sent by leave().
          if (!retrying.delete(entry)) return resolve(undefined);
          resolve(sendRetrying(msg, what, attempt + 1));
        }, 200 * 2 ** attempt);
      });
    });

  /** The page is going: its timers go with it, so send queued and waiting messages now. */
  const leave = (): void => {
    flush();
    for (const entry of retrying) {
      if (entry.msg.type !== 'frame/reports') continue;
      retrying.delete(entry);
      deps.send(entry.msg).catch((e: unknown) => deps.onError(`${entry.what} (on leaving)`, e));
    }
  };

  port.onmessage = (ev: MessageEvent) => {
    // Rate first, so a flood costs no validation work.
    if (!admit()) {
      stats.throttled++;
      if (stats.throttled === 1) deps.onError('guard exceeds message rate; dropping', RELAY_LIMITS);
      return;
    }
    const msg = parseGuardToRelay(ev.data);
    if (!msg.ok) {
      stats.invalid++;
      if (stats.invalid <= 3) deps.onError('invalid message from guard', msg.error);
      return;
    }
    if (msg.value.t === 'reports') {
      for (const r of msg.value.reports) {
        if (queue.length >= RELAY_LIMITS.maxQueued) {
          stats.overflow++;
          continue;
        }
        queue.push(r);
      }
      if (!scheduled) {
        // Leading edge: after a quiet spell, forward at once (the guard has
        // already batched); then at most one message per interval.
        scheduled = true;
        deps.setTimer(flush, now() - lastFlush >= FLUSH_MS ? 0 : FLUSH_MS);
      }
    }
  };

  // A closing tab takes its timers with it: send what is queued now.
  deps.onLeave?.(leave);

  // Synchronous: the guard's listener runs inside this dispatch.
  deps.doc.dispatchEvent(new MessageEvent(OFFER_EVENT, { ports: [channel.port2], lastEventId: deps.site }));

  sendRetrying({ type: 'frame/hello' }, 'hello')
    .then((reply) => {
      const r = reply as HelloReply | undefined;
      const mode = r?.mode;
      if (mode === 'protect' || mode === 'monitor' || mode === 'off') {
        const msg: RelayToGuard = { t: 'mode', mode };
        // Administrator policy: only well-formed strings, bounded, reach the guard.
        const selectors = stringList(r?.sensitiveSelectors, 50, 500);
        const origins = stringList(r?.trustedOrigins, 200, 300).filter((o) => /^https?:\/\/[^\s/]+$/.test(o));
        if (selectors.length > 0) msg.sensitiveSelectors = selectors;
        if (origins.length > 0) msg.trustedOrigins = origins;
        port.postMessage(msg);
      }
    })
    .catch((e: unknown) => deps.onError('hello', e));

  return { port, stats };
}

function stringList(v: unknown, maxItems: number, maxLength: number): string[] {
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= maxLength).slice(0, maxItems);
}
