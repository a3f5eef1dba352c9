// One third-party origin's 20 attempts (see storm.js).
(function () {
  'use strict';
  for (let i = 0; i < 20; i++) document.getElementById('f' + i).addEventListener('keydown', function () {});
  window.__stormLoaded++;
})();
