import { describe, it, expect, afterAll, beforeAll } from '@jest/globals';
import { startTestService, type TestService } from '../support/service.js';

describe('HTTP shell', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ LOG_LEVEL: 'debug' });
  });
  afterAll(async () => {
    await svc.close();
  });

  it('answers /health without touching the database and /ready when migrations are applied', async () => {
    const health = await fetch(`${svc.url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('cache-control')).toBe('no-store');
    const ready = await fetch(`${svc.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('gives every response a request id, reusing a sane incoming one', async () => {
    const mine = await fetch(`${svc.url}/health`, { headers: { 'x-request-id': 'abc-123' } });
    expect(mine.headers.get('x-request-id')).toBe('abc-123');
    const odd = await fetch(`${svc.url}/health`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps Authorization, cookies, API keys and tokens out of the logs', async () => {
    const secrets = {
      bearer: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4eXoiLCJleHAiOjF9.c2lnbmF0dXJlc2lnbmF0dXJl',
      cookie: 'session-cookie-value-7f3a9b',
      apiKey: 'intervals-api-key-5e1d2c',
      queryToken: 'query-token-value-99aa',
    };
    const res = await fetch(`${svc.url}/health?access_token=${secrets.queryToken}`, {
      headers: {
        authorization: `Bearer ${secrets.bearer}`,
        cookie: `_session=${secrets.cookie}`,
        'x-api-key': secrets.apiKey,
        'x-request-id': 'redaction-check',
      },
    });
    expect(res.status).toBe(200);
    const lines = svc
      .logs()
      .split('\n')
      .filter((l) => l.includes('redaction-check'));
    expect(lines.length).toBeGreaterThanOrEqual(2); // the access line and the debug header line
    const headerLine = JSON.parse(lines.find((l) => l.includes('request headers'))!);
    expect(headerLine.headers).toMatchObject({ authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-api-key': '[REDACTED]' });
    for (const s of Object.values(secrets)) expect(svc.logs()).not.toContain(s);
  });

  it('answers unknown paths with 404 and a JSON error that names the request', async () => {
    const res = await fetch(`${svc.url}/nope`);
    expect(res.status).toBe(404);
  });
});
