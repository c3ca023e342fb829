import { readCpuSeconds, readMemory, resetPeak, sleep } from './proc.js';
import type { Kind, LoadRecord } from './report.js';
import type { Target } from './target.js';
import { runWrk } from './wrk.js';

/**
 * The load matrix: every pass runs each server × request kind × concurrency once, servers in
 * alternating order (a b c, then c b a, …) so a slow minute on this shared machine hits all of
 * them instead of one. Each server and kind gets a short warm-up first (JIT, pools, caches).
 */

export interface MatrixOptions {
  passes: number;
  seconds: number;
  warmupSeconds: number;
  connections: number[];
  kinds: Kind[];
  wrkCpu: number | undefined;
  bodyFiles: Record<Kind, string>;
  onRecord: (r: LoadRecord) => void;
  log: (line: string) => void;
}

export async function preflight(t: Target, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${t.url}${t.mcpPath}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(t.authorization ? { authorization: t.authorization } : {}),
      ...(t.host ? { host: t.host } : {}),
    },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, text: await res.text() };
}

/** Fails loudly unless `t` answers `body` with a successful JSON-RPC result (not a tool error). */
export async function checkAnswer(t: Target, kind: Kind, body: string): Promise<string> {
  const { status, text } = await preflight(t, body);
  let parsed: { result?: { isError?: boolean; tools?: unknown[] }; error?: unknown } | undefined;
  try {
    // (b2) answers 2025-era requests as a one-message SSE stream (the SDK v2 stateless default).
    parsed = JSON.parse(
      text.startsWith('event:')
        ? (text
            .split('\n')
            .find((l) => l.startsWith('data: '))
            ?.slice(6) ?? '')
        : text,
    );
  } catch {
    // reported below
  }
  const ok =
    status === 200 &&
    parsed?.result !== undefined &&
    parsed.result.isError !== true &&
    (kind !== 'tools/list' || Array.isArray(parsed.result.tools));
  if (!ok) throw new Error(`preflight: server (${t.key}) answered ${kind} with ${status}: ${text.slice(0, 600)}`);
  return text;
}

async function measure(t: Target, kind: Kind, connections: number, seconds: number, opts: MatrixOptions) {
  const pid = t.proc.pid;
  resetPeak(pid);
  const cpu0 = readCpuSeconds(pid);
  const trips0 = t.dbRoundTrips?.();
  const w = await runWrk({
    url: `${t.url}${t.mcpPath}`,
    bodyFile: opts.bodyFiles[kind],
    authorization: t.authorization,
    host: t.host,
    connections,
    seconds,
    cpu: opts.wrkCpu,
  });
  const cpu = readCpuSeconds(pid) - cpu0;
  const mem = readMemory(pid);
  const trips = trips0 === undefined ? undefined : t.dbRoundTrips!() - trips0;
  return { w, cpu, mem, trips };
}

export async function runMatrix(targets: Target[], opts: MatrixOptions): Promise<void> {
  for (let pass = 1; pass <= opts.passes; pass++) {
    const order = pass % 2 === 1 ? targets : [...targets].reverse();
    for (const t of order) {
      for (const kind of opts.kinds) {
        if (opts.warmupSeconds > 0) await measure(t, kind, 16, opts.warmupSeconds, opts);
        for (const c of opts.connections) {
          await sleep(300); // let the previous run's sockets close
          const { w, cpu, mem, trips } = await measure(t, kind, c, opts.seconds, opts);
          const rec: LoadRecord = {
            pass,
            server: t.key,
            kind,
            connections: c,
            reqPerSec: w.reqPerSec,
            p50Ms: w.latencyMs.p50,
            p90Ms: w.latencyMs.p90,
            p99Ms: w.latencyMs.p99,
            p999Ms: w.latencyMs.p999,
            maxMs: w.latencyMs.max,
            errors: w.errors,
            non2xx: w.non2xx,
            cpuUsPerReq: w.requests > 0 ? (cpu * 1e6) / w.requests : NaN,
            peakRssMb: mem.peakMb,
            rssAfterMb: mem.rssMb,
            requests: w.requests,
            ...(trips !== undefined && w.requests > 0 ? { dbTripsPerReq: trips / w.requests } : {}),
          };
          opts.onRecord(rec);
          opts.log(
            `pass ${pass} (${t.key}) ${kind} c=${c}: ${Math.round(w.reqPerSec)} req/s, p50 ${w.latencyMs.p50.toFixed(2)} ms, p90 ${w.latencyMs.p90.toFixed(2)} ms, ` +
              `p99 ${w.latencyMs.p99.toFixed(2)} ms, p99.9 ${w.latencyMs.p999.toFixed(2)} ms, max ${w.latencyMs.max.toFixed(1)} ms, ` +
              `${rec.cpuUsPerReq.toFixed(0)} µs CPU/req${rec.dbTripsPerReq !== undefined ? `, ${rec.dbTripsPerReq.toFixed(3)} database round trips/req` : ''}, peak ${mem.peakMb.toFixed(1)} MB${w.errors ? `, ${w.errors} errors (${w.non2xx} non-2xx)` : ''}`,
          );
        }
      }
    }
  }
}
