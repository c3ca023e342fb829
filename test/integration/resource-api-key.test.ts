import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPersonalAccessToken, revokePersonalAccessToken } from '../../src/accounts/pats.js';
import { rpcOf, startResourceHarness, type ResourceHarness } from '../support/resource.js';

/**
 * A personal access token in `X-API-Key` on /mcp (what the Python server's clients send): the
 * same verification as `Authorization: Bearer`, 401 otherwise, and never in a log line. Logging at
 * debug, so the request-headers line is written too.
 */
let h: ResourceHarness;
let pat: string;
let revoked: string;
beforeAll(async () => {
  h = await startResourceHarness({ LOG_LEVEL: 'debug' });
  ({ token: pat } = await createPersonalAccessToken(h.svc.store, 'person-1', {
    name: 'claude desktop',
    scopes: ['intervals:read'],
    expiresInDays: 7,
  }));
  const old = await createPersonalAccessToken(h.svc.store, 'person-2', { name: 'old', scopes: ['intervals:read'], expiresInDays: 7 });
  revoked = old.token;
  await revokePersonalAccessToken(h.svc.store, 'person-2', old.pat.id);
});
afterAll(async () => h?.close());

const prm = () => `${h.base}/.well-known/oauth-protected-resource/mcp`;
const whoami = () => h.call('whoami');

describe('X-API-Key on /mcp', () => {
  it('a valid personal access token reaches the tool as its owner', async () => {
    const res = await h.post(whoami(), { headers: { 'x-api-key': pat } });
    expect(res.status).toBe(200);
    const body = (await rpcOf(res)) as { result: { content: { text: string }[] } };
    expect(JSON.parse(body.result.content[0]!.text)).toEqual({ accountId: 'person-1', echo: null });
  });

  it("carries the token's scopes: a read-only token on a write tool → 403 insufficient_scope", async () => {
    const res = await h.post(h.call('add_note', { text: 'x' }), { headers: { 'x-api-key': pat } });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="intervals:read intervals:write"');
  });

  const refused: Array<[string, () => Record<string, string>, RegExp]> = [
    ['an unknown token', () => ({ 'x-api-key': 'imcp_pat_0123456789abcdefghij' }), /personal access token is unknown or revoked/],
    ['a revoked token', () => ({ 'x-api-key': revoked }), /personal access token is unknown or revoked/],
    [
      'an OAuth access token',
      () => ({ 'x-api-key': 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' }),
      /X-API-Key takes a personal access token/,
    ],
    [
      'an Intervals.icu API key pasted by mistake',
      () => ({ 'x-api-key': '4f8d1c2b9a7e6d5c3b1a0f9e8d7c6b5a' }),
      /X-API-Key takes a personal access token/,
    ],
    [
      'a value with spaces inside',
      () => ({ 'x-api-key': `${pat.slice(0, 20)} ${pat.slice(20)}` }),
      /X-API-Key takes a personal access token/,
    ],
    ['both headers at once', () => ({ 'x-api-key': pat, authorization: `Bearer ${pat}` }), /one token per request/],
  ];

  it.each(refused)('%s → 401 invalid_token with the same challenge as the bearer form', async (_name, headers, description) => {
    const res = await h.post(whoami(), { headers: headers() });
    expect(res.status).toBe(401);
    const header = res.headers.get('www-authenticate') ?? '';
    expect(
      header.startsWith(`Bearer resource_metadata="${prm()}", scope="intervals:read", error="invalid_token", error_description="`),
    ).toBe(true);
    expect(header).toMatch(description);
    expect(((await res.json()) as { error_description: string }).error_description).toMatch(description);
  });

  it('an empty X-API-Key counts as no token (401 without an error code)', async () => {
    const res = await h.post(whoami(), { headers: { 'x-api-key': '' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${prm()}", scope="intervals:read"`);
  });

  it('browsers may send it (CORS preflight allows the header)', async () => {
    const res = await fetch(`${h.base}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: h.base, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/X-API-Key/);
  });

  it('no token sent in X-API-Key reaches any log line', async () => {
    await h.post(whoami(), { headers: { 'x-api-key': pat, 'x-request-id': 'api-key-log-check' } });
    const logs = h.svc.logs();
    const lines = logs.split('\n').filter((l) => l.includes('api-key-log-check'));
    // The access line and the request-headers line were written, with the header masked.
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const headerLine = JSON.parse(lines.find((l) => l.includes('request headers'))!) as { headers: Record<string, string> };
    expect(headerLine.headers['x-api-key']).toBe('[REDACTED]');
    for (const secret of [pat, revoked, pat.slice('imcp_pat_'.length)]) expect(logs).not.toContain(secret);
  });
});
