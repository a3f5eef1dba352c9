// @ts-check
// Peak resident memory of the scanner and every process it started (the
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

function rssKb(/** @type {number} */ pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // ended meanwhile
  }
}

/** RSS in bytes of `root` and all its descendants. */
export function treeRss(root = process.pid) {
  let table;
  try {
    table = childrenTable();
  } catch {
    return { bytes: process.memoryUsage().rss, scope: 'node only' };
  }
  let kb = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = /** @type {number} */ (stack.pop());
    kb += rssKb(pid);
    for (const c of table.get(pid) ?? []) stack.push(c);
  }
  return { bytes: kb * 1024, scope: 'process tree' };
}

/** Samples every `ms` until stopped; reports the peak. */
export function peakSampler(ms = 2000) {
  let peak = 0;
  let scope = 'process tree';
  const sample = () => {
    const r = treeRss();
    scope = r.scope;
    if (r.bytes > peak) peak = r.bytes;
  };
  sample();
  const timer = setInterval(sample, ms);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakBytes: peak, scope };
    },
  };
}
