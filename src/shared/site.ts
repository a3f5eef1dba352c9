// Registrable domain ("site") of a host or URL, by the public suffix list
// (tldts). Used where size does not matter: the relay, which hands the frame's
// site to the guard at document_start, and the background, which keys tallies
// by the top-level site. IP addresses and single-label hosts (localhost) are
// their own site.
import { getDomain, getHostname } from 'tldts';

export function siteOfHost(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === '') return '';
  const domain = getDomain(h, { allowPrivateDomains: true });
  return domain ?? h;
}

/** Site of a URL; `''` for URLs without a host (about:blank, data:). */
export function siteOfUrl(url: string): string {
  let host: string | null = null;
  try {
    host = new URL(url).hostname;
  } catch {
    host = getHostname(url);
  }
  return host ? siteOfHost(host.replace(/^\[|\]$/g, '')) : '';
}
