// Issue 4: the dashboard (an extension page), rendered from real tallies
// collected on fixture pages served from two first-party sites, in real
// Chromium and Firefox. Also tests the automation recipe of docs/automation.md.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { KINDS, sendUi, useBrowser, waitForQuiet, type Env } from './env';
import { openPage, pollUntil, sendFrom, visitCheckout } from './ui-helpers';

interface Db { version: number; sites: Record<string, { origins: Record<string, { kinds: Record<string, { attempted: number }> }>; timeline: Record<string, number> }> }

async function openDashboard(env: Env): Promise<Page> {
  const page = await openPage(env, 'dashboard.html', '#tallies[data-state="ready"]');
  await page.waitForSelector('[data-testid="settings-summary"]');
  return page;
}

const siteOrder = (page: Page) => page.$$eval('tr[data-site]', (trs) => trs.map((tr) => tr.getAttribute('data-site')));
const statusText = (page: Page) => page.$eval('[data-testid="status"]', (e) => `${e.getAttribute('role')}: ${e.textContent}`);

/** Hands the file input a file, as choosing it in the file picker does. */
async function chooseFile(page: Page, name: string, text: string): Promise<void> {
  await page.$eval('[data-testid="import-settings"]', (input, n, t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: 'application/json' }));
    (input as HTMLInputElement).files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, name, text);
}

async function downloaded(page: Page, button: string): Promise<{ name: string; text: string }> {
  await page.click(`[data-testid="${button}"]`);
  await page.waitForSelector('[data-testid="download"]');
  return page.$eval('[data-testid="download"]', async (a) => ({
    name: (a as HTMLAnchorElement).download,
    text: await (await fetch((a as HTMLAnchorElement).href)).text(),
  }));
}

describe.each(KINDS)('dashboard in %s', (kind) => {
  const env = useBrowser(kind);
  let THIRD: string;

  beforeAll(async () => {
    THIRD = env.srv.THIRD;
    // Two sites: 127.0.0.1 protected, 127.0.0.2 set to Monitor first.
    await sendUi(env, { type: 'ui/set-mode', site: '127.0.0.2', mode: 'monitor' });
    // Reports travel in batches: keep each page open until its reports have landed.
    const checkout = await visitCheckout(env);
    await pollUntil(() => sendUi<{ tally: unknown }>(env, { type: 'ui/site', site: '127.0.0.1' }), (v) => v.tally !== null);
    await checkout.close();
    const other = await env.s.browser.newPage();
    await other.goto(env.srv.OTHER + '/typing-third.html');
    await other.waitForFunction(() => (window as unknown as { __tiktokRegistered?: boolean }).__tiktokRegistered === true);
    // Reports travel in batches: keep the page open until they have landed.
    await pollUntil(() => sendUi<{ tally: unknown }>(env, { type: 'ui/site', site: '127.0.0.2' }), (v) => v.tally !== null);
    await other.close();
    await waitForQuiet(env, '127.0.0.1');
    await waitForQuiet(env, '127.0.0.2');
  });

  it('lists every site with both grades, sortable by any column', async () => {
    const page = await openDashboard(env);
    const cells = await page.$$eval('tr[data-site]', (trs) => trs.map((tr) => [tr.getAttribute('data-site'),
      ...['without', 'with', 'thirdParties'].map((f) => tr.querySelector(`[data-field="${f}"]`)?.textContent)]));
    expect(cells.sort()).toEqual([
      ['127.0.0.1', 'B 20', 'A 0', '1'],
      ['127.0.0.2', 'B 20', 'B 20', '1'],
    ]);
    await page.click('[data-sort="with"]');
    expect(await siteOrder(page)).toEqual(['127.0.0.2', '127.0.0.1']);
    expect(await page.$eval('[data-sort="with"]', (b) => b.parentElement?.getAttribute('aria-sort'))).toBe('descending');
    await page.click('[data-sort="with"]');
    expect(await siteOrder(page)).toEqual(['127.0.0.1', '127.0.0.2']);
    await page.click('[data-sort="blocked"]');
    expect(await siteOrder(page)).toEqual(['127.0.0.1', '127.0.0.2']); // Monitor blocks nothing
    await page.click('[data-sort="site"]');
    expect(await siteOrder(page)).toEqual(['127.0.0.1', '127.0.0.2']);
    await page.close();
  });

  it('filters by site or script origin', async () => {
    const page = await openDashboard(env);
    await page.type('[data-testid="filter"]', '0.0.2');
    expect(await siteOrder(page)).toEqual(['127.0.0.2']);
    await page.$eval('[data-testid="filter"]', (i) => { (i as HTMLInputElement).value = ''; });
    await page.type('[data-testid="filter"]', 'localhost');
    expect((await siteOrder(page)).sort()).toEqual(['127.0.0.1', '127.0.0.2']);
    await page.type('[data-testid="filter"]', '-nothing-matches');
    expect(await page.$('[data-testid="no-sites"]')).not.toBeNull();
    await page.close();
  });

  it('shows per-site detail with a chart of attempts over time', async () => {
    const page = await openDashboard(env);
    await page.click('tr[data-site="127.0.0.1"] button');
    await page.waitForSelector('[data-testid="detail"][data-site="127.0.0.1"]');
    const third = await page.$eval(`[data-testid="detail-origins"] tr[data-origin="${THIRD}"]`, (tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(third).toEqual(['2 tried, 2 blocked, 0 allowed', '1 tried, 1 blocked, 0 allowed', '–', '–', '0']);
    const bars = await page.$$eval('[data-testid="chart"] rect', (rs) => rs.map((r) => Number(r.getAttribute('data-count'))));
    const attempts = await page.$eval('tr[data-site="127.0.0.1"] [data-field="attempts"]', (td) => Number(td.textContent));
    expect(bars.length).toBeGreaterThan(0);
    expect(bars.reduce((a, b) => a + b, 0)).toBe(attempts);
    expect(await page.$eval('[data-testid="detail-grade-exposure"]', (e) => e.getAttribute('data-grade'))).toBe('B');
    await page.close();
  });

  it('automation reads the full tallies with the recipe of docs/automation.md', async () => {
    // The function exactly as documented, taken from the doc.
    const doc = readFileSync('docs/automation.md', 'utf8');
    const code = /```js\n(\/\/ readTallies[\s\S]*?)```/.exec(doc)?.[1];
    expect(code).toBeDefined();
    const readTallies = new Function(`${code}; return readTallies;`)() as (b: unknown, base: string) => Promise<{ fromElement: Db; fromMessage: Db }>;
    const { fromElement, fromMessage } = await readTallies(env.s.browser, env.s.extensionBase!);
    expect(fromElement).toEqual(fromMessage);
    expect(fromElement.version).toBe(2);
    expect(Object.keys(fromElement.sites).sort()).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(fromElement.sites['127.0.0.1']!.origins[THIRD]!.kinds.key!.attempted).toBe(2);
  });

  it('exports tallies as JSON and CSV with the real counts', async () => {
    const page = await openDashboard(env);
    const all = await sendFrom<Db>(page, { type: 'ui/all' });
    const json = await downloaded(page, 'export-json');
    expect(json.name).toBe('untapped-tallies.json');
    const parsed = JSON.parse(json.text) as Db & { format: string; exportedAt: string };
    expect(parsed.format).toBe('untapped-tallies');
    expect(Number.isNaN(Date.parse(parsed.exportedAt))).toBe(false);
    expect(parsed.sites).toEqual(all.sites);

    const csv = await downloaded(page, 'export-csv');
    expect(csv.name).toBe('untapped-tallies.csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('site,origin,party,kind,attempted,blocked,allowed,sensitive,sensitive_allowed,first_seen,last_seen,score_without,grade_without,score_with,grade_with');
    const row = (site: string, kindName: string) => lines.find((l) => l.startsWith(`${site},${THIRD},third,${kindName},`))?.split(',');
    const pick = (r: string[] | undefined) => r && [...r.slice(0, 9), ...r.slice(11)];
    expect(pick(row('127.0.0.1', 'key'))).toEqual(['127.0.0.1', THIRD, 'third', 'key', '2', '2', '0', '0', '0', '20', 'B', '0', 'A']);
    expect(pick(row('127.0.0.2', 'tap'))).toEqual(['127.0.0.2', THIRD, 'third', 'tap', '1', '0', '1', '0', '0', '20', 'B', '20', 'B']);
    // One line per site, origin and hook kind present in the tallies.
    let expected = 0;
    for (const s of Object.values(all.sites)) for (const o of Object.values(s.origins)) expected += Object.keys(o.kinds).length;
    expect(lines.length - 1).toBe(expected);
    await page.close();
  });

  it('exports settings, rejects a bad settings file naming the field, imports a good one', async () => {
    const page = await openDashboard(env);
    const exported = await downloaded(page, 'export-settings');
    expect(exported.name).toBe('untapped-settings.json');
    expect(JSON.parse(exported.text)).toEqual({ format: 'untapped-settings', version: 1, defaultMode: 'protect', sites: { '127.0.0.2': 'monitor' } });

    await chooseFile(page, 'bad.json', JSON.stringify({ format: 'untapped-settings', version: 1, defaultMode: 'paranoid', sites: {} }));
    await page.waitForSelector('[data-testid="status"]');
    expect(await statusText(page)).toBe('alert: Could not import settings: defaultMode: expected one of protect, monitor, off');
    await chooseFile(page, 'bad2.json', JSON.stringify({ format: 'untapped-settings', version: 1, defaultMode: 'off', sites: { 'shop.example': 'loud' } }));
    await pollUntil(() => statusText(page), (s) => s.includes('shop.example'), 5000);
    expect(await statusText(page)).toBe('alert: Could not import settings: sites["shop.example"]: expected one of protect, monitor, off');
    await chooseFile(page, 'bad3.json', '{"format": "untapped-settings", ');
    await pollUntil(() => statusText(page), (s) => s.includes('not JSON'), 5000);
    expect(await statusText(page)).toMatch(/^alert: Could not import settings: file: not JSON/);
    // Nothing was changed by the bad files.
    expect(await sendFrom(page, { type: 'ui/settings' })).toEqual({ defaultMode: 'protect', sites: { '127.0.0.2': 'monitor' } });
    // The background validates too: a page cannot slip bad settings past the dashboard.
    expect(await sendFrom(page, { type: 'ui/import-settings', settings: { defaultMode: 'protect', sites: { 'a b': 'off' } } }))
      .toEqual({ error: 'settings.sites["a b"]: not a site name (lower-case host, e.g. example.com)' });

    const good = { ...JSON.parse(exported.text), sites: { '127.0.0.2': 'monitor', '127.0.0.1': 'off' } };
    await chooseFile(page, 'good.json', JSON.stringify(good));
    await pollUntil(() => statusText(page), (s) => s.startsWith('status'), 5000);
    expect(await statusText(page)).toBe('status: Settings imported: 2 sites with their own setting.');
    expect(await page.$eval('[data-testid="settings-summary"]', (e) => e.getAttribute('data-site-count'))).toBe('2');
    expect((await sendFrom<{ mode: string }>(page, { type: 'ui/site', site: '127.0.0.1' })).mode).toBe('off');
    // Put it back for the other tests.
    await sendFrom(page, { type: 'ui/set-mode', site: '127.0.0.1', mode: 'protect' });
    await page.close();
  });

  it('clears one site, then everything', async () => {
    const page = await openDashboard(env);
    await page.click('tr[data-site="127.0.0.2"] button');
    await page.waitForSelector('[data-testid="clear-site"]');
    await page.click('[data-testid="clear-site"]');
    await pollUntil(() => siteOrder(page), (o) => o.length === 1, 5000);
    expect(await siteOrder(page)).toEqual(['127.0.0.1']);
    expect(Object.keys((await sendFrom<Db>(page, { type: 'ui/all' })).sites)).toEqual(['127.0.0.1']);
    await page.click('[data-testid="clear-all"]');
    // The first click only asks for confirmation.
    expect(Object.keys((await sendFrom<Db>(page, { type: 'ui/all' })).sites)).toEqual(['127.0.0.1']);
    await page.click('[data-testid="clear-all"]');
    await page.waitForSelector('[data-testid="no-sites"]');
    expect((await sendFrom<Db>(page, { type: 'ui/all' })).sites).toEqual({});
    expect(await statusText(page)).toBe('status: Cleared all data.');
    await page.close();
  });
});
