// The main job: with the extension built, open a bundled demo shop (served on
// loopback as two sites) in headless Chromium and Firefox, once without and
// once with Untapped, type a password and a card number as a person would,
// and print what the page's third-party keylogger captured and what the
// extension reports it blocked.
import { launch, openExtensionPage } from '../scanner/lib/browsers.mjs';
import { serve } from '../scanner/lib/serve.mjs';

const kinds = process.argv.includes('--browser')
  ? [process.argv[process.argv.indexOf('--browser') + 1]]
  : ['chromium', 'firefox'];

const srv = await serve(new URL('../demo', import.meta.url).pathname);
const typed = { email: 'ada@example.com', password: 'hunter2!', card: '4111111111111111' };

async function visit(kind, withExtension) {
  const s = await launch(kind, { extension: withExtension });
  try {
    const page = await s.browser.newPage();
    await page.goto(`${srv.FIRST}/checkout.html`);
    await page.waitForFunction(() => window.__tiktokRegistered === true);
    for (const [id, text] of Object.entries(typed)) await page.type(`#${id}`, text);
    await page.click('#pay');
    const { captured, firstParty } = await page.evaluate(() => ({ captured: window.__captured, firstParty: window.__firstParty }));
    let rows = [];
    if (withExtension) {
      // Reports travel in batches; read the popup until the third party shows.
      for (let i = 0; i < 30 && !rows.some((r) => r.party === 'third'); i++) {
        await new Promise((r) => setTimeout(r, 300));
        const popup = await openExtensionPage(s, 'popup.html?site=127.0.0.1', '[data-testid="site"]');
        rows = await popup.$$eval('tr[data-origin]', (trs) => trs.map((tr) => ({
          origin: tr.getAttribute('data-origin'), party: tr.getAttribute('data-party'),
          tried: tr.querySelector('[data-field="tried"]')?.textContent,
          blocked: tr.querySelector('[data-field="blocked"]')?.textContent,
        })));
        await popup.close();
      }
    }
    return { captured, firstParty, rows };
  } finally {
    await s.close();
  }
}

const keysOf = (captured) => captured.filter((e) => e.startsWith('keydown:')).map((e) => e.split(':')[1]).join('');
let failed = false;
for (const kind of kinds) {
  console.log(`\n== ${kind}: ${srv.FIRST}/checkout.html with a keylogger from ${srv.THIRD}`);
  const without = await visit(kind, false);
  console.log(`  without Untapped, the third-party keylogger captured ${without.captured.length} events: "${keysOf(without.captured)}"`);
  const withExt = await visit(kind, true);
  console.log(`  with Untapped, it captured ${withExt.captured.length} events${withExt.captured.length ? `: "${keysOf(withExt.captured)}"` : ''}`);
  const ownKeys = withExt.firstParty.filter((e) => e.startsWith('keydown:')).length;
  console.log(`  the shop's own code still saw all ${ownKeys} keystrokes`);
  for (const r of withExt.rows) console.log(`  popup: ${r.origin} (${r.party} party) tried ${r.tried}; blocked ${r.blocked}`);
  const expectedKeys = Object.values(typed).join('').length;
  if (withExt.captured.length !== 0 || ownKeys !== expectedKeys
    || !withExt.rows.some((r) => r.party === 'third' && r.origin === srv.THIRD && Number(r.blocked) > 0)) failed = true;
}
await srv.close();
console.log(failed ? '\nDEMO FAILED: the keylogger got data, the shop lost keystrokes, or the popup did not name the keylogger' : '\nThe keylogger got nothing with Untapped installed.');
process.exit(failed ? 1 : 0);
