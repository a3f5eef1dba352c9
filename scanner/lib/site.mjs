// @ts-check
// Registrable domain of a URL, computed as the extension does
// (src/shared/site.ts), so the scanner asks the background about the same key.
import { getDomain } from 'tldts';

/** @param {string} url */
export function siteOf(url) {
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    return ''; // not a URL: no site
  }
  const h = host.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (h === '') return '';
  return getDomain(h, { allowPrivateDomains: true }) ?? h;
}
