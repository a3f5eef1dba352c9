// Adds n same-origin frames (half srcdoc, half fetched) and resolves with
// - total: ms from insertion until every frame has fired `load`, and
// - first: each frame's ms from its own navigation start to its first inline
//   script (the extension's document_start scripts run inside that interval).
// With minus without, total / n is the extension's cost per frame. The markup
// is parsed into a template once, ahead of time, and each call only clones
// and appends it, so guard hooks on HTML parsing or createElement in the top
// frame stay out of the timed (and profiled) part.
(function () {
  'use strict';
  const FIRST = '<script>window.__first = performance.now()<\/script>';
  /** @type {Record<number, HTMLTemplateElement>} */
  const templates = {};
  function template(n) {
    if (templates[n] === undefined) {
      let html = '';
      for (let i = 0; i < n; i++) {
        html += i % 2 === 0
          ? '<iframe srcdoc="' + FIRST.replace(/"/g, '&quot;') + '<p>frame ' + i + '</p>"></iframe>'
          : '<iframe src="/frame-timed.html?' + i + '"></iframe>';
      }
      const t = document.createElement('template');
      t.innerHTML = html;
      templates[n] = t;
    }
    return templates[n];
  }
  window.__prepareFrames = function (n) { template(n); };
  window.__addFrames = function (n) {
    const host = document.getElementById('host');
    const content = template(n).content;
    host.textContent = '';
    // The guard's own set-up marks (bench builds only, src/guard/perf.ts):
    // this window's 'untapped:realm' (child realms it guarded) and each
    // frame's 'untapped:guard' (that frame's own guard script).
    const realmsBefore = performance.getEntriesByName('untapped:realm').length;
    const measuresBefore = performance.getEntriesByType('measure').length;
    const t0 = performance.now();
    host.appendChild(content.cloneNode(true));
    const frames = Array.prototype.slice.call(host.querySelectorAll('iframe'));
    return Promise.all(frames.map(function (f) {
      return new Promise(function (ok) {
        f.onload = function () { ok(f.contentWindow.__first); };
      });
    })).then(function (first) {
      const total = performance.now() - t0;
      let setup = 0;
      let marks = 0;
      const add = function (e) { setup += e.duration; marks++; };
      performance.getEntriesByName('untapped:realm').slice(realmsBefore).forEach(add);
      frames.forEach(function (f) { f.contentWindow.performance.getEntriesByName('untapped:guard').forEach(add); });
      // The same time by part: module evaluation (the natives' capture) and
      // each feature's init, in the frames' own guards and from this window.
      const parts = {};
      const part = function (e) {
        if (e.name.indexOf('untapped:') !== 0 || e.name === 'untapped:guard' || e.name === 'untapped:realm') return;
        parts[e.name.slice(9)] = (parts[e.name.slice(9)] || 0) + e.duration;
      };
      performance.getEntriesByType('measure').slice(measuresBefore).forEach(part);
      frames.forEach(function (f) { f.contentWindow.performance.getEntriesByType('measure').forEach(part); });
      return { total: total, first: first, setup: setup, marks: marks, parts: parts };
    });
  };
})();
