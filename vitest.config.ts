import { defineConfig } from 'vitest/config';

// Fast tier: pure logic in Node, no browser.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', './test/plain-summary.ts'],
  },
});
