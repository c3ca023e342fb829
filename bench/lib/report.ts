import { upstreamTable, type UpstreamRecord } from './upstream.js';
import { fmt, fmtSpread, median, spread, type Spread } from './stats.js';

/** Turns the raw records of one benchmark run into the Markdown that docs/PERFORMANCE.md quotes. */

export type ServerKey = 'a' | 'b' | 'b2' | 'c';
export type Kind = 'tools/call' | 'tools/list';

export const SERVER_NAMES: Record<ServerKey, string> = {
  a: '(a) bare Koa, fixed answer',
  b: '(b) SDK v1 stateless + jose',
  b2: '(b2) SDK v2 createMcpHandler + jose',
  c: '(c) intervals-mcp',
};

export interface LoadRecord {
  pass: number;
  server: ServerKey;
  kind: Kind;
  connections: number;
  reqPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  errors: number;
  non2xx: number;
  cpuUsPerReq: number;
  peakRssMb: number;
  rssAfterMb: number;
  requests: number;
  /** Round trips to PostgreSQL per request (only through the --db-latency-ms proxy). */
  dbTripsPerReq?: number;
}

export interface StartRecord {
  what: 'first start (fresh schema, migrations)' | 'restart (migrated schema)';
  readyMs: number;
  /** 2 s after /ready first answered, before any request. */
  idleRssMb: number;
  /** 20 s after /ready, still without a request: after V8's memory reducer has run. */
  settledRssMb: number;
  /** Round trips to PostgreSQL from spawn to /ready (only through the --db-latency-ms proxy). */
  dbRoundTrips?: number;
}

export interface OAuthRecord {
  connects: number;
  seconds: number;
  concurrency: number;
  perConnectMs: number[];
  /** Median milliseconds per step, e.g. register, authorize, sign-in, consent, link, token. */
  stepMs: Record<string, number>;
  failures: number;
}

export interface RunInfo {
  started: string;
  command: string;
  machine: string;
  node: string;
  wrk: string;
  postgres: string;
  settings: string;
  answerBytes: Record<ServerKey, Partial<Record<Kind, number>>>;
  notes: string[];
}

export interface Report {
  info: RunInfo;
  load: LoadRecord[];
  starts: StartRecord[];
  oauth?: OAuthRecord;
  /** Per tool with a slow Intervals.icu (--upstream-latency-ms). */
  upstream?: { latencyMs: number; records: UpstreamRecord[] };
}

const pick = (recs: LoadRecord[], s: ServerKey, k: Kind, c: number) =>
  recs.filter((r) => r.server === s && r.kind === k && r.connections === c);

function servers(r: Report): ServerKey[] {
  return (['a', 'b', 'b2', 'c'] as const).filter((s) => r.load.some((x) => x.server === s));
}
const kinds = (r: Report): Kind[] => (['tools/call', 'tools/list'] as const).filter((k) => r.load.some((x) => x.kind === k));
const conns = (r: Report): number[] => [...new Set(r.load.map((x) => x.connections))].sort((a, b) => a - b);

/** Ratio of two servers' throughput, pass by pass (both measured minutes apart), then summarised. */
function ratio(r: Report, top: ServerKey, bottom: ServerKey, k: Kind, c: number): Spread {
  const passes = [...new Set(r.load.map((x) => x.pass))];
  const xs = passes.map((p) => {
    const t = pick(r.load, top, k, c).find((x) => x.pass === p);
    const b = pick(r.load, bottom, k, c).find((x) => x.pass === p);
    return t && b ? t.reqPerSec / b.reqPerSec : NaN;
  });
  return spread(xs);
}

function loadTable(r: Report): string[] {
  const out = [
    '| server | request | conc | req/s | p50 ms | p99 ms | errors | server CPU µs/req | peak RSS MB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of servers(r))
    for (const k of kinds(r))
      for (const c of conns(r)) {
        const xs = pick(r.load, s, k, c);
        if (xs.length === 0) continue;
        const col = (f: (x: LoadRecord) => number, d = 0) => fmtSpread(spread(xs.map(f)), d);
        const errors = xs.reduce((n, x) => n + x.errors, 0);
        out.push(
          `| ${SERVER_NAMES[s]} | ${k} | ${c} | ${col((x) => x.reqPerSec)} | ${col((x) => x.p50Ms, 2)} | ${col((x) => x.p99Ms, 2)} | ${errors} | ${col((x) => x.cpuUsPerReq)} | ${col((x) => x.peakRssMb, 1)} |`,
        );
      }
  return out;
}

function ratioTable(r: Report): string[] {
  const cs = conns(r);
  const out = [`| ratio (req/s, pass by pass) | ${cs.map((c) => `c=${c}`).join(' | ')} |`, `| --- | ${cs.map(() => '---:').join(' | ')} |`];
  const pairs: [ServerKey, ServerKey][] = [
    ['c', 'a'],
    ['c', 'b'],
    ['c', 'b2'],
  ];
  for (const [t, b] of pairs) {
    if (!servers(r).includes(t) || !servers(r).includes(b)) continue;
    for (const k of kinds(r)) out.push(`| (${t})/(${b}) ${k} | ${cs.map((c) => fmtSpread(ratio(r, t, b, k, c), 2)).join(' | ')} |`);
  }
  return out;
}

interface Target {
  what: string;
  goal: string;
  measured: number;
  ok: boolean;
  unit: string;
}

export function targets(r: Report): Target[] {
  const out: Target[] = [];
  if (servers(r).includes('c') && servers(r).includes('b')) {
    const x = ratio(r, 'c', 'b', 'tools/call', 16).median;
    out.push({ what: '(c)/(b) tools/call req/s at c=16', goal: '≥ 3.5', measured: x, ok: x >= 3.5, unit: '×' });
  }
  if (servers(r).includes('c') && servers(r).includes('b2')) {
    const x = ratio(r, 'c', 'b2', 'tools/call', 16).median;
    out.push({
      what: '(c)/(b2) tools/call req/s at c=16 (SDK v2 stateless shape; reported, no goal)',
      goal: '—',
      measured: x,
      ok: true,
      unit: '×',
    });
  }
  if (servers(r).includes('c')) {
    for (const k of kinds(r)) {
      const p99 = median(pick(r.load, 'c', k, 16).map((x) => x.p99Ms));
      out.push({ what: `(c) p99 at c=16, ${k}`, goal: '≤ 12 ms', measured: p99, ok: p99 <= 12, unit: 'ms' });
    }
    const peak = Math.max(...r.load.filter((x) => x.server === 'c').map((x) => x.peakRssMb));
    out.push({ what: '(c) peak RSS under load (highest run)', goal: '≤ 150 MB', measured: peak, ok: peak <= 150, unit: 'MB' });
  }
  const restarts = r.starts.filter((s) => s.what.startsWith('restart'));
  const basis = restarts.length ? restarts : r.starts;
  if (basis.length) {
    const idle = median(basis.map((s) => s.settledRssMb));
    out.push({ what: '(c) idle RSS (20 s after /ready, no request yet)', goal: '≤ 90 MB', measured: idle, ok: idle <= 90, unit: 'MB' });
    const ready = median(basis.map((s) => s.readyMs));
    out.push({ what: '(c) cold start to /ready (spawn → first 200)', goal: '≤ 1,500 ms', measured: ready, ok: ready <= 1500, unit: 'ms' });
  }
  return out;
}

function startTable(r: Report): string[] {
  const trips = r.starts.some((s) => s.dbRoundTrips !== undefined);
  const out = [
    `| start | runs | spawn → /ready ms | RSS 2 s after /ready MB | idle RSS 20 s after /ready MB |${trips ? ' database round trips to /ready |' : ''}`,
    `| --- | ---: | ---: | ---: | ---: |${trips ? ' ---: |' : ''}`,
  ];
  for (const what of [...new Set(r.starts.map((s) => s.what))]) {
    const xs = r.starts.filter((s) => s.what === what);
    out.push(
      `| ${what} | ${xs.length} | ${fmtSpread(spread(xs.map((s) => s.readyMs)))} | ${fmtSpread(spread(xs.map((s) => s.idleRssMb)), 1)} | ${fmtSpread(spread(xs.map((s) => s.settledRssMb)), 1)} |` +
        (trips ? ` ${fmtSpread(spread(xs.map((s) => s.dbRoundTrips ?? NaN)))} |` : ''),
    );
  }
  return out;
}

/** Round trips per request, counted by the delay proxy: what a database farther away costs, whatever the machine's load. */
function tripTable(r: Report): string[] {
  const xs = r.load.filter((x) => x.server === 'c' && x.dbTripsPerReq !== undefined);
  if (xs.length === 0) return [];
  const out = ['#### Database round trips per request, (c)', '', '| request | conc | round trips per request |', '| --- | ---: | ---: |'];
  for (const k of kinds(r))
    for (const c of conns(r)) {
      const ys = xs.filter((x) => x.kind === k && x.connections === c);
      if (ys.length) out.push(`| ${k} | ${c} | ${fmtSpread(spread(ys.map((y) => y.dbTripsPerReq!)), 3)} |`);
    }
  return [...out, ''];
}

function oauthLines(o: OAuthRecord): string[] {
  const rate = o.connects / o.seconds;
  const steps = Object.entries(o.stepMs)
    .map(([k, v]) => `${k} ${fmt(v, 1)}`)
    .join(' · ');
  return [
    `Full OAuth connects (register → authorize → sign-in → consent → link Intervals.icu → token), ${o.concurrency} at a time for ${fmt(o.seconds, 1)} s: ` +
      `**${fmt(rate, 1)} connects/s**, ${o.connects} completed, ${o.failures} failed; per connect ${fmtSpread(spread(o.perConnectMs), 0)} ms.`,
    '',
    `Median ms per step: ${steps}.`,
  ];
}

export function renderMarkdown(r: Report): string {
  const i = r.info;
  const t = targets(r);
  const lines = [
    `### Run ${i.started}`,
    '',
    `- Command: \`${i.command}\``,
    `- Machine: ${i.machine}`,
    `- Node ${i.node}; ${i.wrk}; ${i.postgres}`,
    `- ${i.settings}`,
    `- Answer sizes (bytes, HTTP body): ${(['a', 'b', 'b2', 'c'] as const)
      .filter((s) => i.answerBytes[s])
      .map((s) => `(${s}) call ${i.answerBytes[s]['tools/call'] ?? '—'} / list ${i.answerBytes[s]['tools/list'] ?? '—'}`)
      .join('; ')}`,
    ...i.notes.map((n) => `- ${n}`),
    '',
    '#### Targets',
    '',
    '| target | goal | measured | met |',
    '| --- | --- | ---: | --- |',
    ...t.map(
      (x) =>
        `| ${x.what} | ${x.goal} | ${fmt(x.measured, x.unit === '×' ? 2 : x.unit === 'ms' && x.measured < 100 ? 2 : 0)} ${x.unit} | ${x.ok ? 'yes' : '**no**'} |`,
    ),
    '',
    '#### Load (median (min–max) over passes)',
    '',
    ...loadTable(r),
    '',
    '#### Ratios',
    '',
    ...ratioTable(r),
    '',
  ];
  lines.push(...tripTable(r));
  if (r.upstream) lines.push(...upstreamTable(r.upstream.records, r.upstream.latencyMs));
  if (r.starts.length) lines.push('#### Start-up', '', ...startTable(r), '');
  if (r.oauth) lines.push('#### OAuth connect', '', ...oauthLines(r.oauth), '');
  return lines.join('\n');
}
