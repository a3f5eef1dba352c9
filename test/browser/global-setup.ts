import { buildAll } from '../../scripts/build.mjs';

// The browser tier always runs against a fresh build of the current source.
export default async function setup(): Promise<void> {
  await buildAll({ quiet: true });
}
