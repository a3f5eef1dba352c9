// A third-party analytics-style script: listens to the whole document and
// builds a small widget of its own.
(function () {
  'use strict';
  document.addEventListener('keydown', function () {}, true);
  document.addEventListener('click', function () {}, true);
  window.addEventListener('scroll', function () {});
  window.addEventListener('load', function () {
    const badge = document.createElement('button');
    badge.textContent = 'Chat';
    badge.addEventListener('click', function () {});
    document.body.appendChild(badge);
  });
})();
