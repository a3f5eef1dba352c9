// Loaded WITHOUT the extension. Replaces HTMLInputElement.prototype.value's
// getter with wrappers of different shapes, one at a time, and times 200,000
// first-party reads of an untouched field under each, so a faster shape for
// the guard's value hook can be chosen by measurement. Each shape does the
// same work the guard's fast path does: a WeakMap lookup, then the native.
(function () {
  'use strict';
  const proto = HTMLInputElement.prototype;
  const desc = Object.getOwnPropertyDescriptor(proto, 'value');
  const native = desc.get;
  const apply = Reflect.apply;
  const taint = new WeakMap();
  const wmGet = WeakMap.prototype.get;
  const callNative = Function.prototype.bind.call(Function.prototype.call, native);
  const trap = function (original, el) {
    const t = apply(wmGet, taint, [el]);
    if (t !== undefined) return '';
    return callNative(el);
  };
  const trapApply = function (original, el) {
    const t = apply(wmGet, taint, [el]);
    if (t !== undefined) return '';
    return apply(original, el, []);
  };
  const SHAPES = {
    native: native,
    // The guard's shape at the measured commit: computed-name getter, try/catch, trap, bound call.
    guardLike: ({ get value() { try { return trap(native, this); } catch (e) { throw e; } } }),
    // Same, calling the native through the saved Reflect.apply instead of a bound call.
    applyInTrap: ({ get value() { try { return trapApply(native, this); } catch (e) { throw e; } } }),
    // No try/catch around the fast path.
    noTry: ({ get value() { return trapApply(native, this); } }),
    // Fast path inlined into the getter itself.
    inline: ({ get value() { if (apply(wmGet, taint, [this]) !== undefined) return ''; return apply(native, this, []); } }),
    // A size check before any lookup (the guard's taintStats.fields === 0).
    countFirst: ({ get value() { if (taintedCount !== 0 && apply(wmGet, taint, [this]) !== undefined) return ''; return apply(native, this, []); } }),
    // A Proxy over the native getter (the guard's makeWrapper shape).
    proxy: new Proxy(native, { apply(target, thisArg) { return trapApply(target, thisArg); } }),
  };
  let taintedCount = 0;
  const field = document.getElementById('field');
  window.__getterShapes = Object.keys(SHAPES);
  window.__timeGetter = function (shape, n) {
    const s = SHAPES[shape];
    const get = typeof s === 'function' ? s : Object.getOwnPropertyDescriptor(s, 'value').get;
    Object.defineProperty(proto, 'value', { get: get, set: desc.set, enumerable: desc.enumerable, configurable: true });
    let sum = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sum += field.value.length;
    const t = performance.now() - t0;
    Object.defineProperty(proto, 'value', desc);
    window.__sink = sum;
    return t;
  };
})();
