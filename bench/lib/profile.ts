import { readFileSync } from 'node:fs';

/**
 * Where the time goes, from a V8 .cpuprofile (`node --cpu-prof`): self time per function and per
 * package/file, so a missed target can be pinned to a file and function.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** node_modules/<pkg> (scoped too), our dist/src/<file>, node:internal, or (program)/(gc). */
function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const ours = /dist\/(src\/.+)$/.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url.replace(/^file:\/\//, '');
}

export interface ProfileSummary {
  totalMs: number;
  byArea: { name: string; ms: number; share: number }[];
  byFunction: { name: string; ms: number; share: number }[];
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  // Self time per node from samples × time deltas (more exact than hitCount × interval).
  const selfUs = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    total += us;
    const a = area(n.callFrame.url, n.callFrame.functionName);
    if (a === '(idle)') continue;
    areas.set(a, (areas.get(a) ?? 0) + us);
    const fname = `${n.callFrame.functionName || '(anonymous)'} ${a}:${n.callFrame.lineNumber + 1}`;
    fns.set(fname, (fns.get(fname) ?? 0) + us);
  }
  const busy = [...areas.values()].reduce((s, x) => s + x, 0);
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / busy }));
  return { totalMs: total / 1000, byArea: rank(areas), byFunction: rank(fns) };
}

export function renderProfile(s: ProfileSummary): string {
  const rows = (xs: ProfileSummary['byArea']) => xs.map((x) => `| ${x.name} | ${x.ms.toFixed(0)} | ${(x.share * 100).toFixed(1)} % |`);
  return [
    `Profile: ${(s.totalMs / 1000).toFixed(1)} s sampled; shares are of non-idle time.`,
    '',
    '| package / file | self ms | share |',
    '| --- | ---: | ---: |',
    ...rows(s.byArea),
    '',
    '| function | self ms | share |',
    '| --- | ---: | ---: |',
    ...rows(s.byFunction),
    '',
  ].join('\n');
}
