// A first-party form with 20 fields and its own listeners: what the JS heap
// measurement loads.
(function () {
  'use strict';
  const form = document.getElementById('form');
  for (let i = 0; i < 20; i++) {
    const input = document.createElement('input');
    input.name = 'f' + i;
    input.addEventListener('input', function () { form.dataset.dirty = '1'; });
    input.addEventListener('keydown', function () {});
    form.appendChild(input);
  }
  const pay = document.createElement('button');
  pay.type = 'button';
  pay.textContent = 'Pay';
  pay.addEventListener('click', function () {});
  form.appendChild(pay);
  window.__typicalReady = true;
})();
