// @ts-check
// The extension's own score (src/shared/score.ts), bundled for Node at run
// time with esbuild so the scanner grades sites exactly as the popup does.
// Without the source (an installed package) or esbuild, scores stay null and
// the reason is recorded: the scanner never makes up a grade.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');

/**
 * @typedef {{ score: number, grade: string }} Figure
 * @typedef {{ exposure: Figure, residual: Figure }} SiteScore
 * @typedef {{ scoreSite: ((t: unknown) => SiteScore) | null, reason: string | null }} Scorer
 */

/** @returns {Promise<Scorer>} */
export async function loadScorer() {
  const entry = join(root, 'src/shared/score.ts');
  if (!existsSync(entry)) return { scoreSite: null, reason: 'src/shared/score.ts not found' };
  const dir = mkdtempSync(join(tmpdir(), 'untapped-score-'));
  try {
    const { build } = await import('esbuild');
    const out = join(dir, 'score.mjs');
    await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'error' });
    const mod = await import(pathToFileURL(out).href);
    if (typeof mod.scoreSite !== 'function') return { scoreSite: null, reason: 'src/shared/score.ts exports no scoreSite' };
    return { scoreSite: mod.scoreSite, reason: null };
  } catch (e) {
    return { scoreSite: null, reason: `could not bundle src/shared/score.ts: ${e instanceof Error ? e.message : e}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
