// A third-party script (served from {{THIRD}}) putting 20 keystroke listeners
// on the page's field: denied and filtered with the extension, live without.
// It also puts a widget of its own on the page, as most third parties do.
(function () {
  'use strict';
  const field = document.getElementById('field');
  window.__thirdHits = 0;
  const widget = document.createElement('div');
  widget.textContent = 'widget';
  document.body.appendChild(widget);
  for (let i = 0; i < 20; i++) field.addEventListener('keydown', function (e) { window.__thirdHits += e.key.length; });
})();
