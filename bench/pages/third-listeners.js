// A third-party script (served from {{THIRD}}) putting 20 keystroke listeners
// on the page's field: denied and filtered with the extension, live without.
(function () {
  'use strict';
  const field = document.getElementById('field');
  window.__thirdHits = 0;
  for (let i = 0; i < 20; i++) field.addEventListener('keydown', function (e) { window.__thirdHits += e.key.length; });
})();
