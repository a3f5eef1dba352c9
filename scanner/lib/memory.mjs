// @ts-check
// Peak memory (RSS and PSS) of the scanner and every process it started (the
// browsers and their helpers), sampled from /proc. Elsewhere (no /proc) only
// the Node process itself is measured, and the result says so.
import { readFileSync, readdirSync } from 'node:fs';

/** @returns {Map<number, number[]>} parent pid -> child pids */
function childrenTable() {
  /** @type {Map<number, number[]>} */
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // the process ended between listing and reading: nothing to count
    }
    // Field 4 (ppid) follows the parenthesised command name, which may hold spaces.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = table.get(ppid) ?? [];
    list.push(Number(name));
    table.set(ppid, list);
  }
  return table;
}

/**
 * RSS and PSS of one process, in kB. RSS counts pages shared between a
 * browser's processes once per process, so its sum overstates the tree; PSS
 * splits shared pages between their sharers and sums to the real footprint.
 */
function memKb(/** @type {number} */ pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const rss = /^Rss:\s+(\d+)/m.exec(text);
    const pss = /^Pss:\s+(\d+)/m.exec(text);
    return { rss: rss ? Number(rss[1]) : 0, pss: pss ? Number(pss[1]) : 0 };
  } catch {
    return { rss: 0, pss: 0 }; // ended meanwhile, or no smaps_rollup (old kernel)
  }
}

/** RSS and PSS in bytes of `root` and all its descendants. */
export function treeRss(root = process.pid) {
  let table;
  try {
    table = childrenTable();
  } catch {
    const rss = process.memoryUsage().rss;
    return { bytes: rss, pss: rss, scope: 'node only' };
  }
  let rss = 0;
  let pss = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = /** @type {number} */ (stack.pop());
    const m = memKb(pid);
    rss += m.rss;
    pss += m.pss;
    for (const c of table.get(pid) ?? []) stack.push(c);
  }
  return { bytes: rss * 1024, pss: pss * 1024, scope: 'process tree' };
}

/** Samples every `ms` until stopped; reports the peak. */
export function peakSampler(ms = 2000) {
  let peak = 0;
  let peakPss = 0;
  let scope = 'process tree';
  const sample = () => {
    const r = treeRss();
    scope = r.scope;
    if (r.bytes > peak) peak = r.bytes;
    if (r.pss > peakPss) peakPss = r.pss;
  };
  sample();
  const timer = setInterval(sample, ms);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakBytes: peak, peakPssBytes: peakPss, scope };
    },
  };
}
