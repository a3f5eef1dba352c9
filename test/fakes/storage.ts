// A fake of a browser.storage area that behaves like the real one where it
// matters: asynchronous, values copied with structuredClone in both
// directions (so callers cannot mutate what is stored), and `get` of a
// missing key answers an empty object.
export class FakeStorageArea {
  private data = new Map<string, unknown>();
  writes = 0;
  /** When set, the next calls fail as a quota or a closed context would. */
  failNext = 0;

  async get(key: string | string[] | null): Promise<Record<string, unknown>> {
    await Promise.resolve();
    const out: Record<string, unknown> = {};
    const keys = key === null ? [...this.data.keys()] : Array.isArray(key) ? key : [key];
    for (const k of keys) if (this.data.has(k)) out[k] = structuredClone(this.data.get(k));
    return out;
  }

  async set(items: Record<string, unknown>): Promise<void> {
    await Promise.resolve();
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('QUOTA_BYTES quota exceeded');
    }
    this.writes++;
    for (const [k, v] of Object.entries(items)) this.data.set(k, structuredClone(v));
  }

  async remove(key: string | string[]): Promise<void> {
    await Promise.resolve();
    for (const k of Array.isArray(key) ? key : [key]) this.data.delete(k);
  }

  peek(key: string): unknown {
    return structuredClone(this.data.get(key));
  }
}
