// The extension API for extension pages without webextension-polyfill: both
// browsers' MV3 APIs return promises natively, and the popup's first paint
// is measured (every kilobyte parsed before it counts). Types only from the
// polyfill's typings; nothing of it is bundled.
import type Browser from 'webextension-polyfill';

const g = globalThis as unknown as { browser?: Browser.Browser; chrome?: Browser.Browser };

export const api: Browser.Browser = (g.browser ?? g.chrome)!;
