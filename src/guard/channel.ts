// The guard's end of the private MAIN<->ISOLATED channel (see shared/channel).

import { OFFER_EVENT } from '../shared/channel';
import {
  apply, documentRef, elementMatches, eventStopImmediate, messageEventData,
  messageEventPorts, nativeAddEventListener, nativeRemoveEventListener, objectCreate, portStart, scratchElement, protoGetter, call0, failures,
  setPrototypeOf,
} from './natives';
import { setFrameSite } from './attribution';
import { attachPort } from './report';
import { state } from './state';

const lastEventIdGetter = protoGetter(MessageEvent, 'lastEventId');

export function openChannel(): void {
  let taken = false;
  const onOffer = (ev: Event): void => {
    if (taken) return;
    const ports = call0(messageEventPorts, ev) as readonly MessagePort[];
    const port = ports[0];
    if (port === undefined) return;
    taken = true;
    call0(eventStopImmediate, ev);
    apply(nativeRemoveEventListener, documentRef, [OFFER_EVENT, onOffer, true]);
    setFrameSite(call0(lastEventIdGetter, ev) as string);
    apply(nativeAddEventListener, port, ['message', onMessage]);
    call0(portStart, port);
    attachPort(port);
  };
  apply(nativeAddEventListener, documentRef, [OFFER_EVENT, onOffer, true]);
}

function onMessage(ev: Event): void {
  const data = call0(messageEventData, ev) as
    { t?: unknown; mode?: unknown; trustedOrigins?: unknown; sensitiveSelectors?: unknown } | null;
  if (data === null || typeof data !== 'object') return;
  // The copy inherits from the page's Object.prototype: a field the message
  // lacks (trustedOrigins when no policy sets it) must not be read from there.
  setPrototypeOf(data, null);
  if (data.t !== 'mode') return;
  // Compared one by one: Array.prototype methods belong to the page by now.
  const m = data.mode;
  if (m === 'protect' || m === 'monitor' || m === 'off') state.mode = m;
  // The message was structured-cloned into this realm: its arrays are ours,
  // read by index and length only.
  const origins = data.trustedOrigins as ArrayLike<unknown> | undefined;
  if (origins !== undefined && origins !== null && typeof origins === 'object') {
    const trusted = objectCreate(null) as Record<string, true>;
    for (let i = 0; i < origins.length && i < 200; i++) {
      const o = origins[i];
      if (typeof o === 'string') trusted[o] = true;
    }
    state.trusted = trusted;
  }
  const selectors = data.sensitiveSelectors as ArrayLike<unknown> | undefined;
  if (selectors !== undefined && selectors !== null && typeof selectors === 'object') {
    let joined = '';
    for (let i = 0; i < selectors.length && i < 50; i++) {
      const sel = selectors[i];
      // Keep only selectors this engine parses, so one bad entry cannot void the list.
      if (typeof sel === 'string' && selectorParses(sel)) joined = joined === '' ? sel : `${joined}, ${sel}`;
    }
    state.sensitiveSelector = joined;
  }
}

function selectorParses(sel: string): boolean {
  try {
    apply(elementMatches, scratchElement, [sel]);
    return true;
  } catch (e) {
    failures.policy++;
    return false;
  }
}
