// Runs one first-party kernel of bench/pages/micro.js the way first-party code
// runs: from the page's own message listener (see the note there), never
// under puppeteer's evaluation frame.

let next = 0;

/**
 * @param {import('puppeteer-core').Page} page
 * @param {string} kernel
 * @param {number} n
 * @returns {Promise<{ ms: number, sink: number }>}
 */
export async function runKernel(page, kernel, n) {
  const id = ++next;
  await page.evaluate((k, c, i) => window.postMessage({ kernel: k, n: c, id: i }, '*'), kernel, n, id);
  const done = await page.waitForFunction(
    (i) => { const d = /** @type {any} */ (window).__benchDone; return d !== undefined && d.id === i ? d : false; },
    { timeout: 120_000 }, id);
  const r = /** @type {{ ms: number, sink: number }} */ (await done.jsonValue());
  await done.dispose();
  return r;
}
