// Relay entry: ISOLATED world, document_start, every frame, after the guard.
import browser from 'webextension-polyfill';
import { frameSiteOf } from '../shared/site-fast';
import { startRelay } from './relay';

// about:blank and srcdoc frames inherit their creator's origin; opaque
// frames (sandboxed, data:) have none and get no site.
const origin = location.origin;
startRelay({
  doc: document,
  site: frameSiteOf(origin),
  send: (msg) => browser.runtime.sendMessage(msg),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  onError: (what, err) => console.debug('[untapped relay]', what, err),
  onLeave: (fn) => addEventListener('pagehide', fn, true),
});
