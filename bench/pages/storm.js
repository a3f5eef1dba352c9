// 10,000 third-party keystroke-listener attempts: 500 scripts, each from its
// own origin (t<i>.localhost, which browsers resolve to loopback), each making
// 20 attempts on the page's fields. 500 origins are 500 report lines all the
// way to the background, more than the 200 it keeps per site, so its bounds
// are exercised too.
//
// Loaded in bursts of 100 with pauses longer than the guard's 150 ms batching,
// so the reports reach the background over many batches, as on a real page.
// (At commit 9a38c55 a single batch of more than 500 lines was dropped whole
// by the relay; with bursts the benchmark does not depend on that limit.)
(function () {
  'use strict';
  const ORIGINS = 500;
  const BURST = 100;
  const port = new URL(document.currentScript.src).port;
  let next = 0;
  window.__stormLoaded = 0;
  function burst() {
    const end = Math.min(ORIGINS, next + BURST);
    let pending = end - next;
    const settled = function () {
      if (--pending > 0) return;
      if (next < ORIGINS) setTimeout(burst, 200);
      else window.__stormDone = window.__stormLoaded * 20;
    };
    for (; next < end; next++) {
      const s = document.createElement('script');
      s.src = 'http://t' + next + '.localhost:' + port + '/storm-attempt.js';
      s.onload = settled;
      s.onerror = settled;
      document.head.appendChild(s);
    }
  }
  burst();
})();
