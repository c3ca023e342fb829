import { describe, it, expect, afterAll } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { parse } from 'smol-toml';
import { configSchema } from '../../src/config/schema.js';
import { loadMigrations } from '../../src/store/migrate.js';
import { ROOT, spawnServer, stopProcess, type ServerProcess } from '../support/process.js';
import { createTestDatabase } from '../support/store.js';

interface FlyToml {
  app: string;
  primary_region: string;
  kill_signal: string;
  kill_timeout: string;
  deploy: { release_command: string };
  env: Record<string, string>;
  http_service: {
    internal_port: number;
    force_https: boolean;
    auto_stop_machines: string;
    auto_start_machines: boolean;
    min_machines_running: number;
    concurrency: { type: string; soft_limit: number; hard_limit: number };
    checks: { path: string; method: string; interval: string; timeout: string; grace_period: string }[];
  };
  vm: { memory: string; cpus: number }[];
}

const fly = parse(readFileSync(`${ROOT}fly.toml`, 'utf8')) as unknown as FlyToml;
const seconds = (d: string): number => {
  const m = /^(\d+)(ms|s|m)$/.exec(d);
  if (!m) throw new Error(`not a Fly duration: ${d}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60 }[m[2] as 'ms' | 's' | 'm'];
};
const defaultOf = (key: keyof typeof configSchema.shape) => configSchema.shape[key].parse(undefined);

const started: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map(stopProcess));
});

describe('fly.toml', () => {
  it('routes to the port the app listens on by default', () => {
    expect(fly.http_service.internal_port).toBe(defaultOf('PORT'));
    expect(Number(fly.env.PORT)).toBe(fly.http_service.internal_port);
  });

  it('runs in production behind the proxy, https only, with at least one machine up', () => {
    expect(fly.env).toMatchObject({ NODE_ENV: 'production', TRUST_PROXY: 'true' });
    expect(fly.app).toMatch(/^[a-z0-9-]+$/);
    expect(fly.primary_region).toMatch(/^[a-z]{3}$/);
    expect(fly.http_service).toMatchObject({ force_https: true, auto_start_machines: true, auto_stop_machines: 'stop' });
    expect(fly.http_service.min_machines_running).toBeGreaterThanOrEqual(1);
    expect(fly.http_service.concurrency.type).toBe('requests');
    expect(fly.http_service.concurrency.soft_limit).toBeLessThan(fly.http_service.concurrency.hard_limit);
  });

  it('waits longer than the app drains before killing it, with the signal the app handles', () => {
    expect(fly.kill_signal).toBe('SIGTERM');
    const drainSeconds = Number(fly.env.SHUTDOWN_TIMEOUT_MS ?? defaultOf('SHUTDOWN_TIMEOUT_MS')) / 1000;
    expect(seconds(fly.kill_timeout)).toBeGreaterThanOrEqual(drainSeconds + 5);
  });

  it('asks for a 256 MB machine', () => {
    expect(fly.vm).toHaveLength(1);
    expect(fly.vm[0]!.memory).toBe('256mb');
  });

  it('checks /health and /ready, and both answer 200 on the running app', async () => {
    expect(fly.http_service.checks.map((c) => c.path).sort()).toEqual(['/health', '/ready']);
    const db = await createTestDatabase();
    try {
      const proc = await spawnServer(db.env);
      started.push(proc);
      for (const check of fly.http_service.checks) {
        expect(check.method).toBe('GET');
        expect(seconds(check.timeout)).toBeLessThan(seconds(check.interval));
        const res = await fetch(`${proc.url}${check.path}`, { signal: AbortSignal.timeout(seconds(check.timeout) * 1000) });
        expect({ path: check.path, status: res.status }).toEqual({ path: check.path, status: 200 });
      }
      // The service fits the VM with room to spare (resident memory after start-up and a few requests).
      // Production runs on PostgreSQL; embedded PGlite (WebAssembly Postgres, ~330 MB) is for development.
      if (db.driver !== 'postgres') return;
      const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.child.pid}/status`, 'utf8'))![1]);
      expect(rssKb / 1024).toBeLessThan(256 * 0.75);
    } finally {
      await Promise.all(started.splice(0).map(stopProcess));
      await db.drop();
    }
  });

  it('has a release command that exists in the build, needs no npm, and applies the migrations', async () => {
    const [bin, script, ...args] = fly.deploy.release_command.split(/\s+/);
    expect(bin).toBe('node');
    expect(existsSync(`${ROOT}${script}`)).toBe(true);
    const db = await createTestDatabase();
    try {
      const run = () =>
        spawnSync(process.execPath, [script!, ...args], {
          cwd: ROOT,
          env: { PATH: '/usr/bin:/bin', NODE_ENV: 'test', ...db.env },
          encoding: 'utf8',
          timeout: 60_000,
        });
      const first = run();
      expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
      const expected = (await loadMigrations()).map((m) => m.id);
      expect(first.stdout.trim()).toBe(`Applied ${expected.length} migration(s): ${expected.join(', ')}.`);
      const store = await db.open();
      const rows = await store.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
      await store.close();
      expect(rows.map((r) => r.id)).toEqual(expected);
      // A second deploy with nothing new succeeds too.
      expect(run().status).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
