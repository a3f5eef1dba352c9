// SHA-256 (FIPS 180-4) as lowercase hex: the guard compares it with V8's
// CallSite getScriptHash(), the hash of a script's UTF-8 source, to check that
// code carrying a first-party tag is the script the tag was issued for
// (guard/attribution.ts). Plain arithmetic on typed arrays made when the
// module is evaluated (at document_start in the guard; filled on first use):
// page code can replace nothing it calls. Not reentrant, and need not be.

const K = new Int32Array(64);
const H0 = new Int32Array(8);
const W = new Int32Array(64);
const S = new Int32Array(8);
/** The working variables a..h of one block. */
const X = new Int32Array(8);
const HEX = '0123456789abcdef';

/**
 * The constants are the fractional parts of the square and cube roots of the
 * first primes; `| 0` keeps the low 32 bits of x * 2^32. Worked out on first
 * use, not at start: 0.16 ms that every frame would pay at document_start.
 */
function fillConstants(): void {
  for (let c = 2, found = 0; found < 64; c++) {
    let prime = true;
    for (let d = 2; d * d <= c; d++) if (c % d === 0) prime = false;
    if (!prime) continue;
    if (found < 8) H0[found] = (c ** 0.5 * 2 ** 32) | 0;
    K[found++] = (c ** (1 / 3) * 2 ** 32) | 0;
  }
}

const rot = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** SHA-256 of `bytes[0..n)` (n below 2^29). */
export function sha256Hex(bytes: ArrayLike<number>, n: number): string {
  if (K[0] === 0) fillConstants();
  // The padded message is n bytes, 0x80, zeros, and the bit length in the last 4 bytes.
  const end = (((n + 8) >> 6) + 1) * 64;
  const at = (i: number): number => (i < n ? bytes[i] as number : i === n ? 0x80 : i >= end - 4 ? ((n * 8) >>> ((end - 1 - i) * 8)) & 255 : 0);
  for (let i = 0; i < 8; i++) S[i] = H0[i]!;
  for (let block = 0; block < end; block += 64) {
    for (let t = 0; t < 64; t++) {
      const x = W[t - 15]!;
      const y = W[t - 2]!;
      const i = block + t * 4;
      W[t] = t < 16 ? (at(i) << 24) | (at(i + 1) << 16) | (at(i + 2) << 8) | at(i + 3)
        : W[t - 16]! + (rot(x, 7) ^ rot(x, 18) ^ (x >>> 3)) + W[t - 7]! + (rot(y, 17) ^ rot(y, 19) ^ (y >>> 10));
    }
    for (let i = 0; i < 8; i++) X[i] = S[i]!;
    for (let t = 0; t < 64; t++) {
      const a = X[0]!;
      const e = X[4]!;
      const t1 = X[7]! + (rot(e, 6) ^ rot(e, 11) ^ rot(e, 25)) + ((e & X[5]!) ^ (~e & X[6]!)) + K[t]! + W[t]!;
      const t2 = (rot(a, 2) ^ rot(a, 13) ^ rot(a, 22)) + ((a & X[1]!) ^ (a & X[2]!) ^ (X[1]! & X[2]!));
      // h = g, g = f, ... b = a; then e = d + t1 and a = t1 + t2 (Int32Array stores wrap modulo 2^32).
      for (let i = 7; i > 0; i--) X[i] = X[i - 1]!;
      X[4] = X[4]! + t1;
      X[0] = t1 + t2;
    }
    for (let i = 0; i < 8; i++) S[i] = S[i]! + X[i]!;
  }
  let out = '';
  for (let i = 0; i < 8; i++) for (let s = 28; s >= 0; s -= 4) out += HEX[(S[i]! >>> s) & 15];
  return out;
}
