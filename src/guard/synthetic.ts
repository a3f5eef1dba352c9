// Documents no server sent: the markup a `javascript:` URL returned. A third
// party can move a frame (or a popup it opened) to a first-party page and then
// to `javascript:"<script>…</script>"`. The new document keeps the first-party
// URL, so every line of code its markup holds shows that URL on the stack, in
// this realm's guard and in every other realm's it calls into: page code, by
// every rule attribution has, and a URL history.replaceState can change at
// will. No stack tells that code from the page's, so it must not run: the
// document gets a policy without 'unsafe-inline' before its parser starts.
// Scripts loaded from a URL still run and are judged by that URL.
// docs/threat-model.md, "Documents made from a javascript: URL".

import type { Mode } from '../shared/types';
import { documentRef, elementSetAttribute, apply, appendChildNative, locationRef } from './natives';

const POLICY = "script-src * data: blob: 'unsafe-eval'";

/**
 * Whether this document came from no response. Measured at document_start
 * (2026-11): such a document's navigation entry has a `responseStart` of 0 in
 * both engines, and Firefox names the entry "document" where a served page
 * has its URL; Chromium shows its URL until later but leaves the legacy
 * `performance.timing.responseStart` at 0, which every served page fills in
 * (Firefox sets it to navigationStart instead). A cross-origin frame's entry
 * also reads 0 there (its timing is hidden from it), so the entry alone is
 * not enough. Evaluated with the module, before any page script.
 */
const synthesizedDocument: boolean = (() => {
  const protocol = locationRef.protocol;
  // about:, data: and blob: documents show their own URL, which attribution already judges.
  if (protocol !== 'http:' && protocol !== 'https:') return false;
  const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (entry === undefined || entry.responseStart !== 0) return false;
  // performance.timing is deprecated but kept by both engines; without it, the entry's name decides.
  const legacy = (performance as { timing?: PerformanceTiming }).timing;
  return entry.name === 'document' || (legacy !== undefined && legacy.responseStart === 0);
})();

/**
 * Forbids inline code in this document: a `<meta>` policy inside a `<head>`
 * of its own, put in and taken out again before the parser has read a byte
 * (a policy stays once delivered). Skipped where the page that reached this
 * document runs unprotected (`ancestorMode` off or monitor). Runs at
 * document_start, when nothing of the page's has run in this realm yet.
 */
export function sealSynthesized(ancestorMode: Mode | undefined): void {
  if (!synthesizedDocument || ancestorMode === 'off' || ancestorMode === 'monitor') return;
  const head = documentRef.createElement('head');
  const meta = documentRef.createElement('meta');
  apply(elementSetAttribute, meta, ['http-equiv', 'Content-Security-Policy']);
  apply(elementSetAttribute, meta, ['content', POLICY]);
  apply(appendChildNative, head, [meta]);
  apply(appendChildNative, documentRef.documentElement ?? documentRef, [head]);
  head.remove();
}
