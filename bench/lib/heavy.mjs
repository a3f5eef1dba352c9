// @ts-check
// Writes the heavy page (2,000 fields with inline handlers, 30 iframes) into
// the folder the benchmark serves. Generated rather than committed: it is
// large and entirely repetitive.

/** @param {{ fields?: number, frames?: number }} [opts] */
export function heavyPage(opts = {}) {
  const fields = opts.fields ?? 2000;
  const frames = opts.frames ?? 30;
  const parts = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>Untapped bench: heavy page</title>',
    '<script src="{{THIRD}}/tracker.js"></script>',
    '</head><body><form id="big" onsubmit="return false">',
  ];
  for (let i = 0; i < fields; i++) {
    parts.push(`<label>Field ${i} <input name="f${i}" id="f${i}" onkeydown="this.dataset.k = '1'" oninput="this.dataset.v = this.value.length" onclick="this.dataset.c = '1'"></label>`);
  }
  parts.push('</form><div id="frames">');
  // A third each: same-origin, third-party (out of process in Chromium), srcdoc.
  for (let i = 0; i < frames; i++) {
    if (i % 3 === 0) parts.push(`<iframe src="/frame.html?${i}"></iframe>`);
    else if (i % 3 === 1) parts.push(`<iframe src="{{THIRD}}/frame.html?${i}"></iframe>`);
    else parts.push(`<iframe srcdoc="<input onkeydown=&quot;this.dataset.k = 1&quot;><p>frame ${i}</p>"></iframe>`);
  }
  parts.push('</div></body></html>');
  return parts.join('\n');
}
