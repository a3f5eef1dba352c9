// @ts-check
// Writes a page that loads 20 third-party scripts of about 100 KB each, and
// the scripts, into the folder the benchmark serves. In Firefox every one of
// them passes through the background's filter that defuses `//# sourceURL=`
// (src/background/firefox-source-names.ts); each ends in such a name, so the
// filter has work to do. The page's query string is passed on to the
// scripts' URLs, so each load can ask for fresh copies.

export const SCRIPT_COUNT = 20;

/** @returns {Record<string, string>} file name -> text */
export function scriptsPage(count = SCRIPT_COUNT, kb = 100) {
  /** @type {Record<string, string>} */
  const files = {};
  const line = (/** @type {number} */ i, /** @type {number} */ j) => `window.__b${i} = (window.__b${i} || 0) + ${j}; // ${'x'.repeat(40)}\n`;
  for (let i = 0; i < count; i++) {
    let text = '';
    for (let j = 0; text.length < kb * 1024; j++) text += line(i, j);
    // The first one notes the name its own stack shows (see run.mjs).
    const probe = i === 0 ? 'window.__bigStack = new Error().stack;\n' : '';
    files[`big-${i}.js`] = `${text}${probe}//# sourceURL=big-${i}-named.js\n`;
  }
  files['scripts.html'] = [
    '<!doctype html><html><head><meta charset="utf-8"><title>Untapped bench: third-party scripts</title></head><body>',
    `<script>const q = location.search.slice(1); for (let i = 0; i < ${count}; i++) document.write('<script src="{{THIRD}}/big-' + i + '.js?' + q + '"><\\/script>');</script>`,
    '</body></html>',
  ].join('\n');
  return files;
}
