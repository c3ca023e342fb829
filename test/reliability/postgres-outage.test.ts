import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnServer, stopProcess, type ServerProcess } from '../support/process.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from '../support/store.js';
import { refreshTokens } from '../support/oauth.js';
import { eventually, startLoad } from './support/load.js';
import { startReliableService, type ReliableService } from './support/service.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

/**
 * PostgreSQL goes away under load and comes back (simulated with a TCP proxy we cut, so the
 * machine's shared server is never touched): requests fail fast with a clear 503 while it is
 * down, and the service recovers by itself, without a restart.
 * Only meaningful with DATABASE_URL; embedded PGlite cannot go away.
 */
const describePg = TEST_STORE === 'postgres' ? describe : describe.skip;

describePg('PostgreSQL outage under load', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    server = await spawnServer({ DATABASE_URL: proxy.rewrite(db.env.DATABASE_URL!) });
  });

  afterAll(async () => {
    await stopProcess(server);
    await proxy.close();
    await db.drop();
  });

  const ready = async () => {
    const res = await fetch(`${server.url}/ready`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: (await res.json()) as { status: string } };
  };

  it('answers 503 database_unavailable within 3 s while PostgreSQL is unreachable, then recovers without a restart', async () => {
    expect((await ready()).status).toBe(200);
    const load = startLoad(ready, { workers: 4, maxRequests: 5_000, maxMs: 30_000, pauseMs: 20 });
    await new Promise((r) => setTimeout(r, 500));
    const cutAt = Date.now();
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 3_000));
    const restoredAt = Date.now();
    await proxy.restore();
    const recoveredIn = await eventually(async () => (await ready()).status === 200, 15_000, '/ready after restore');
    await new Promise((r) => setTimeout(r, 500));
    const outcomes = await load.stop();

    // Requests that started while the database was cut (after a short grace for in-flight ones).
    const during = outcomes.filter((o) => o.startedAt > cutAt + 200 && o.startedAt < restoredAt - 100);
    expect(during.length).toBeGreaterThan(5);
    for (const o of during) {
      expect(o.error).toBeUndefined();
      expect(o.value).toEqual({ status: 503, body: { status: 'database_unavailable' } });
      expect(o.ms).toBeLessThan(3_000);
    }
    expect(recoveredIn).toBeLessThan(10_000);
    const after = outcomes.filter((o) => o.startedAt > restoredAt + recoveredIn + 200);
    expect(after.length).toBeGreaterThan(0);
    for (const o of after) expect(o.value?.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});

describePg('PostgreSQL outage during tool calls', () => {
  let proxy: TcpProxy;
  let svc: ReliableService;

  beforeAll(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    svc = await startReliableService({ databaseUrl: (u) => proxy.rewrite(u), env: { RATE_LIMIT_PER_HOUR: '100000' } });
  });
  afterAll(async () => {
    await svc?.close();
    await proxy?.close();
  });

  it('fails tool calls fast with 503 while the database is away, then serves the same people with nothing lost', async () => {
    const before = await svc.connect('outage@example.com');
    expect((await svc.callTool(before.accessToken, 'get_athlete')).status).toBe(200);

    await proxy.cut();
    const during: { status: number; ms: number; text: string }[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = Date.now();
      const r = await svc.callTool(before.accessToken, 'get_athlete', {}, { timeoutMs: 15_000 });
      during.push({ status: r.status, ms: Date.now() - t0, text: r.text });
    }
    await proxy.restore();

    for (const d of during) {
      expect(d.status).toBe(503);
      expect(d.ms).toBeLessThan(5_000);
      expect(d.text).toMatch(/unavailable|try again/i);
    }
    // Recovers by itself; the client, grant, refresh token and Intervals.icu link all survived.
    await eventually(async () => (await svc.callTool(before.accessToken, 'get_athlete')).status === 200, 15_000, 'tool call after restore');
    const refreshed = await refreshTokens(svc.url, before.client, before.refreshToken);
    expect(refreshed.status).toBe(200);
    const after = await svc.callTool(refreshed.body.access_token!, 'get_athlete');
    expect(after.status).toBe(200);
    expect(after.json?.result?.isError).not.toBe(true);
    expect(svc.alive()).toBe(true);
  }, 90_000);
});
