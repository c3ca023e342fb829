import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import Koa from 'koa';
import { startService } from '../../src/service.js';
import { secureCookies } from '../../src/http/secure-cookies.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { startTestService, type TestService } from '../support/service.js';

const TOKEN = `operator-${randomBytes(12).toString('hex')}`;
const PRODUCTION = {
  NODE_ENV: 'production',
  PORT: '0',
  BASE_URL: 'https://mcp.example.test',
  // Unused: the service is handed the test store below (the pglite pass runs this file too).
  DATABASE_URL: 'postgres://app:db-SECRET-password@db.example.test:6543/postgres',
  SUPABASE_URL: 'https://project.supabase.example.test',
  SUPABASE_ANON_KEY: 'anon-SECRET-key-0123456789abcdef',
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  COOKIE_KEYS: `cookie-SECRET-${randomBytes(24).toString('hex')}`,
  LOG_LEVEL: 'info',
};
const SECRET_VALUES = ['db-SECRET-password', 'anon-SECRET-key', PRODUCTION.ENCRYPTION_KEY, 'cookie-SECRET', TOKEN];

/** The real service in production mode on the given store (not closed by stop()); logs captured. */
async function startProduction(store: Store, env: Record<string, string>) {
  let logs = '';
  const svc = await startService({
    env: { ...PRODUCTION, ...env },
    store,
    logDestination: new Writable({ write: (c, _e, cb) => ((logs += c.toString()), cb()) }),
  });
  return { svc, logs: () => logs, close: () => svc.stop() };
}

describe('production guardrails', () => {
  let db: TestDatabase;
  // One store for both instances: a PGlite directory may be open only once.
  let store: Store;
  let withToken: Awaited<ReturnType<typeof startProduction>>;
  let noToken: Awaited<ReturnType<typeof startProduction>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = await db.open();
    withToken = await startProduction(store, { METRICS_TOKEN: TOKEN });
    noToken = await startProduction(store, {});
  });
  afterAll(async () => {
    await withToken?.close();
    await noToken?.close();
    await store?.close();
    await db.drop();
  });

  const OPERATOR = [
    ['/config', 'operator'],
    ['/metrics', 'metrics'],
  ];

  it.each(OPERATOR)('%s answers 404 in production when no METRICS_TOKEN is configured, whatever is sent', async (path) => {
    for (const authorization of [undefined, 'Bearer anything-at-all-0000', `Bearer ${TOKEN}`]) {
      const res = await fetch(`${noToken.svc.url}${path}`, { headers: authorization ? { authorization } : {} });
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 404 });
    }
  });

  it.each(
    OPERATOR.flatMap(([path, realm]) => [
      [path, realm, 'no Authorization header', undefined],
      [path, realm, 'a wrong token', 'Bearer wrong-token-0123456789'],
      [path, realm, 'the token without the Bearer scheme', TOKEN],
      [path, realm, 'the token with a suffix', `Bearer ${TOKEN}x`],
    ]),
  )('%s answers 401 (realm %s) with %s, even from loopback', async (path, realm, _, authorization) => {
    const res = await fetch(`${withToken.svc.url}${path}`, { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${realm}"`);
  });

  it('/metrics answers the operator who sends the token', async () => {
    const res = await fetch(`${withToken.svc.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# TYPE ');
  });

  it('/config shows the effective settings to the operator, secrets only as set/unset', async () => {
    const res = await fetch(`${withToken.svc.url}/config`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    for (const s of SECRET_VALUES) expect(text).not.toContain(s);
    const body = JSON.parse(text) as { version: string; node: string; store: string; settings: Record<string, unknown> };
    expect(body).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), node: process.version, store: db.driver });
    expect(body.settings).toMatchObject({
      NODE_ENV: 'production',
      BASE_URL: 'https://mcp.example.test',
      ISSUER_URL: 'https://mcp.example.test',
      MCP_RESOURCE: 'https://mcp.example.test/mcp',
      TRUST_PROXY: true,
      DATABASE_URL: 'set',
      SUPABASE_ANON_KEY: 'set',
      ENCRYPTION_KEY: 'set',
      COOKIE_KEYS: 'set',
      METRICS_TOKEN: 'set',
      PREVIOUS_ENCRYPTION_KEYS: 'unset',
      SIGNING_KEYS: 'unset',
      API_KEY: 'unset',
      SUPABASE_URL: 'https://project.supabase.example.test',
      RATE_LIMIT_PER_HOUR: 100,
      ALLOWED_ORIGINS: ['https://claude.ai', 'https://claude.com'],
    });
  });

  it('takes the client address only from the hop the proxy appended to X-Forwarded-For', async () => {
    await fetch(`${withToken.svc.url}/health`, {
      headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.9', 'x-request-id': 'xff-production' },
    });
    const line = JSON.parse(
      withToken
        .logs()
        .split('\n')
        .find((l) => l.includes('xff-production') && l.includes('"msg":"request"'))!,
    );
    expect(line.ip).toBe('203.0.113.9');
  });
});

describe('outside production', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({});
  });
  afterAll(async () => {
    await svc.close();
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
    await fetch(`${svc.url}/health`, { headers: { 'x-forwarded-for': '6.6.6.6', 'x-request-id': 'xff-dev' } });
    const line = JSON.parse(
      svc
        .logs()
        .split('\n')
        .find((l) => l.includes('xff-dev') && l.includes('"msg":"request"'))!,
    );
    expect(line.ip).toMatch(/127\.0\.0\.1$/);
  });

  it('/config is open for local development and still masks secrets', async () => {
    const res = await fetch(`${svc.url}/config`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { settings: Record<string, unknown> };
    expect(body.settings).toMatchObject({ NODE_ENV: 'test', ENCRYPTION_KEY: 'unset', TRUST_PROXY: false });
  });
});

describe('secureCookies', () => {
  async function cookieFrom(isProduction: boolean): Promise<string> {
    const app = new Koa({ keys: ['k'.repeat(32)] });
    app.use(secureCookies(isProduction));
    app.use((ctx) => {
      ctx.cookies.set('sid', 'v', { httpOnly: true, secure: false, sameSite: 'lax' });
      ctx.body = 'ok';
    });
    const server = app.listen(0);
    try {
      await new Promise((r) => server.once('listening', r));
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/`);
      return res.headers.get('set-cookie') ?? '';
    } finally {
      server.close();
    }
  }

  it('marks every cookie Secure in production, even when the code asked otherwise over plain http', async () => {
    expect(await cookieFrom(true)).toMatch(
      /^sid=v; path=\/; samesite=lax; secure; httponly(, sid\.sig=[^;]+; path=\/; samesite=lax; secure; httponly)?$/,
    );
  });

  it('leaves cookies alone outside production (local http)', async () => {
    expect(await cookieFrom(false)).not.toContain('secure');
  });
});
