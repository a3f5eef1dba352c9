// Bench-only timing of the guard's set-up (docs/benchmarks.md, "Set-up per
// frame"). The production build defines __UNTAPPED_PERF__ as false, and
// esbuild drops every `if (__UNTAPPED_PERF__)` branch, so users never get
// these marks; `npm run bench` builds with it true. Imported first by
// index.ts, so the start time precedes the natives' capture.

declare global {
  const __UNTAPPED_PERF__: boolean;
}

export const perfStart: number = __UNTAPPED_PERF__ ? performance.now() : 0;
