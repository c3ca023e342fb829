import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Child processes pinned to one CPU (taskset), and what /proc says about them: resident memory
 * (VmRSS now, VmHWM = peak since the last reset) and CPU time. The server and the load generator
 * sit on different cores so the generator's work is not charged to the server.
 */

export interface Pinned {
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<number | string>;
  /** The last ~64 KB of stderr, for error messages. */
  stderrTail: () => string;
}

export interface SpawnPinnedOptions {
  cpu: number | undefined;
  env: Record<string, string>;
  cwd: string;
  /** stdout goes here (the service's JSON logs are kept with the raw results), else discarded. */
  logFile?: string;
}

/** Every process started here and still running: a failed run stops them all (killAll). */
const live = new Set<ChildProcess>();

/** Stops whatever is still running, so a failed benchmark exits instead of waiting on its servers. */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** Starts `command args` on `cpu` (when given). `exec` replaces taskset, so pid is the program's own. */
export function spawnPinned(command: string, args: string[], opts: SpawnPinnedOptions): Pinned {
  const [cmd, argv] = opts.cpu === undefined ? [command, args] : ['taskset', ['-c', String(opts.cpu), command, ...args]];
  // stdout straight into the file (the kernel writes it), so the harness does no work for the server's logs.
  const logFd = opts.logFile ? openSync(opts.logFile, 'a') : undefined;
  const child = spawn(cmd, argv, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', logFd ?? 'ignore', 'pipe'] });
  if (logFd !== undefined) closeSync(logFd);
  live.add(child);
  child.once('exit', () => live.delete(child));
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-65_536);
    if (opts.logFile) writeFileSync(`${opts.logFile}.stderr`, tail);
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return { child, pid: child.pid, exited, stderrTail: () => tail };
}

export async function stopPinned(p: Pinned, timeoutMs = 10_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  await p.exited;
  clearTimeout(timer);
}

export interface MemorySample {
  rssMb: number;
  peakMb: number;
}

function statusField(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

export function readMemory(pid: number): MemorySample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssMb: statusField(status, 'VmRSS'), peakMb: statusField(status, 'VmHWM') };
}

/** Resets VmHWM to the current RSS (`echo 5 > /proc/pid/clear_refs`), so a run's peak is its own. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds the process has used so far. */
export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SECOND;
}

export function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** Polls `url` until it answers 200; returns the milliseconds since `since` (performance.now()). */
export async function waitForOk(url: string, since: number, p: Pinned, timeoutMs = 30_000): Promise<number> {
  const deadline = since + timeoutMs;
  let exited: number | string | undefined;
  void p.exited.then((c) => (exited = c));
  while (performance.now() < deadline) {
    if (exited !== undefined) throw new Error(`process exited (${exited}) before ${url} answered:\n${p.stderrTail()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${p.stderrTail()}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
