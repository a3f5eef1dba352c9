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
}

const FLUSH_MS = 250;

export function startRelay(deps: RelayDeps): { port: MessagePort } {
  const channel = new MessageChannel();
  const port = channel.port1;
  let queue: HookReport[] = [];
  let scheduled = false;
  let invalid = 0;

  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const reports = queue;
    queue = [];
    // Send in chunks the background accepts.
    for (let i = 0; i < reports.length; i += 500) {
      deps.send({ type: 'frame/reports', reports: reports.slice(i, i + 500) })
        .catch((e: unknown) => deps.onError('send reports', e));
    }
  };

  port.onmessage = (ev: MessageEvent) => {
    const msg = parseGuardToRelay(ev.data);
    if (!msg.ok) {
      invalid++;
      if (invalid <= 3) deps.onError('invalid message from guard', msg.error);
      return;
    }
    if (msg.value.t === 'reports') {
      for (const r of msg.value.reports) queue.push(r);
      if (!scheduled) {
        scheduled = true;
        deps.setTimer(flush, FLUSH_MS);
      }
    }
  };

  // Synchronous: the guard's listener runs inside this dispatch.
  deps.doc.dispatchEvent(new MessageEvent(OFFER_EVENT, { ports: [channel.port2], lastEventId: deps.site }));

  deps.send({ type: 'frame/hello' })
    .then((reply) => {
      const mode = (reply as HelloReply | undefined)?.mode;
      if (mode === 'protect' || mode === 'monitor' || mode === 'off') {
        const msg: RelayToGuard = { t: 'mode', mode };
        port.postMessage(msg);
      }
    })
    .catch((e: unknown) => deps.onError('hello', e));

  return { port };
}
