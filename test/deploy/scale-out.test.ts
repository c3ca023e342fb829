import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, request, type Server } from 'node:http';
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { saveIntervalsLink } from '../../src/accounts/links.js';
import { loadConfig } from '../../src/config/load.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { resolveSecrets } from '../../src/store/app-secrets.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { authorizationUrl, authorizeOverHttp, exchangeCode, pkce, refreshTokens, registerClient } from '../support/oauth.js';
import { freePort, spawnServer, stopProcess, type ServerProcess } from '../support/process.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from '../support/store.js';

/**
 * Two instances on one PostgreSQL behind a round-robin proxy (what `fly scale count 2` gives):
 * consecutive requests of one person land on different machines, and everything still works
 * because every piece of state is in the database. Deploy concerns only: start-up race, shared
 * secrets and keys, a whole OAuth flow and MCP session spread over both.
 */
const onPostgres = TEST_STORE === 'postgres' ? describe : describe.skip;

/** A tiny stand-in for Fly's proxy: forwards request n to backend n mod 2 and counts who served. */
async function roundRobin(port: number, backends: string[]): Promise<{ server: Server; url: string; served: number[] }> {
  const served = backends.map(() => 0);
  let n = 0;
  const server = createServer((req, res) => {
    const i = n++ % backends.length;
    served[i]! += 1;
    const target = new URL(req.url ?? '/', backends[i]);
    const upstream = request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${port}`, served };
}

onPostgres('two instances behind one proxy, one database', () => {
  let db: TestDatabase;
  let fake: FakeIntervals;
  let instances: ServerProcess[] = [];
  let proxy: Awaited<ReturnType<typeof roundRobin>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await startFakeIntervals();
    const proxyPort = await freePort();
    // Both instances know the public origin (the proxy's), as on Fly.
    env = { ...db.env, BASE_URL: `http://127.0.0.1:${proxyPort}`, INTERVALS_API_BASE_URL: fake.url };
    // Started together on an empty database: the migration and first-key races happen here.
    instances = await Promise.all([spawnServer(env), spawnServer(env)]);
    proxy = await roundRobin(
      proxyPort,
      instances.map((p) => p.url),
    );
  }, 90_000);
  afterAll(async () => {
    proxy?.server.closeAllConnections();
    proxy?.server.close();
    await Promise.all(instances.map(stopProcess));
    await fake?.close();
    await db?.drop();
  });

  it('came up once: each migration, generated secret and first signing key exists exactly once', async () => {
    const store = await db.open();
    try {
      const migrations = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations GROUP BY id');
      expect(migrations.every((r) => r.n === 1)).toBe(true);
      const secrets = await store.query<{ name: string }>('SELECT name FROM app_secrets ORDER BY name');
      expect(secrets.map((r) => r.name)).toEqual(['COOKIE_KEY', 'ENCRYPTION_KEY']);
      expect(await store.query('SELECT kid FROM signing_keys')).toHaveLength(1);
    } finally {
      await store.close();
    }
    const jwks = await Promise.all(instances.map(async (p) => (await fetch(`${p.url}/jwks`)).json()));
    expect(jwks[0]).toEqual(jwks[1]);
  });

  it('an OAuth authorization, a token refresh and an MCP session work with every request on alternating instances', async () => {
    const base = env.BASE_URL!;
    const before = [...proxy.served];
    const client = await registerClient(base, { client_name: 'Scale-out check' });
    const { verifier, challenge } = pkce();
    const link = async ({ email }: { email: string }) => {
      const store = await db.open();
      try {
        const [account] = await store.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [email]);
        const box = createSecretBox(await resolveSecrets(loadConfig(env), store));
        await saveIntervalsLink(store, box, {
          accountId: account!.id,
          athleteId: 'i1001',
          athleteName: 'Ann Example',
          credentials: { kind: 'api_key', apiKey: fake.athlete('i1001').apiKey },
        });
      } finally {
        await store.close();
      }
    };
    const landed = await authorizeOverHttp(authorizationUrl(base, { client, challenge, scope: 'intervals:read' }), {
      email: 'scale@example.com',
      link,
    });
    const code = landed.searchParams.get('code');
    expect(code).toMatch(/./);
    const tokens = await exchangeCode(base, client, { code: code!, verifier });
    expect(tokens.status).toBe(200);
    const refreshed = await refreshTokens(base, client, tokens.body.refresh_token!);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token);

    const mcp = new Client({ name: 'scale-out', version: '1' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${refreshed.body.access_token}` } },
      }),
    );
    try {
      for (let i = 0; i < 4; i++) {
        const result = await mcp.callTool({ name: 'get_athlete', arguments: {} });
        expect(result.isError).toBeFalsy();
        expect((result.structuredContent as { name?: string }).name).toBe('Ann Example');
      }
    } finally {
      await mcp.close();
    }
    // Both machines did real work in this flow.
    const during = proxy.served.map((n, i) => n - before[i]!);
    expect(Math.min(...during)).toBeGreaterThanOrEqual(5);
  }, 90_000);
});
