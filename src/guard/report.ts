// Aggregates what the guard saw and sends it to the relay in batches, so a
// page that registers thousands of listeners costs one message per interval.

import type { HookKind, HookReport, TargetClass } from '../shared/types';
import type { Caller } from './attribution';
import type { GuardToRelay } from '../shared/messages';
import { apply, dateNow, defineValue, failures, nativeAddEventListener, objectCreate, portPostMessage, setTimeoutNative, windowRef, call0 } from './natives';
import { state } from './state';

const FLUSH_MS = 150;

// Null-prototype stores, and arrays filled with defineProperty: an index
// setter the page put on Array.prototype could otherwise see or swallow reports.
let pending: Record<string, HookReport> = objectCreate(null);
let pendingKeys: Record<number, string> = objectCreate(null);
let pendingCount = 0;
let port: MessagePort | null = null;
let scheduled = false;
/** When the last batch left; 0 = never. */
let lastFlush = 0;

/** Tallies one attempt by `caller` on `target` through `api`: allowed or denied. */
export function report(kind: HookKind, api: string, caller: Caller, allowed: boolean, target: TargetClass): void {
  if (state.mode === 'off') return;
  const decision = allowed ? 'allow' : 'deny';
  const { origin, party } = caller;
  const key = `${kind}|${api}|${origin}|${party}|${decision}|${target}`;
  const existing = pending[key];
  if (existing !== undefined) {
    existing.count++;
  } else {
    pending[key] = { kind, api, origin, party, decision, target, count: 1 };
    pendingKeys[pendingCount++] = key;
  }
  schedule();
}

/**
 * Leading edge, then batches: the first report after a quiet spell leaves on
 * the next task (still one message for a script's synchronous burst of
 * registrations), later ones wait out the interval. A tab closed a moment
 * after a script hooked it then still gets that script counted.
 */
function schedule(): void {
  if (scheduled || port === null) return;
  scheduled = true;
  const idle = (call0(dateNow, undefined) as number) - lastFlush >= FLUSH_MS;
  setTimeoutNative(flush, idle ? 0 : FLUSH_MS);
}

function flush(): void {
  scheduled = false;
  if (port === null || pendingCount === 0) return;
  lastFlush = call0(dateNow, undefined) as number;
  const reports: HookReport[] = [];
  for (let i = 0; i < pendingCount; i++) {
    defineValue(reports, i, pending[pendingKeys[i] as string], true);
  }
  pending = objectCreate(null);
  pendingKeys = objectCreate(null);
  pendingCount = 0;
  const msg: GuardToRelay = { t: 'reports', reports };
  try {
    apply(portPostMessage, port, [msg]);
  } catch (e) {
    failures.report++;
  }
}

export function attachPort(p: MessagePort): void {
  port = p;
  // Leaving the page: send what is pending now rather than lose it with the timer.
  apply(nativeAddEventListener, windowRef, ['pagehide', flush, true]);
  const ready: GuardToRelay = { t: 'ready' };
  apply(portPostMessage, p, [ready]);
  if (pendingCount > 0) schedule();
}
