import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll } from '../../scripts/build.mjs';

// The browser tier always runs against a fresh build of the current source,
// in a directory of its own so concurrent runs never share (or delete) one.
export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'untapped-dist-'));
  await buildAll({ quiet: true, outDir: dir });
  process.env.UNTAPPED_DIST = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
