// Stack parsing for V8 and SpiderMonkey, and the party rule, as pure logic.
import { describe, expect, it } from 'vitest';
import {
  decideParty, evalOriginUrl, frameUrl, inSite, isOpaque, OPAQUE, originOf, stackUrls, type FrameParty,
} from '../../src/shared/stack';

const FIRST = 'https://shop.example';
const THIRD = 'https://cdn.tracker.test';

describe('stackUrls, V8 (Chromium) format', () => {
  it('reads plain, named, async and constructor frames, innermost first, skipping the header', () => {
    const stack = [
      'Error',
      `    at f (${THIRD}/t.js:2:23)`,
      `    at new Widget (${FIRST}/app.js:10:5)`,
      `    at async load (${FIRST}/app.js:20:1)`,
      `    at ${FIRST}/index.html:4:11`,
    ].join('\n');
    expect(stackUrls(stack)).toEqual([`${THIRD}/t.js`, `${FIRST}/app.js`, `${FIRST}/app.js`, `${FIRST}/index.html`]);
  });

  it('attributes eval and Function code to the script that called eval', () => {
    const line = `    at eval (eval at <anonymous> (${THIRD}/t.js:5:10), <anonymous>:1:1)`;
    expect(frameUrl(line)).toBe(`${THIRD}/t.js`);
  });

  it('marks DOM-inserted inline code and string timers (<anonymous>) opaque, and skips built-ins', () => {
    const stack = ['Error', '    at <anonymous>:1:12', '    at window.dwf (<anonymous>:1:58)', '    at Array.map (<anonymous>)', `    at ${THIRD}/t.js:8:127`].join('\n');
    const urls = stackUrls(stack);
    expect(urls).toHaveLength(3);
    expect(isOpaque(urls[0]!)).toBe(true);
    expect(isOpaque(urls[1]!)).toBe(true);
    expect(urls[2]).toBe(`${THIRD}/t.js`);
  });

  it('reads blob:, data: and extension frames', () => {
    expect(frameUrl(`    at blob:${FIRST}/4d3c46d3-04b9:1:10`)).toBe(`blob:${FIRST}/4d3c46d3-04b9`);
    expect(frameUrl('    at data:text/javascript,R.data=new Error().stack:1:8')).toBe('data:');
    expect(frameUrl('    at chrome-extension://abcdefghijklmnop/guard.js:5:5834')).toBe('chrome-extension://abcdefghijklmnop/guard.js');
  });
});

describe('stackUrls, SpiderMonkey (Firefox) format', () => {
  it('reads named and anonymous frames, eval and Function frames by their caller', () => {
    const stack = [
      `st@${THIRD}/t.js:2:23`,
      `@${THIRD}/t.js line 5 > eval:1:1`,
      `anonymous@${FIRST}/app.js line 7 > Function:3:8`,
      `@${FIRST}/app.js:5:10`,
      '',
    ].join('\n');
    expect(stackUrls(stack)).toEqual([`${THIRD}/t.js`, `${THIRD}/t.js`, `${FIRST}/app.js`, `${FIRST}/app.js`]);
  });

  it('marks injected scripts opaque although they name the document, and keeps the content-script name', () => {
    const urls = stackUrls(`@${FIRST}/index.html line 8 > injectedScript:1:12\nyn@<anonymous code>:4:4850\n`);
    expect(urls[0]).toBe(OPAQUE);
    expect(urls[1]).toBe(`${OPAQUE}<anonymous code>`);
  });

  it('reads blob: and data: frames', () => {
    expect(stackUrls(`@blob:${FIRST}/eaba0925:1:10\n@data:text/javascript,x:1:8\n`)).toEqual([`blob:${FIRST}/eaba0925`, 'data:']);
  });
});

describe('evalOriginUrl (V8 CallSite.getEvalOrigin)', () => {
  it('names the calling script, through nesting', () => {
    expect(evalOriginUrl(`eval at <anonymous> (${THIRD}/t.js:21:12)`)).toBe(`${THIRD}/t.js`);
    expect(evalOriginUrl(`eval at f (eval at g (${THIRD}/t.js:1:2), <anonymous>:3:4)`)).toBe(`${THIRD}/t.js`);
  });
  it('distrusts an origin renamed by //# sourceURL', () => {
    expect(evalOriginUrl(`${FIRST}/app.js`)).toBe(OPAQUE);
  });
});

describe('originOf and inSite', () => {
  it('lower-cases, keeps ports, reads blob: origins and brackets IPv6', () => {
    expect(originOf('HTTPS://CDN.Example.COM:8443/x.js').origin).toBe('https://cdn.example.com:8443');
    expect(originOf(`blob:${FIRST}/uuid`).host).toBe('shop.example');
    expect(originOf('http://[::1]:3000/a.js').host).toBe('[::1]');
    expect(originOf('about:blank').origin).toBe('opaque');
  });
  it('matches the site and its subdomains only', () => {
    expect(inSite('shop.example', 'shop.example')).toBe(true);
    expect(inSite('cdn.shop.example', 'shop.example')).toBe(true);
    expect(inSite('evilshop.example', 'shop.example')).toBe(false);
    expect(inSite('shop.example.evil.test', 'shop.example')).toBe(false);
  });
});

const f = (origin: string): FrameParty => ({ party: 'first', origin });
const t = (origin: string): FrameParty => ({ party: 'third', origin });

describe('decideParty', () => {
  it('an empty stack is third-party', () => {
    expect(decideParty([], false, false)).toEqual({ party: 'third', origin: 'opaque' });
  });
  it('first-party frames only: the innermost decides', () => {
    expect(decideParty([f(FIRST), f('inline')], false, false)).toEqual(f(FIRST));
  });
  it('jQuery: a third party calling a first-party library is third-party, API replaced or not', () => {
    for (const wrapped of [false, true]) expect(decideParty([f(FIRST), f(FIRST), t(THIRD)], wrapped, false).party).toBe('third');
  });
  it('the documented limit: inside a callback first-party code handed over through a replaced API, the bottom run counts as the wrapper', () => {
    expect(decideParty([f(FIRST), f(FIRST), t(THIRD)], true, true).party).toBe('first');
  });
  it('Sentry: a wrapper of the API itself, called by first-party code, passes the call through', () => {
    expect(decideParty([t(THIRD), f(FIRST)], true, false)).toEqual(f(FIRST));
    // ...but only when the API really was replaced...
    expect(decideParty([t(THIRD), f(FIRST)], false, false).party).toBe('third');
    // ...only for one short run from one origin...
    expect(decideParty([t(THIRD), t('https://other.test'), f(FIRST)], true, false).party).toBe('third');
    expect(decideParty([t(THIRD), t(THIRD), t(THIRD), t(THIRD), f(FIRST)], true, false).party).toBe('third');
    // ...and not when third-party code is what called the wrapper.
    expect(decideParty([t(THIRD), t(THIRD)], true, false).party).toBe('third');
    expect(decideParty([t(THIRD), f(FIRST), t('https://evil.test')], true, false).party).toBe('third');
  });
  it('Sentry timers: a first-party task wrapped at the bottom stays first-party, not a third party in the middle', () => {
    expect(decideParty([f(FIRST), t(THIRD)], false, true)).toEqual(f(FIRST));
    expect(decideParty([t(THIRD), f(FIRST), t(THIRD)], true, true)).toEqual(f(FIRST));
    expect(decideParty([f(FIRST), t('https://evil.test'), f(FIRST), t(THIRD)], true, true).party).toBe('third');
    expect(decideParty([f(FIRST), t(THIRD), f(FIRST)], false, true).party).toBe('third');
  });
});
