// A fake of a browser.storage area that behaves like the real one where it
// matters: asynchronous (a write takes a timer turn, so concurrent writers
// interleave as they do against real storage), values copied with
// structuredClone in both directions (nothing passes by reference), and
// `get` of a missing key answers an empty object.
export class FakeStorageArea {
  /** What is stored, by key; tests may read or seed it directly. */
  data: Record<string, unknown> = {};
  /** Successful writes. */
  sets = 0;
  /** When set, the next writes fail as a full quota would. */
  failNext = 0;

  async get(key: string): Promise<Record<string, unknown>> {
    await Promise.resolve();
    return key in this.data ? { [key]: structuredClone(this.data[key]) } : {};
  }

  async set(items: Record<string, unknown>): Promise<void> {
    const copy = structuredClone(items);
    await new Promise((r) => setTimeout(r, 1));
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('QUOTA_BYTES quota exceeded');
    }
    this.sets++;
    Object.assign(this.data, copy);
  }
}
