#!/usr/bin/env node
// @ts-check
// untapped: command-line tools for researchers. `scan` bulk-tests sites with
// the extension loaded in an automated browser; `merge` joins sharded results.
import { UsageError, parseMergeArgs, parseScanArgs } from '../lib/cli-args.mjs';
import { runMerge, runScan } from '../lib/scan.mjs';

const USAGE = `usage:
  untapped scan [LIST] --out DIR [options]
      LIST                   a file of URLs (one per line, # comments) or a Tranco CSV (rank,domain);
                             without it, the bundled demo corpus is served on loopback and scanned
      --browser B            chromium (default), firefox or both
      --modes M              monitor,protect (default) or just one of them
      --concurrency N        browsers at a time (default: one per two cores)
      --timeout S            seconds per site and browser, both modes (default 60)
      --recycle N            relaunch a browser after N sites (default 50)
      --shard K/N            scan the K-th of N shares (1-based); also read from
                             JOB_COMPLETION_INDEX (+ --shards N or UNTAPPED_SHARDS) or
                             SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT
      --limit N              only the first N sites of this shard
      --quiet                no progress output
  untapped merge DIR... --out DIR
See docs/scanner.md.`;

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  try {
    if (cmd === 'scan') {
      const { exitCode } = await runScan(parseScanArgs(rest, process.env));
      return exitCode;
    }
    if (cmd === 'merge') {
      await runMerge(parseMergeArgs(rest), (m) => process.stderr.write(`${m}\n`));
      return 0;
    }
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return cmd === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`untapped: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`untapped: ${e instanceof Error ? e.stack ?? e.message : e}\n`);
    return 1;
  }
}

process.exitCode = await main();
// Browsers and servers are closed by now; don't wait on stray handles.
setTimeout(() => process.exit(), 200).unref();
