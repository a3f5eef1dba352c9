// The Firefox background's defusing of `//# sourceURL=` in other sites'
// scripts (src/background/firefox-source-names.ts). That Firefox then shows
// the file's own URL is proven in the browser (`sourceurl-file` in
// guard-attribution.test.ts); here: the bytes, chunk edges, which requests,
// and the filter's life cycle with a fake that behaves like StreamFilter.
import { describe, expect, it } from 'vitest';
import {
  createDefuseListener, defuse, HELD, NameDefuser, needsDefusing, topUrlOf, type DefuseStats, type StreamFilterLike,
} from '../../src/background/firefox-source-names';
import type { Mode } from '../../src/shared/types';
import { manifestFor } from '../../scripts/build.mjs';

const enc = new TextEncoder();
const dec = new TextDecoder();
const utf16 = (s: string, le: boolean): Uint8Array => {
  const out = new Uint8Array(s.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < s.length; i++) view.setUint16(i * 2, s.charCodeAt(i), le);
  return out;
};
const fromUtf16 = (b: Uint8Array, le: boolean): string => new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(b);

const SCRIPT = 'let a = "x";\n//# sourceURL=https://site.example/app.js\n/*@ sourceURL=https://site.example/b.js */\n//# sourceMappingURL=app.js.map\n';
const DEFUSED = 'let a = "x";\n//# sourceURL https://site.example/app.js\n/*@ sourceURL https://site.example/b.js */\n//# sourceMappingURL=app.js.map\n';

describe('defuse', () => {
  it('turns the = of every sourceURL= into a space and leaves everything else, sourceMappingURL included', () => {
    const b = enc.encode(SCRIPT);
    expect(defuse(b)).toBe(2);
    expect(dec.decode(b)).toBe(DEFUSED);
  });

  it('finds the directive in UTF-16 both ways round, keeping the length', () => {
    for (const le of [true, false]) {
      const b = utf16(SCRIPT, le);
      const length = b.length;
      expect(defuse(b)).toBe(2);
      expect(b.length).toBe(length);
      expect(fromUtf16(b, le)).toBe(DEFUSED);
    }
  });

  it('counts nothing in code without the directive, or with a near miss', () => {
    for (const text of ['', 'U', 'sourceURL', 'sourceUR=', 'SourceURL=x', 'source URL=x', 'URL=sourceURL']) {
      const b = enc.encode(text);
      expect(defuse(b)).toBe(0);
      expect(dec.decode(b)).toBe(text);
    }
  });
});

describe('NameDefuser (streaming)', () => {
  // Every way of cutting the response in two gives the same bytes as defusing it whole.
  it('defuses a directive cut across two chunks at any byte, in every encoding', () => {
    for (const whole of [enc.encode(SCRIPT), utf16(SCRIPT, true), utf16(SCRIPT, false)]) {
      const expected = whole.slice();
      defuse(expected);
      for (let cut = 0; cut <= whole.length; cut++) {
        const d = new NameDefuser();
        const parts = [d.push(whole.slice(0, cut)), d.push(whole.slice(cut)), d.end()];
        const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) { out.set(p, at); at += p.length; }
        expect(out).toEqual(expected);
        expect(d.defused).toBe(2);
      }
    }
  });

  it('holds back only what a directive could span, and a response of single bytes still comes out whole', () => {
    const d = new NameDefuser();
    const first = d.push(enc.encode('x'.repeat(100)));
    expect(first.length).toBe(100 - HELD);
    const bytes = enc.encode(SCRIPT);
    let out = '';
    const one = new NameDefuser();
    for (const b of bytes) out += dec.decode(one.push(Uint8Array.of(b)), { stream: true });
    out += dec.decode(one.end());
    expect(out).toBe(DEFUSED);
  });
});

describe('which scripts', () => {
  it('only the Firefox build asks for webRequest (Chromium has no filterResponseData)', () => {
    const asks = ['webRequest', 'webRequestBlocking', 'webRequestFilterResponse'];
    expect(manifestFor('firefox').permissions).toEqual(expect.arrayContaining(asks));
    expect(manifestFor('chromium').permissions.filter((p: string) => asks.includes(p))).toEqual([]);
  });

  it('defuses scripts from another site or for a document of unknown site, not the site’s own', () => {
    const req = (url: string, documentUrl?: string) => ({ requestId: '1', url, documentUrl });
    expect(needsDefusing(req('https://cdn.tracker.example/r.js', 'https://shop.example/'))).toBe(true);
    expect(needsDefusing(req('https://static.shop.example/app.js', 'https://www.shop.example/'))).toBe(false);
    expect(needsDefusing(req('http://localhost:8080/a.js', 'http://127.0.0.1:8080/'))).toBe(true);
    expect(needsDefusing(req('https://shop.example/app.js', 'about:srcdoc'))).toBe(true);
    expect(needsDefusing(req('https://shop.example/app.js'))).toBe(true);
    expect(needsDefusing(req('data:text/javascript,1', 'https://shop.example/'))).toBe(false);
  });

  it('takes the mode from the top-level document', () => {
    expect(topUrlOf({ requestId: '1', url: 'https://t.example/', documentUrl: 'https://a.example/', frameAncestors: [] })).toBe('https://a.example/');
    expect(topUrlOf({
      requestId: '1', url: 'https://t.example/', documentUrl: 'https://frame.example/',
      frameAncestors: [{ url: 'https://mid.example/' }, { url: 'https://top.example/' }],
    })).toBe('https://top.example/');
  });
});

/** Behaves like Firefox's StreamFilter: data events, then stop; writes are kept. */
class FakeFilter implements StreamFilterLike {
  ondata: ((e: { data: ArrayBuffer }) => void) | null = null;
  onstop: ((e: unknown) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  error = '';
  written: Uint8Array[] = [];
  closed = false;
  write(data: ArrayBuffer | Uint8Array): void {
    if (this.closed) throw new Error('write after close');
    this.written.push(new Uint8Array(data instanceof Uint8Array ? data.slice() : data));
  }
  close(): void { this.closed = true; }
  deliver(chunks: Uint8Array[]): string {
    for (const c of chunks) this.ondata?.({ data: c.slice().buffer });
    this.onstop?.({});
    return this.written.map((w) => dec.decode(w, { stream: true })).join('') + dec.decode();
  }
}

describe('the blocking listener', () => {
  const setup = (mode: Mode | Error, opts: { filterThrows?: boolean } = {}) => {
    const filters: FakeFilter[] = [];
    const errors: string[] = [];
    const tops: (string | undefined)[] = [];
    const stats: DefuseStats = { filtered: 0, defused: 0, failed: 0 };
    const listener = createDefuseListener({
      filterResponseData: () => {
        if (opts.filterThrows) throw new Error('Invalid request ID');
        const f = new FakeFilter();
        filters.push(f);
        return f;
      },
      modeFor: async (top) => { tops.push(top); if (mode instanceof Error) throw mode; return mode; },
      onError: (what) => errors.push(what),
    }, stats);
    return { listener, filters, errors, tops, stats };
  };
  const thirdParty = { requestId: '7', url: 'https://rec.example/r.js', documentUrl: 'https://shop.example/', frameAncestors: [] };

  it('passes a third-party script through with its names defused, and closes the filter', async () => {
    const { listener, filters, stats, tops } = setup('protect');
    expect(await listener(thirdParty)).toEqual({});
    expect(tops).toEqual(['https://shop.example/']);
    const bytes = enc.encode(SCRIPT);
    expect(filters[0]!.deliver([bytes.slice(0, 20), bytes.slice(20, 31), bytes.slice(31)])).toBe(DEFUSED);
    expect(filters[0]!.closed).toBe(true);
    expect(stats).toEqual({ filtered: 1, defused: 2, failed: 0 });
  });

  it('defuses in monitor mode too (the tallies need the right origin) but not on a site switched off', async () => {
    const monitor = setup('monitor');
    await monitor.listener(thirdParty);
    expect(monitor.filters).toHaveLength(1);
    const off = setup('off');
    await off.listener(thirdParty);
    expect(off.filters).toHaveLength(0);
  });

  it('leaves the site’s own scripts alone without asking for the mode', async () => {
    const { listener, filters, tops } = setup('protect');
    await listener({ requestId: '8', url: 'https://cdn.shop.example/app.js', documentUrl: 'https://shop.example/' });
    expect(filters).toHaveLength(0);
    expect(tops).toEqual([]);
  });

  it('defuses anyway when the settings cannot be read, and reports it', async () => {
    const { listener, filters, errors } = setup(new Error('storage gone'));
    await listener(thirdParty);
    expect(filters).toHaveLength(1);
    expect(errors).toEqual(['read the mode for a script filter']);
  });

  it('counts a filter Firefox refuses and lets the request go on', async () => {
    const { listener, errors, stats } = setup('protect', { filterThrows: true });
    expect(await listener(thirdParty)).toEqual({});
    expect(stats.failed).toBe(1);
    expect(errors).toEqual(['filter a script response']);
  });

  it('reports a stream error', async () => {
    const { listener, filters, errors, stats } = setup('protect');
    await listener(thirdParty);
    filters[0]!.error = 'Channel redirected';
    filters[0]!.onerror?.({});
    expect(stats.failed).toBe(1);
    expect(errors).toEqual(['script filter']);
  });
});
