import { describe, it, expect, afterAll } from '@jest/globals';
import pg from 'pg';
import { spawnServer, stopProcess, type ServerProcess } from '../support/process.js';
import { createTestDatabase, TEST_STORE } from '../support/store.js';

const started: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map(stopProcess));
});

describe('the server process', () => {
  it('refuses to start in production without its secrets, naming each and printing no value', async () => {
    const proc = await spawnServer(
      { NODE_ENV: 'production', BASE_URL: 'http://insecure.example.com', COOKIE_KEYS: 'x-SECRET-VALUE' },
      { waitReady: false },
    );
    const code = await proc.exited;
    expect(code).toBe(78);
    const lines = proc.stderr().trim().split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    for (const key of ['BASE_URL must be https', 'DATABASE_URL', 'SUPABASE_URL', 'SUPABASE_ANON_KEY', 'ENCRYPTION_KEY', 'COOKIE_KEYS']) {
      expect(lines.some((l) => l.startsWith(`  - ${key}`))).toBe(true);
    }
    expect(proc.stderr()).not.toContain('SECRET-VALUE');
  });

  it('serves /health and /ready, and keeps generated secrets across a restart', async () => {
    const db = await createTestDatabase();
    try {
      const first = await spawnServer(db.env);
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
      const ready = await fetch(`${first.url}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
      await stopProcess(first);
      expect(await first.exited).toBe(0);

      const store = await db.open();
      const before = await store.query<{ name: string; value: string }>('SELECT name, value FROM app_secrets ORDER BY name');
      await store.close();
      expect(before.map((r) => r.name)).toEqual(['COOKIE_KEY', 'ENCRYPTION_KEY']);

      const second = await spawnServer(db.env);
      await stopProcess(second);
      const again = await db.open();
      const after = await again.query<{ name: string; value: string }>('SELECT name, value FROM app_secrets ORDER BY name');
      await again.close();
      expect(after).toEqual(before);
      // The generated key never reaches the log.
      for (const r of after) expect(first.stdout() + second.stdout()).not.toContain(r.value);
    } finally {
      await db.drop();
    }
  });

  (TEST_STORE === 'postgres' ? it : it.skip)(
    'two processes started at once against one empty database both come up; each migration ran once',
    async () => {
      const db = await createTestDatabase();
      try {
        const [a, b] = await Promise.all([spawnServer(db.env), spawnServer(db.env)]);
        started.push(a, b);
        expect((await fetch(`${a.url}/ready`)).status).toBe(200);
        expect((await fetch(`${b.url}/ready`)).status).toBe(200);
        const store = await db.open();
        const rows = await store.query<{ id: string; n: number }>('SELECT id, count(*)::int AS n FROM schema_migrations GROUP BY id');
        await store.close();
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.n === 1)).toBe(true);
        // Exactly one of the two logged that it applied the migrations.
        const appliedBy = [a, b].filter((p) => p.stdout().includes('"msg":"migrations applied"'));
        expect(appliedBy).toHaveLength(1);
      } finally {
        await Promise.all([...started.splice(0)].map(stopProcess));
        await db.drop();
      }
    },
  );

  (TEST_STORE === 'postgres' ? it : it.skip)('finishes a slow request after SIGTERM, then exits 0', async () => {
    const db = await createTestDatabase();
    const proc = await spawnServer({ ...db.env, SHUTDOWN_TIMEOUT_MS: '5000' });
    // Make /ready slow for real: hold an exclusive lock on the table it reads for 1 s.
    const locker = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE');
      const t0 = Date.now();
      const slow = fetch(`${proc.url}/ready`);
      await new Promise((r) => setTimeout(r, 200));
      proc.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 800));
      await locker.query('COMMIT');
      const res = await slow;
      expect(res.status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
      expect(await proc.exited).toBe(0);
      // New connections are refused once shutdown began.
      await expect(fetch(`${proc.url}/health`)).rejects.toThrow();
    } finally {
      await locker.end();
      await stopProcess(proc);
      await db.drop();
    }
  });
});
