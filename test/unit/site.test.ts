import { describe, expect, it } from 'vitest';
import { siteOfHost, siteOfUrl } from '../../src/shared/site';
import { inSite } from '../../src/shared/stack';

describe('site by the public suffix list', () => {
  it.each([
    ['www.example.com', 'example.com'],
    ['a.b.example.co.uk', 'example.co.uk'],
    ['user.github.io', 'user.github.io'],
    ['127.0.0.1', '127.0.0.1'],
    ['localhost', 'localhost'],
    ['WWW.Example.COM.', 'example.com'],
  ])('%s -> %s', (host, site) => {
    expect(siteOfHost(host)).toBe(site);
  });

  it('reads URLs, including those without a host', () => {
    expect(siteOfUrl('https://shop.example.com:8443/cart?x=1')).toBe('example.com');
    expect(siteOfUrl('http://[::1]:8080/')).toBe('::1');
    expect(siteOfUrl('about:blank')).toBe('');
    expect(siteOfUrl('data:text/html,hi')).toBe('');
  });
});

describe('inSite (the guard\'s first-party test)', () => {
  it('matches the site itself and its subdomains only', () => {
    expect(inSite('example.com', 'example.com')).toBe(true);
    expect(inSite('cdn.example.com', 'example.com')).toBe(true);
    expect(inSite('a.b.example.com', 'example.com')).toBe(true);
    expect(inSite('badexample.com', 'example.com')).toBe(false);
    expect(inSite('example.com.evil.net', 'example.com')).toBe(false);
    expect(inSite('localhost', '127.0.0.1')).toBe(false);
    expect(inSite('other.github.io', 'user.github.io')).toBe(false);
  });
});

describe('frameSiteOf (the relay\'s fast public-suffix lookup)', async () => {
  const { frameSiteOf } = await import('../../src/shared/site-fast');
  it('agrees with the exact list on common shapes', () => {
    for (const [origin, site] of [
      ['https://www.example.com', 'example.com'], ['https://a.b.example.co.uk:8443', 'example.co.uk'],
      ['https://user.github.io', 'user.github.io'], ['http://127.0.0.1:8080', '127.0.0.1'],
      ['http://localhost:3000', 'localhost'], ['http://[::1]:80', '::1'],
    ]) {
      expect(frameSiteOf(origin!)).toBe(site);
      expect(frameSiteOf(origin!)).toBe(siteOfUrl(origin!));
    }
  });
  it('gives no site for opaque origins', () => {
    expect(frameSiteOf('null')).toBe('');
    expect(frameSiteOf('')).toBe('');
    expect(frameSiteOf('not a url')).toBe('');
  });
});
