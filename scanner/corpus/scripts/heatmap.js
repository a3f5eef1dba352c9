// Click heatmap: taps on the document, sends coordinates only, never values.
(() => {
  const pts = [];
  document.addEventListener('pointerdown', (e) => {
    pts.push([Math.round(e.clientX), Math.round(e.clientY)]);
    navigator.sendBeacon('{{THIRD}}/collect/heat', JSON.stringify(pts));
  });
})();
