// The guard's end of the private MAIN<->ISOLATED channel (see shared/channel).

import { OFFER_EVENT } from '../shared/channel';
import {
  apply, documentRef, eventStopImmediate, getOwnPropertyDescriptor, messageEventData,
  messageEventPorts, nativeAddEventListener, nativeRemoveEventListener, portStart,
} from './natives';
import { setFrameSite } from './attribution';
import { attachPort } from './report';
import { state } from './state';

const lastEventIdGetter = getOwnPropertyDescriptor(MessageEvent.prototype, 'lastEventId')?.get;

export function openChannel(): void {
  let taken = false;
  const onOffer = (ev: Event): void => {
    if (taken) return;
    const ports = apply(messageEventPorts as () => unknown, ev, []) as readonly MessagePort[];
    const port = ports[0];
    if (port === undefined) return;
    taken = true;
    apply(eventStopImmediate, ev, []);
    apply(nativeRemoveEventListener, documentRef, [OFFER_EVENT, onOffer, true]);
    setFrameSite(apply(lastEventIdGetter as () => unknown, ev, []) as string);
    apply(nativeAddEventListener, port, ['message', onMessage]);
    apply(portStart, port, []);
    attachPort(port);
  };
  apply(nativeAddEventListener, documentRef, [OFFER_EVENT, onOffer, true]);
}

function onMessage(ev: Event): void {
  const data = apply(messageEventData as () => unknown, ev, []) as { t?: unknown; mode?: unknown } | null;
  if (data === null || typeof data !== 'object') return;
  if (data.t !== 'mode') return;
  // Compared one by one: Array.prototype methods belong to the page by now.
  const m = data.mode;
  if (m === 'protect' || m === 'monitor' || m === 'off') state.mode = m;
}
