// @ts-check
// Small statistics for benchmark samples.

/** @param {number[]} xs */
export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? /** @type {number} */ (s[m]) : (/** @type {number} */ (s[m - 1]) + /** @type {number} */ (s[m])) / 2;
}

/** @param {number[]} xs */
export function range(xs) {
  const s = xs.filter((x) => Number.isFinite(x));
  return s.length === 0 ? [NaN, NaN] : [Math.min(...s), Math.max(...s)];
}
