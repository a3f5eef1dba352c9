// Firefox quirk: storage.managed.get() REJECTS with "Managed storage manifest
// not found" when no enterprise policy names the extension, where Chromium
// resolves {}. That rejection means "no policy", not a failure. Any other
// rejection is a real error and is passed on to the caller.

export const FIREFOX_NO_POLICY = /managed storage manifest not found/i;

export function isNoPolicyRejection(err: unknown): boolean {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  return FIREFOX_NO_POLICY.test(message);
}

/** Wraps a storage.managed.get so "no policy" in Firefox reads as `{}` like Chromium. */
export async function readManaged(get: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  try {
    return await get();
  } catch (err) {
    if (isNoPolicyRejection(err)) return {};
    throw err;
  }
}
