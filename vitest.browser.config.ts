import { defineConfig } from 'vitest/config';

// Real-browser tier: puppeteer-core drives Debian's Chromium and Firefox with
// the built extension. One file at a time: the machine has two cores and each
// file keeps one browser of each kind open.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['./test/browser/global-setup.ts'],
    reporters: ['default', './test/plain-summary.ts'],
  },
});
