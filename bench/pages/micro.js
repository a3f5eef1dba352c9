// First-party benchmark kernels, served from the first-party origin so the
// guard attributes every call here to the page itself. Each kernel returns the
// milliseconds its timed loop took; set-up happens outside the timed part.
(function () {
  'use strict';
  const field = document.getElementById('field');
  const template = document.getElementById('pool-item');
  let hits = 0;
  for (let i = 0; i < 20; i++) field.addEventListener('keydown', function () { hits++; });

  // Fresh elements per batch (cloned, so no hooked API runs during set-up),
  // so listener lists do not grow from one batch to the next.
  function pool(size) {
    const out = [];
    for (let i = 0; i < size; i++) out.push(template.content.firstElementChild.cloneNode(false));
    return out;
  }
  const noop = function () {};

  window.__bench = {
    unwatched(n) {
      const els = pool(200);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) els[i % 200].addEventListener((i & 1) === 0 ? 'scroll' : 'load', function () {});
      return performance.now() - t0;
    },
    watched(n) {
      const els = pool(200);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) els[i % 200].addEventListener((i & 1) === 0 ? 'keydown' : 'click', function () {});
      return performance.now() - t0;
    },
    dispatch(n) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) field.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
      return performance.now() - t0;
    },
    valueReads(n) {
      let sum = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) sum += field.value.length;
      const t = performance.now() - t0;
      window.__sink = sum;
      return t;
    },
    // The same on a field the user has typed into (the guard treats typed
    // fields differently from untouched ones).
    valueReadsTyped(n) {
      const typed = document.getElementById('typed');
      let sum = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) sum += typed.value.length;
      const t = performance.now() - t0;
      window.__sink = sum;
      return t;
    },
    // Scroll offsets (Element's scroll getters are wrapped for typed fields
    // whose length is hidden): an element nobody typed into, the common case.
    scrollReads(n) {
      const box = document.getElementById('field').form;
      let sum = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) sum += box.scrollTop + 1;
      const t = performance.now() - t0;
      window.__sink = sum;
      return t;
    },
    // Attribute reads (Element.getAttribute is wrapped for the mirrored value
    // attribute of typed fields); run after the typed field exists, so the
    // guard takes its full path rather than the "nothing typed yet" one.
    getAttribute(n) {
      const typed = document.getElementById('typed');
      let sum = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) sum += typed.getAttribute((i & 1) === 0 ? 'id' : 'value').length;
      const t = performance.now() - t0;
      window.__sink = sum;
      return t;
    },
    // Selector calls (matches and querySelector(All) are wrapped for selectors
    // naming typed state); after the typed field exists, with selectors that
    // name none, as a page's own code mostly does.
    querySelector(n) {
      const typed = document.getElementById('typed');
      let sum = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        if (typed.matches('input')) sum++;
        if (document.querySelector('#typed') === typed) sum++;
      }
      const t = performance.now() - t0;
      window.__sink = sum;
      return t;
    },
    // Markup snapshots (innerHTML/outerHTML getters are wrapped for typed text
    // mirrored into markup). The page mirrors the typed text into the field's
    // value attribute first, as React does, so every read takes the full path:
    // the mirrored field is found and the caller attributed.
    outerHTML(n) {
      const typed = document.getElementById('typed');
      typed.setAttribute('value', typed.value);
      const form = typed.form;
      let sum = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) if (form.outerHTML.indexOf(typed.value) >= 0) sum++;
      const t = performance.now() - t0;
      window.__sink = sum;
      return t;
    },
    createElement(n) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) document.createElement((i & 1) === 0 ? 'div' : 'span');
      return performance.now() - t0;
    },
    // Every insertion looks at ownership once a third party has made a node
    // (third-listeners.js makes one): the path a page with any widget takes.
    appendChild(n) {
      const box = document.createElement('div');
      document.body.appendChild(box);
      const els = [];
      for (let i = 0; i < n; i++) els.push(document.createElement('span'));
      const t0 = performance.now();
      for (let i = 0; i < n; i++) box.appendChild(els[i]);
      const t = performance.now() - t0;
      box.remove();
      return t;
    },
    hits() { return hits + (window.__thirdHits || 0); },
    noop,
  };

  // The bench starts each kernel by posting a message, and the kernel runs
  // inside this first-party listener. Called straight from page.evaluate, it
  // would run under puppeteer's evaluation frame, which has no http(s) URL:
  // the guard attributes such calls to an unknown party, so the "first party"
  // rows would time the third-party path instead (they did until 2026-11-24).
  // `sink` lets the bench check the path: a first-party read of the typed
  // field sees the typed text, a denied read sees nothing.
  window.addEventListener('message', function (ev) {
    const req = ev.data;
    if (ev.source !== window || req === null || typeof req !== 'object' || typeof req.kernel !== 'string') return;
    window.__sink = 0;
    const ms = window.__bench[req.kernel](req.n);
    window.__benchDone = { id: req.id, ms: ms, sink: window.__sink };
  });
})();
