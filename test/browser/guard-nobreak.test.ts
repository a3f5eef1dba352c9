// Issue 3, part 2: with the guard on, everyday first-party behaviour works
// exactly as without it, and so do a third-party widget's own fields (made
// with createElement, markup, a fragment or a template) and a cross-origin
// payment iframe's own code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'puppeteer-core';
import { serve } from '../../scanner/lib/serve.mjs';
import { KINDS, useBrowser, type Env } from './env';

// The fixtures plus the Preact app, bundled now.
let root = '';
let srv: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'untapped-nobreak-'));
  cpSync('test/fixtures', root, { recursive: true });
  await build({
    entryPoints: ['test/fixtures/nobreak/app.tsx'], bundle: true, format: 'iife', outfile: join(root, 'nobreak/app.js'),
    jsx: 'automatic', jsxImportSource: 'preact', logLevel: 'error',
  });
  srv = await serve(root);
});
afterAll(async () => {
  await srv?.close();
  rmSync(root, { recursive: true, force: true });
});

const text = (page: Page, sel: string) => page.$eval(sel, (el) => el.textContent ?? '');

async function everyday(env: Env) {
  const page = await env.s.browser.newPage();
  await page.goto(`${srv.FIRST}/nobreak/page.html`);
  await page.waitForSelector('#widget-input');
  await page.waitForSelector('#controlled');
  const frame = await (await page.waitForSelector('#pay'))!.contentFrame();
  if (frame === null) throw new Error('payment frame did not load');
  await frame.waitForSelector('#cc');

  await page.focus('#city');
  await page.keyboard.down('Control');
  await page.keyboard.press('k');
  await page.keyboard.up('Control');
  await page.type('#city', 'Lo');
  await page.type('#controlled', 'grace');
  await page.click('#inline-btn');
  await page.type('#inline-keys', 'abc');
  await page.type('#c-email', 'ada@example.com');
  await page.type('#c-password', 'hunter2!');
  await page.click('#c-send');
  await page.type('#widget-input', 'where is my order');
  await page.click('#widget-send');
  await page.type('#w2-input', 'hi');
  await page.click('#w2-send');
  await page.type('#w3-input', 'yo');
  await page.type('#w4-input', 'ok');
  await page.click('#w5-icon');
  await page.type('#w6-input', 'go');
  await frame.type('#cc', '4242424242424242');
  await frame.click('#charge');
  await page.waitForFunction(() => document.getElementById('c-out')!.textContent !== '');

  const seen = {
    shortcut: await text(page, '#search-state'),
    suggestions: await page.$$eval('#suggestions li', (lis) => lis.map((li) => li.textContent)),
    controlled: await text(page, '#echo'),
    inlineClick: await text(page, '#inline-out'),
    inlineKeys: await text(page, '#inline-typed'),
    submitted: await text(page, '#c-out'),
    widget: await text(page, '#widget-out'),
    built: await Promise.all(['#w2-out', '#w3-out', '#w4-out', '#w5-out', '#w6-out'].map((sel) => text(page, sel))),
    payment: await frame.$eval('#charged', (el) => el.textContent),
    // The ad's writes: its box holds its text, closes where it said, sits in
    // its slot, and keeps its handler attribute under its own name.
    ad: await page.$eval('#ad-box', (el) => [
      el.querySelector('b')?.textContent, el.parentElement?.id, el.contains(document.getElementById('ad-after')),
      el.nextElementSibling?.id, el.getAttributeNames().filter((n) => n !== 'id' && n !== 'data-slot'),
    ]),
  };
  await page.close();
  return seen;
}

const EXPECTED = {
  shortcut: 'open',
  suggestions: ['London'],
  controlled: 'GRACE',
  inlineClick: 'clicked',
  inlineKeys: 'abc',
  submitted: JSON.stringify({ email: 'ada@example.com', password: 'hunter2!' }),
  widget: 'sent: where is my order (keys: where is my order)',
  built: ['hi (keys: hi)', 'yo', 'ok/k', 'opened', 'go'],
  payment: 'charged card ending 4242 (16 digits)',
  ad: ['ad', 'ad-slot', false, 'ad-after', ['onmouseover']],
};

describe.each(KINDS)('no breakage in %s', (kind) => {
  const env = useBrowser(kind);
  const bare = useBrowser(kind, { extension: false });

  it('shortcuts, autocomplete, a Preact controlled input, inline handlers, FormData on submit, widgets and a payment frame all work', async () => {
    const withExt = await everyday(env);
    expect(withExt).toMatchObject(EXPECTED);
    // And exactly as without the extension.
    expect(withExt).toEqual(await everyday(bare));
  });
  // The seal on documents made from a javascript: URL (src/guard/synthetic.ts)
  // must never take a page the server sent for one: redirected, cross-origin,
  // posted or reloaded, each runs its inline code. The control, javascript:
  // markup in a frame that held a first-party page, runs none.
  it('pages the server sent run their inline code however they arrived, javascript: markup does not', async () => {
    const served = ['plain', 'cross-origin', 'redirected', 'redirected-back', 'redirected-away', 'reloaded-0', 'reloaded-1', 'posted', 'moved'];
    const visit = async (e: Env) => {
      const page = await e.s.browser.newPage();
      await page.goto(`${srv.FIRST}/nobreak/delivery.html`);
      await page.waitForFunction((labels: string[]) => {
        const w = window as unknown as { __ran: string[]; __controlLoads: number };
        return labels.every((l) => w.__ran.includes(l)) && w.__controlLoads >= 2;
      }, { timeout: 15_000 }, served);
      const ran = await page.evaluate(() => (window as unknown as { __ran: string[] }).__ran);
      await page.close();
      return [...ran].sort();
    };
    expect(await visit(env)).toEqual([...served].sort());
    // Without the extension the control's script runs: the fixture can tell.
    expect(await visit(bare)).toEqual([...served, 'javascript-markup'].sort());
  });
});
