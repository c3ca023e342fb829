import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { loadConfig } from '../../src/config/load.js';
import { buildMetricsRouter } from '../../src/http/metrics.js';

/** /metrics is not public in production: token required, and absent (404) without one configured. */
const PROD = {
  NODE_ENV: 'production',
  BASE_URL: 'https://mcp.example.com',
  DATABASE_URL: 'postgres://u:p@db.example.com:5432/postgres',
  SUPABASE_URL: 'https://abcd.supabase.co',
  SUPABASE_ANON_KEY: 'sb_publishable_abcdefghijklmnopqrst',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  COOKIE_KEYS: 'cookie-key-0123456789abcdef0123456789abcdef',
};
const TOKEN = 'metrics-token-0123456789abcdef';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function serve(env: Record<string, string>): Promise<string> {
  const app = new Koa();
  app.use(buildMetricsRouter(loadConfig(env)).routes());
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server!.once('listening', r));
  const addr = server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/metrics`;
}

describe('/metrics access', () => {
  it.each([
    ['production without METRICS_TOKEN: does not exist', PROD, undefined, 404],
    ['production, no Authorization', { ...PROD, METRICS_TOKEN: TOKEN }, undefined, 401],
    ['production, wrong token', { ...PROD, METRICS_TOKEN: TOKEN }, 'Bearer metrics-token-0123456789abcdeX', 401],
    ['production, right token', { ...PROD, METRICS_TOKEN: TOKEN }, `Bearer ${TOKEN}`, 200],
    ['development on loopback: open', { NODE_ENV: 'development' }, undefined, 200],
  ])('%s → %i', async (_name, env, authorization, status) => {
    const res = await fetch(await serve(env), { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(status);
    if (status === 200) expect(await res.text()).toContain('http_request_duration_seconds');
  });
});
