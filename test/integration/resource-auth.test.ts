import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { rpcOf, startResourceHarness, type ResourceHarness } from '../support/resource.js';

/**
 * Bearer token validation on /mcp (issue 4 acceptance: table-driven token tests). Tokens come
 * from a stand-in issuer on another port whose JWKS the service fetches over HTTP, exactly as
 * it would from the real authorization server on another host.
 */
let h: ResourceHarness;
beforeAll(async () => {
  h = await startResourceHarness();
  await h.svc.store.query(`INSERT INTO accounts (id, email, disabled_at) VALUES ('disabled-person', NULL, now())`);
});
afterAll(async () => h.close());

const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const prm = () => `${h.base}/.well-known/oauth-protected-resource/mcp`;
const whoami = () => h.call('whoami');

describe('401 challenges', () => {
  it('no token: 401 with resource_metadata and scope, and no error code (RFC 6750 §3.1)', async () => {
    const res = await h.post(whoami());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${prm()}", scope="intervals:read"`);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('a non-Bearer Authorization header counts as no token', async () => {
    const res = await h.post(whoami(), { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).not.toContain('error=');
  });

  type Case = [name: string, make: () => Promise<string>, description: RegExp];
  const cases: Case[] = [
    ['malformed', async () => 'not-a-jwt', /not a well-formed access token/],
    [
      'alg none',
      async () =>
        `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ iss: h.issuer.url, aud: `${h.base}/mcp`, sub: 'person-1', exp: now() + 600 })}.`,
      /well-formed|algorithm/,
    ],
    [
      'HS256 signed with the public key',
      async () =>
        new SignJWT({ scope: 'intervals:read' })
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: h.issuer.publicJwk().kid })
          .setIssuer(h.issuer.url)
          .setAudience(`${h.base}/mcp`)
          .setSubject('person-1')
          .setExpirationTime(now() + 600)
          .sign(new TextEncoder().encode(JSON.stringify(h.issuer.publicJwk()))),
      /algorithm this server does not accept/,
    ],
    ['wrong iss', async () => h.issuer.sign({ iss: 'https://evil.example' }), /issued by another authorization server/],
    ['wrong aud', async () => h.issuer.sign({ aud: 'https://evil.example/mcp' }), /issued for another resource/],
    ['token for another resource on this host', async () => h.issuer.sign({ aud: `${h.base}/other` }), /issued for another resource/],
    ['expired', async () => h.issuer.sign({ iat: now() - 7200, exp: now() - 120 }), /has expired/],
    ['not yet valid', async () => h.issuer.sign({ nbf: now() + 600 }), /not valid yet/],
    ['unknown kid', async () => h.issuer.sign({}, { key: await h.issuer.strayKey(), kid: 'no-such-kid' }), /key this server does not know/],
    ['known kid, wrong key', async () => h.issuer.sign({}, { key: await h.issuer.strayKey() }), /signature is invalid/],
    ['typ JWT instead of at+jwt (an ID token)', async () => h.issuer.sign({}, { typ: 'JWT' }), /not an access token/],
    ['deleted (never existing) account', async () => h.issuer.sign({ sub: 'ghost' }), /no longer exists or is disabled/],
    ['disabled account', async () => h.issuer.sign({ sub: 'disabled-person' }), /no longer exists or is disabled/],
    [
      'an app whose grant was revoked (no Grant for its client_id)',
      async () => h.issuer.sign({ client_id: 'disconnected-app' }),
      /access was revoked or has ended; reconnect the app/,
    ],
    ['no client_id claim', async () => h.issuer.sign({ client_id: undefined }), /lacks required claims/],
    ['unknown personal access token', async () => 'imcp_pat_0123456789abcdef', /personal access token is unknown/],
  ];

  it.each(cases)('%s → 401 invalid_token', async (_name, make, description) => {
    const res = await h.post(whoami(), { token: await make() });
    expect(res.status).toBe(401);
    const header = res.headers.get('www-authenticate') ?? '';
    expect(
      header.startsWith(`Bearer resource_metadata="${prm()}", scope="intervals:read", error="invalid_token", error_description="`),
    ).toBe(true);
    expect(header).toMatch(description);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_token');
    expect(body.error_description).toMatch(description);
  });
});

describe('accepted tokens and step-up', () => {
  it('a valid token reaches the tool, which sees the person from the token', async () => {
    const res = await h.post(whoami(), { token: await h.issuer.sign({ sub: 'person-2' }) });
    expect(res.status).toBe(200);
    const body = (await rpcOf(res)) as { result: { content: { text: string }[] } };
    expect(JSON.parse(body.result.content[0]!.text)).toEqual({ accountId: 'person-2', echo: null });
  });

  it('a read-only token on a write tool → 403 insufficient_scope naming every scope the call needs', async () => {
    const res = await h.post(h.call('add_note', { text: 'x' }), { token: await h.issuer.sign({ scope: 'intervals:read' }) });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", scope="intervals:read intervals:write", resource_metadata="${prm()}", error_description="The tool add_note needs the intervals:read and intervals:write permission; reconnect and approve it to continue."`,
    );
    expect(res.headers.get('ratelimit')).toBeNull(); // refused before the rate limit and before the tool
  });

  it('the same write tool runs with intervals:write granted', async () => {
    const res = await h.post(h.call('add_note', { text: 'x' }), {
      token: await h.issuer.sign({ scope: 'intervals:read intervals:write' }),
    });
    expect(res.status).toBe(200);
    expect(await rpcOf(res)).toMatchObject({ result: { content: [{ type: 'text', text: 'noted: x' }] } });
  });

  it('a token without intervals:read cannot even list tools', async () => {
    const res = await h.post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { token: await h.issuer.sign({ scope: 'openid' }) });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('scope="intervals:read"');
  });

  it('a rotated signing key (new kid) is picked up without a restart', async () => {
    const before = await h.post(whoami(), { token: await h.issuer.sign() });
    expect(before.status).toBe(200);
    const fetches = h.issuer.jwksFetches();
    // The JWKS is refetched for an unknown kid at most every 5 s (cooldown against forged kids).
    await new Promise((r) => setTimeout(r, 5_200));
    await h.issuer.rotate({ dropOld: true });
    const after = await h.post(whoami(), { token: await h.issuer.sign() });
    expect(after.status).toBe(200);
    expect(h.issuer.jwksFetches()).toBe(fetches + 1);
  });
});
