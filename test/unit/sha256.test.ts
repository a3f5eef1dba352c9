// The guard's SHA-256 against Node's, over the lengths where padding changes
// (55, 56 and 64 bytes sit at block edges) and over multi-byte text, as V8's
// getScriptHash() hashes a script's UTF-8 source.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/shared/sha256';

const ours = (s: string) => {
  const bytes = new TextEncoder().encode(s);
  return sha256Hex(bytes, bytes.length);
};
const node = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(ours('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(ours('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(ours('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))
      .toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('matches Node at every length around the block edges', () => {
    for (let n = 0; n <= 130; n++) {
      const s = 'x'.repeat(n);
      expect(ours(s), `length ${n}`).toBe(node(s));
    }
  });

  it('hashes multi-byte text as UTF-8, and long scripts', () => {
    for (const s of ['// é', 'const € = "😀";', 'a\r\nb', `var x = ${JSON.stringify('y'.repeat(100_000))};\n//# sourceURL=https://shop.example/untapped-inline-1.js`]) {
      expect(ours(s)).toBe(node(s));
    }
  });

  it('only reads the first n bytes', () => {
    const bytes = new TextEncoder().encode('abcdef');
    expect(sha256Hex(bytes, 3)).toBe(node('abc'));
  });
});
