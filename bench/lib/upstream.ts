import { preflight } from './matrix.js';
import { median } from './stats.js';
import type { Target } from './target.js';

/**
 * With a slow Intervals.icu (--upstream-latency-ms), each tool that fans out is called through
 * (c) and the stand-in's front says what it was asked: how many upstream calls one tool call made
 * and how many of them ran one after another (the critical-path depth). A composite tool should
 * answer within ~1.3× one upstream call: depth 1, everything else in parallel.
 */

export interface UpstreamRecord {
  tool: string;
  /** Upstream calls per tool call (median over the cache-missing calls). */
  calls: number;
  /** Longest chain of upstream calls each started after the previous one answered. */
  depth: number;
  /** Wall time of the cache-missing calls, median. */
  p50Ms: number;
  /** The first call after start (the person's profile not yet cached). */
  firstMs: number;
  firstDepth: number;
  /** The same call again at once (inside the read cache's lifetime). */
  repeatMs: number;
  repeatCalls: number;
  errors: number;
}

interface Timed {
  startMs: number;
  endMs: number;
}

/** Composite tools and single-call references; each variant asks for different data (a cache miss). */
const TOOLS: { tool: string; variants: Record<string, unknown>[] }[] = [
  { tool: 'get_activities', variants: [0, 1, 2, 3, 4].map((i) => ({ oldest: `2026-0${i + 1}-01`, newest: `2026-0${i + 1}-28` })) },
  { tool: 'get_training_summary', variants: [14, 21, 28, 35, 42].map((days) => ({ days })) },
  { tool: 'get_coach_roster', variants: [10, 20, 30, 40, 50].map((limit) => ({ limit })) },
  { tool: 'compare_training', variants: [0, 1, 2, 3, 4].map((i) => ({ oldest: `2026-0${i + 1}-01`, newest: `2026-0${i + 1}-14` })) },
  {
    tool: 'project_fitness',
    variants: [0, 1, 2, 3, 4].map((i) => ({ sessions: [{ date: '2026-12-20', load: 80 + i }], until: `2027-0${i + 1}-15` })),
  },
  {
    tool: 'search_intervals',
    variants: [60, 120, 180, 240, 300].map((min_secs) => ({ min_secs, max_secs: min_secs + 300, min_intensity: 90, max_intensity: 130 })),
  },
];

/** The longest chain in which each call started after the one before it answered. */
export function criticalDepth(calls: readonly Timed[]): number {
  const sorted = [...calls].sort((a, b) => a.endMs - b.endMs);
  const depth: number[] = [];
  sorted.forEach((c, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) if (sorted[j]!.endMs <= c.startMs) best = Math.max(best, depth[j]!);
    depth.push(best + 1);
  });
  return Math.max(0, ...depth);
}

async function callOnce(t: Target, logUrl: string, tool: string, args: Record<string, unknown>, id: number) {
  await fetch(logUrl); // forget earlier requests
  const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: args } });
  const t0 = performance.now();
  const { status, text } = await preflight(t, body);
  const ms = performance.now() - t0;
  const upstream = (await (await fetch(logUrl)).json()) as Timed[];
  const failed = status !== 200 || text.includes('"isError":true');
  return { ms, calls: upstream.length, depth: criticalDepth(upstream), failed };
}

export async function measureUpstream(t: Target, intervalsOrigin: string, log: (line: string) => void): Promise<UpstreamRecord[]> {
  const logUrl = `${intervalsOrigin}/__bench/log`;
  const out: UpstreamRecord[] = [];
  let id = 1000;
  for (const { tool, variants } of TOOLS) {
    const [first, ...rest] = variants;
    const cold = await callOnce(t, logUrl, tool, first!, id++);
    const repeat = await callOnce(t, logUrl, tool, first!, id++);
    const misses = [];
    for (const v of rest) misses.push(await callOnce(t, logUrl, tool, v, id++));
    const rec: UpstreamRecord = {
      tool,
      calls: median(misses.map((m) => m.calls)),
      depth: median(misses.map((m) => m.depth)),
      p50Ms: median(misses.map((m) => m.ms)),
      firstMs: cold.ms,
      firstDepth: cold.depth,
      repeatMs: repeat.ms,
      repeatCalls: repeat.calls,
      errors: [cold, repeat, ...misses].filter((m) => m.failed).length,
    };
    log(
      `upstream ${tool}: ${rec.calls} calls, depth ${rec.depth}, p50 ${rec.p50Ms.toFixed(0)} ms; first ${rec.firstMs.toFixed(0)} ms (depth ${rec.firstDepth}); ` +
        `repeat ${rec.repeatMs.toFixed(1)} ms (${rec.repeatCalls} calls)${rec.errors ? `; ${rec.errors} tool errors` : ''}`,
    );
    out.push(rec);
  }
  return out;
}

export function upstreamTable(records: readonly UpstreamRecord[], latencyMs: number): string[] {
  if (records.length === 0) return [];
  return [
    `#### Slow Intervals.icu (${latencyMs} ms per call)`,
    '',
    '| tool | upstream calls | critical-path depth | p50 ms (cache miss) | × one call | first call ms (depth) | repeat ms (upstream calls) | tool errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...records.map(
      (r) =>
        `| ${r.tool} | ${r.calls} | ${r.depth} | ${r.p50Ms.toFixed(0)} | ${(r.p50Ms / latencyMs).toFixed(2)} | ${r.firstMs.toFixed(0)} (${r.firstDepth}) | ${r.repeatMs.toFixed(1)} (${r.repeatCalls}) | ${r.errors} |`,
    ),
    '',
  ];
}
