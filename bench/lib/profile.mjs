// @ts-check
// Reads a V8 CPU profile (CDP Profiler.stop) into self-time per script and
// per function, so a benchmark can say where the extension's time goes.

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number } }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples?: number[], timeDeltas?: number[], startTime: number, endTime: number }} CpuProfile
 */

/**
 * Self time in ms per node id. Each sample is charged the interval that
 * follows it, as DevTools does.
 * @param {CpuProfile} profile
 */
function selfTimes(profile) {
  /** @type {Map<number, number>} */
  const self = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = /** @type {number} */ (samples[i]);
    const dt = (deltas[i + 1] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + dt);
  }
  return self;
}

/**
 * Self ms of every node whose script URL passes `match`.
 * @param {CpuProfile} profile @param {(url: string) => boolean} match
 */
export function scriptSelfMs(profile, match) {
  const self = selfTimes(profile);
  let total = 0;
  for (const n of profile.nodes) if (match(n.callFrame.url)) total += self.get(n.id) ?? 0;
  return total;
}

/**
 * The `top` functions by self time, named `function (file:line:col)`;
 * `match` keeps only functions of the scripts it accepts (share stays of all).
 * @param {CpuProfile} profile @param {number} top @param {(url: string) => boolean} [match]
 */
export function topSelf(profile, top = 12, match = () => true) {
  const self = selfTimes(profile);
  /** @type {Map<string, number>} */
  const byName = new Map();
  let total = 0;
  for (const n of profile.nodes) {
    const ms = self.get(n.id) ?? 0;
    total += ms;
    const f = n.callFrame;
    if (!match(f.url)) continue;
    const file = f.url === '' ? '' : ` (${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1})`;
    const name = `${f.functionName || '(anonymous)'}${f.url === '' ? '' : file}`;
    byName.set(name, (byName.get(name) ?? 0) + ms);
  }
  return [...byName].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, ms]) => ({ name, ms: Math.round(ms * 100) / 100, share: total > 0 ? Math.round((ms / total) * 1000) / 10 : 0 }));
}
