import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { LUA_SCRIPT } from './paths.js';

/**
 * Drives one load run with Debian's wrk (C, epoll): it costs the machine far less CPU per request
 * than autocannon, and on two cores the generator's CPU is taken from the server's neighbour
 * (measured here: wrk 13–17 µs of CPU per request at c=16, autocannon 25–30 µs). post.lua sends a fixed POST and prints one JSON result line.
 */

export const WRK = process.env.WRK_BIN ?? '/usr/bin/wrk';

/** Fails before anything starts when the load generator is missing, saying how to get it. */
export function requireWrk(): void {
  try {
    accessSync(WRK, constants.X_OK);
  } catch {
    throw new Error(`the load generator wrk was not found at ${WRK}: install it (Debian: apt-get install wrk) or point WRK_BIN at it`);
  }
}

export interface WrkResult {
  requests: number;
  durationSec: number;
  reqPerSec: number;
  bytes: number;
  /** Socket errors plus non-2xx/3xx answers. */
  errors: number;
  non2xx: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; p999: number; max: number };
}

export interface WrkRun {
  url: string;
  bodyFile: string;
  authorization?: string;
  host?: string;
  connections: number;
  seconds: number;
  cpu: number | undefined;
}

interface RawResult {
  requests: number;
  duration_us: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  latency_us: { mean: number; max: number; p50: number; p90: number; p99: number; p999: number };
}

export async function runWrk(run: WrkRun): Promise<WrkResult> {
  // One thread: the generator has one core of its own; more threads would only contend for it.
  const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--timeout', '10s', '-s', LUA_SCRIPT, run.url];
  const [cmd, argv] = run.cpu === undefined ? [WRK, args] : ['taskset', ['-c', String(run.cpu), WRK, ...args]];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    BENCH_BODY_FILE: run.bodyFile,
    BENCH_AUTHORIZATION: run.authorization ?? '',
    BENCH_HOST: run.host ?? '',
  };
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`wrk exited ${code}: ${stderr}${stdout}`))));
  });
  const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`wrk printed no result line:\n${out}`);
  const raw = JSON.parse(line.slice('BENCH_RESULT '.length)) as RawResult;
  const e = raw.errors;
  const durationSec = raw.duration_us / 1e6;
  const ms = (us: number) => us / 1000;
  return {
    requests: raw.requests,
    durationSec,
    reqPerSec: raw.requests / durationSec,
    bytes: raw.bytes,
    errors: e.connect + e.read + e.write + e.timeout + e.status,
    non2xx: e.status,
    latencyMs: {
      mean: ms(raw.latency_us.mean),
      p50: ms(raw.latency_us.p50),
      p90: ms(raw.latency_us.p90),
      p99: ms(raw.latency_us.p99),
      p999: ms(raw.latency_us.p999),
      max: ms(raw.latency_us.max),
    },
  };
}
