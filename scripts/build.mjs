// Builds dist/chromium and dist/firefox from one source manifest. What differs
// per browser is applied here (see manifestFor), never kept in two copies.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));

export function manifestFor(browser, m = source) {
  const copy = structuredClone(m);
  if (browser === 'chromium') {
    // Chromium runs the service worker; it has no use for the event-page list
    // or Gecko settings.
    delete copy.background.scripts;
    delete copy.browser_specific_settings;
  } else {
    // Firefox runs background.scripts as an event page and ignores `key`,
    // warning about both at install time; drop them.
    delete copy.background.service_worker;
    delete copy.key;
    // Defusing `//# sourceURL=` in other sites' scripts (src/background/
    // firefox-source-names.ts): SpiderMonkey prints that name in stacks in
    // place of the script's URL, where V8 keeps the file.
    copy.permissions = [...copy.permissions, 'webRequest', 'webRequestBlocking', 'webRequestFilterResponse'];
  }
  return copy;
}

const entries = {
  guard: 'src/guard/index.ts',
  relay: 'src/relay/index.ts',
  background: 'src/background/index.ts',
  popup: 'src/popup/index.tsx',
  dashboard: 'src/dashboard/index.tsx',
};

/**
 * Compile-time constants of the guard. `perf` builds it with its set-up marks
 * (src/guard/perf.ts), for the bench only. Every esbuild build of the guard
 * must pass these: without them `__UNTAPPED_PERF__` is an unknown global and
 * the guard stops at its first line.
 */
export const guardDefines = (perf = false) => ({ __UNTAPPED_PERF__: perf ? 'true' : 'false' });

/** `perf`: see guardDefines. */
export async function buildAll({ quiet = false, outDir = join(root, 'dist'), perf = false } = {}) {
  const out = outDir;
  rmSync(out, { recursive: true, force: true });
  const staging = join(out, '.bundle');
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: staging,
    bundle: true,
    format: 'iife',
    // Both browsers' MV3 floors (Chromium 120+, Firefox 140+) support ES2022.
    target: ['chrome120', 'firefox140'],
    minify: true,
    legalComments: 'none',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: quiet ? 'error' : 'warning',
    metafile: true,
    define: guardDefines(perf),
  });
  for (const browser of ['chromium', 'firefox']) {
    const dir = join(out, browser);
    mkdirSync(dir, { recursive: true });
    cpSync(staging, dir, { recursive: true });
    cpSync(join(root, 'icons'), join(dir, 'icons'), { recursive: true });
    cpSync(join(root, '_locales'), join(dir, '_locales'), { recursive: true });
    cpSync(join(root, 'managed_schema.json'), join(dir, 'managed_schema.json'));
    for (const page of ['popup', 'dashboard']) {
      cpSync(join(root, `src/${page}/${page}.html`), join(dir, `${page}.html`));
      cpSync(join(root, `src/${page}/${page}.css`), join(dir, `${page}.css`));
    }
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifestFor(browser), null, 2));
  }
  rmSync(staging, { recursive: true, force: true });
  if (!quiet) {
    const size = readFileSync(join(out, 'chromium', 'guard.js')).length;
    console.log(`built dist/chromium and dist/firefox (guard.js ${size} bytes)`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildAll();
}
