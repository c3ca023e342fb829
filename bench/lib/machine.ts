import { execFileSync } from 'node:child_process';
import { cpus, totalmem, release } from 'node:os';
import { readFileSync } from 'node:fs';
import pg from 'pg';

/** What the figures were measured on, for the report's header. */

const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

function wrkVersion(): string {
  try {
    execFileSync('/usr/bin/wrk', ['--version'], { stdio: 'pipe' });
  } catch (e) {
    // wrk prints its version on stdout and exits 1 when given no URL
    const out = String((e as { stdout?: Buffer }).stdout ?? '');
    const m = /wrk (\S+)/.exec(out);
    if (m) return `wrk ${m[1]}`;
  }
  return 'wrk';
}

async function postgresVersion(): Promise<string> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await c.connect();
    const r = await c.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${r.rows[0]?.server_version ?? '?'} (shared, 127.0.0.1)`;
  } catch {
    return 'PostgreSQL unreachable';
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function describeMachine(): Promise<{ machine: string; node: string; wrk: string; postgres: string }> {
  const cpu = cpus();
  const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return {
    machine: `${cpu.length} vCPU (${cpu[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${osName()}, Linux ${release()}; load average at start ${loadavg}`,
    node: process.version,
    wrk: wrkVersion(),
    postgres: await postgresVersion(),
  };
}
