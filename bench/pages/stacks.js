// Loaded WITHOUT the extension, in Chromium. Times 20,000 stack captures,
// made 4 calls deep from this first-party script, in the shapes the guard's
// attribution could take, so the cost of each part of a capture is measured
// rather than guessed. Every shape ends with the list of script URLs.
(function () {
  'use strict';
  const E = Error;
  const gopd = Object.getOwnPropertyDescriptor;
  const dp = Reflect.defineProperty;
  const apply = Reflect.apply;
  const keep = function (_e, s) { return s; };
  const RE = /\((https?:[^\s()]*?):\d+:\d+\)|at (https?:[^\s()]*?):\d+:\d+/g;
  let fileName;
  (function () {
    const prev = E.prepareStackTrace;
    E.prepareStackTrace = keep;
    const s = new E().stack;
    E.prepareStackTrace = prev;
    fileName = Object.getPrototypeOf(s[0]).getFileName;
  })();
  function urlsOf(list) {
    const out = [];
    for (let i = 0; i < list.length; i++) out[out.length] = apply(fileName, list[i], []);
    return out;
  }
  const SHAPES = {
    // What the guard does now: limit to Infinity and prepareStackTrace swapped
    // in and out (deleted again when the page had none) around every capture.
    swapAndDelete() {
      const limit = gopd(E, 'stackTraceLimit');
      const prepare = gopd(E, 'prepareStackTrace');
      dp(E, 'stackTraceLimit', { value: Infinity, writable: true, configurable: true, enumerable: true });
      dp(E, 'prepareStackTrace', { value: keep, writable: true, configurable: true, enumerable: false });
      const err = new E();
      const own = gopd(err, 'stack');
      const raw = own.get !== undefined ? apply(own.get, err, []) : own.value;
      dp(E, 'stackTraceLimit', limit);
      if (prepare !== undefined) dp(E, 'prepareStackTrace', prepare); else delete E.prepareStackTrace;
      return urlsOf(raw);
    },
    // Same swaps, but prepareStackTrace is set back to undefined instead of
    // deleted, so the constructor keeps its shape.
    swapNoDelete() {
      const limit = gopd(E, 'stackTraceLimit');
      const prepare = gopd(E, 'prepareStackTrace');
      dp(E, 'stackTraceLimit', { value: Infinity, writable: true, configurable: true, enumerable: true });
      dp(E, 'prepareStackTrace', { value: keep, writable: true, configurable: true, enumerable: false });
      const err = new E();
      const own = gopd(err, 'stack');
      const raw = own.get !== undefined ? apply(own.get, err, []) : own.value;
      dp(E, 'stackTraceLimit', limit);
      dp(E, 'prepareStackTrace', prepare !== undefined ? prepare : { value: undefined, writable: true, configurable: true, enumerable: false });
      return urlsOf(raw);
    },
    // Structured frames with the default limit (10) and no limit swap.
    structuredLimit10() {
      const prepare = gopd(E, 'prepareStackTrace');
      dp(E, 'prepareStackTrace', { value: keep, writable: true, configurable: true, enumerable: false });
      const err = new E();
      const raw = err.stack;
      dp(E, 'prepareStackTrace', prepare !== undefined ? prepare : { value: undefined, writable: true, configurable: true, enumerable: false });
      return urlsOf(raw);
    },
    // The formatted string and a regex, limit swapped (the guard's first design).
    stringAndRegex() {
      const limit = gopd(E, 'stackTraceLimit');
      dp(E, 'stackTraceLimit', { value: Infinity, writable: true, configurable: true, enumerable: true });
      const s = new E().stack;
      dp(E, 'stackTraceLimit', limit);
      const out = [];
      RE.lastIndex = 0;
      for (let m = RE.exec(s); m !== null; m = RE.exec(s)) out[out.length] = m[1] || m[2];
      return out;
    },
    // Lower bound: an Error whose stack is never read (V8 formats lazily).
    errorOnly() {
      new E();
      return [];
    },
  };
  function depth4(f) { return depth3(f); }
  function depth3(f) { return depth2(f); }
  function depth2(f) { return depth1(f); }
  function depth1(f) { return f(); }
  window.__stackShapes = Object.keys(SHAPES);
  window.__timeStack = function (shape, n) {
    const f = SHAPES[shape];
    let frames = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) frames += depth4(f).length;
    const t = performance.now() - t0;
    window.__sink = frames;
    return t;
  };
})();
