// @ts-check
// Command-line and environment parsing for `untapped scan` and `untapped
// merge`. Pure: every mistake becomes a UsageError naming the flag, which the
// CLI prints with exit code 2.
import { availableParallelism } from 'node:os';

export class UsageError extends Error {}

/**
 * @typedef {object} ScanOptions
 * @property {string} out
 * @property {string | null} list        a file of URLs or a Tranco CSV; null = bundled corpus
 * @property {('chromium' | 'firefox')[]} browsers
 * @property {('monitor' | 'protect')[]} modes
 * @property {number} concurrency
 * @property {number} timeoutMs          per site and browser, both modes
 * @property {number} recycleEvery       relaunch each browser after this many sites
 * @property {{ index: number, count: number }} shard  1-based index
 * @property {number | null} limit       scan only the first N sites (after sharding)
 * @property {boolean} quiet
 */

/**
 * The default concurrency: one browser per two cores, at least one. Each
 * worker owns a whole browser (the extension's tallies are per profile), and
 * a browser visiting a site keeps about one core busy in bursts.
 */
export function defaultConcurrency(cores = availableParallelism()) {
  return Math.max(1, Math.floor(cores / 2));
}

/**
 * @param {string} flag
 * @param {string | undefined} v
 * @param {number} min
 */
function int(flag, v, min) {
  if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`${flag} needs a whole number, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min) throw new UsageError(`${flag} must be at least ${min}, got ${n}`);
  return n;
}

/**
 * `K/N` with 1 <= K <= N.
 * @param {string} v
 * @param {string} from  where it came from, for the error
 */
export function parseShard(v, from = '--shard') {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m) throw new UsageError(`${from} must look like K/N (e.g. 2/8), got ${JSON.stringify(v)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new UsageError(`${from}: K must be between 1 and N, got ${v}`);
  return { index, count };
}

/**
 * The shard this process runs: `--shard K/N` wins; otherwise a Kubernetes
 * Indexed Job (JOB_COMPLETION_INDEX, 0-based, with the total from --shards N
 * or UNTAPPED_SHARDS) or a Slurm array (SLURM_ARRAY_TASK_ID relative to
 * SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT); otherwise 1/1.
 * @param {string | undefined} shardFlag
 * @param {number | undefined} shardsFlag
 * @param {Record<string, string | undefined>} env
 */
export function resolveShard(shardFlag, shardsFlag, env) {
  if (shardFlag !== undefined) return parseShard(shardFlag);
  const k8s = env.JOB_COMPLETION_INDEX;
  if (k8s !== undefined && k8s !== '') {
    const idx = int('JOB_COMPLETION_INDEX', k8s, 0);
    const total = shardsFlag ?? (env.UNTAPPED_SHARDS !== undefined ? int('UNTAPPED_SHARDS', env.UNTAPPED_SHARDS, 1) : undefined);
    if (total === undefined) throw new UsageError('JOB_COMPLETION_INDEX is set but the number of shards is not: pass --shards N or set UNTAPPED_SHARDS (the Job\'s completions)');
    return parseShard(`${idx + 1}/${total}`, 'JOB_COMPLETION_INDEX');
  }
  const slurm = env.SLURM_ARRAY_TASK_ID;
  if (slurm !== undefined && slurm !== '') {
    const id = int('SLURM_ARRAY_TASK_ID', slurm, 0);
    const min = env.SLURM_ARRAY_TASK_MIN ? int('SLURM_ARRAY_TASK_MIN', env.SLURM_ARRAY_TASK_MIN, 0) : 0;
    const total = shardsFlag ?? (env.SLURM_ARRAY_TASK_COUNT ? int('SLURM_ARRAY_TASK_COUNT', env.SLURM_ARRAY_TASK_COUNT, 1) : undefined);
    if (total === undefined) throw new UsageError('SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: pass --shards N');
    return parseShard(`${id - min + 1}/${total}`, 'SLURM_ARRAY_TASK_ID');
  }
  if (shardsFlag !== undefined) throw new UsageError('--shards N is only used with JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID; use --shard K/N otherwise');
  return { index: 1, count: 1 };
}

/**
 * The items this shard owns: every count-th one, starting at index-1, so
 * shards stay balanced whatever the order of the list.
 * @template T
 * @param {readonly T[]} items
 * @param {{ index: number, count: number }} shard
 * @returns {T[]}
 */
export function shardItems(items, shard) {
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}

/**
 * @param {string[]} argv  arguments after `scan`
 * @param {Record<string, string | undefined>} env
 * @param {number} [cores]
 * @returns {ScanOptions}
 */
export function parseScanArgs(argv, env, cores) {
  /** @type {Record<string, string>} */
  const flags = {};
  /** @type {string[]} */
  const positional = [];
  const known = new Set(['out', 'list', 'browser', 'modes', 'concurrency', 'timeout', 'recycle', 'shard', 'shards', 'limit', 'quiet']);
  const boolean = new Set(['quiet']);
  for (let i = 0; i < argv.length; i++) {
    const a = /** @type {string} */ (argv[i]);
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    if (!known.has(name)) throw new UsageError(`unknown flag --${name}`);
    if (name in flags) throw new UsageError(`--${name} given twice`);
    if (boolean.has(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = 'true';
    } else if (eq !== -1) {
      flags[name] = a.slice(eq + 1);
    } else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags[name] = v;
      i++;
    }
  }
  if (positional.length > 1) throw new UsageError(`one URL list at most, got ${positional.length}: ${positional.join(' ')}`);
  if (positional.length === 1 && flags.list !== undefined) throw new UsageError('give the URL list either as an argument or with --list, not both');
  const out = flags.out;
  if (!out) throw new UsageError('--out DIR is required');
  const browser = flags.browser ?? 'chromium';
  /** @type {Record<string, ('chromium' | 'firefox')[]>} */
  const browserSets = { chromium: ['chromium'], firefox: ['firefox'], both: ['chromium', 'firefox'] };
  const browsers = browserSets[browser];
  if (!browsers) throw new UsageError(`--browser must be chromium, firefox or both, got ${JSON.stringify(browser)}`);
  const modeList = (flags.modes ?? 'monitor,protect').split(',');
  for (const m of modeList) if (m !== 'monitor' && m !== 'protect') throw new UsageError(`--modes takes monitor and/or protect, got ${JSON.stringify(m)}`);
  if (new Set(modeList).size !== modeList.length) throw new UsageError('--modes lists a mode twice');
  return {
    out,
    list: positional[0] ?? flags.list ?? null,
    browsers,
    modes: /** @type {('monitor' | 'protect')[]} */ (modeList),
    concurrency: flags.concurrency !== undefined ? int('--concurrency', flags.concurrency, 1) : defaultConcurrency(cores),
    timeoutMs: (flags.timeout !== undefined ? int('--timeout', flags.timeout, 5) : 60) * 1000,
    recycleEvery: flags.recycle !== undefined ? int('--recycle', flags.recycle, 1) : 50,
    shard: resolveShard(flags.shard, flags.shards !== undefined ? int('--shards', flags.shards, 1) : undefined, env),
    limit: flags.limit !== undefined ? int('--limit', flags.limit, 1) : null,
    quiet: flags.quiet === 'true',
  };
}

/**
 * `merge DIR... --out DIR`
 * @param {string[]} argv
 */
export function parseMergeArgs(argv) {
  /** @type {string[]} */
  const dirs = [];
  let out = null;
  for (let i = 0; i < argv.length; i++) {
    const a = /** @type {string} */ (argv[i]);
    if (a === '--out' || a.startsWith('--out=')) {
      if (out !== null) throw new UsageError('--out given twice');
      out = a === '--out' ? argv[++i] : a.slice(6);
      if (!out || out.startsWith('--')) throw new UsageError('--out needs a value');
    } else if (a.startsWith('--')) {
      throw new UsageError(`unknown flag ${a.split('=')[0]} for merge`);
    } else {
      dirs.push(a);
    }
  }
  if (!out) throw new UsageError('merge: --out DIR is required');
  if (dirs.length === 0) throw new UsageError('merge: name at least one result directory');
  return { dirs, out };
}
