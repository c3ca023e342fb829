import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { startOAuthService, type OAuthService } from '../../support/oauth.js';

/**
 * Every URL the service advertises comes from BASE_URL / ISSUER_URL, never from the request: an
 * instance reached as `localhost`, under an internal address, or with a forged Host or
 * X-Forwarded-* header publishes the same documents as one reached at its configured address.
 * TRUST_PROXY is on, so Koa would otherwise believe X-Forwarded-Host and X-Forwarded-Proto too.
 */
let svc: OAuthService;
beforeAll(async () => {
  svc = await startOAuthService({ TRUST_PROXY: 'true' });
});
afterAll(async () => {
  await svc?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so Host and the request target can be anything a client might send. */
function send(target: string, headers: Record<string, string>): Promise<Answer> {
  const { port } = new URL(svc.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const port = () => new URL(svc.url).port;
const foreign: Array<[string, () => Record<string, string>]> = [
  ['Host: localhost (the other loopback name)', () => ({ host: `localhost:${port()}` })],
  ['Host: a foreign name', () => ({ host: 'attacker.example' })],
  [
    'X-Forwarded-Host and X-Forwarded-Proto from a proxy',
    () => ({ host: `127.0.0.1:${port()}`, 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'https' }),
  ],
];

describe('endpoints from configuration, not from the request', () => {
  const documents = [
    '/.well-known/oauth-authorization-server',
    '/.well-known/openid-configuration',
    '/.well-known/oauth-protected-resource/mcp',
  ];

  it.each(documents)('%s is byte-for-byte the same whatever Host the request names', async (path) => {
    const reference = await send(path, { host: `127.0.0.1:${port()}` });
    expect(reference.status).toBe(200);
    const doc = JSON.parse(reference.body) as Record<string, unknown>;
    // Every URL in it is on BASE_URL's origin.
    const urls = Object.values(doc)
      .flat()
      .filter((v): v is string => typeof v === 'string' && /^https?:\/\//.test(v));
    expect(urls.length).toBeGreaterThan(2);
    for (const u of urls) expect(new URL(u).origin).toBe(svc.url);
    for (const [, headers] of foreign) {
      const other = await send(path, headers());
      expect({ status: other.status, body: other.body }).toEqual({ status: 200, body: reference.body });
    }
  });

  it('an absolute-form request target (GET http://attacker.example/…) does not leak its host either', async () => {
    const reference = await send('/.well-known/oauth-authorization-server', { host: `127.0.0.1:${port()}` });
    const absolute = await send('http://attacker.example/.well-known/oauth-authorization-server', { host: `127.0.0.1:${port()}` });
    expect(absolute.status).toBe(200);
    expect(absolute.body).toBe(reference.body);
  });

  it.each(foreign)('the sign-out form posts to BASE_URL (%s)', async (_name, headers) => {
    const page = await send('/logout', headers());
    expect(page.status).toBe(200);
    const actions = [...page.body.matchAll(/action="([^"]+)"/g)].map((m) => m[1]);
    expect(actions).toEqual([`${svc.url}/logout/confirm`]);
    expect(page.body).not.toContain('attacker.example');
    expect(page.body).not.toContain('localhost');
  });

  it("/mcp reached as localhost answers 401 pointing at BASE_URL's resource metadata; a foreign Host is refused", async () => {
    const loopback = await send('/mcp', { host: `localhost:${port()}` });
    expect(loopback.status).toBe(401);
    expect(loopback.headers['www-authenticate']).toContain(`resource_metadata="${svc.url}/.well-known/oauth-protected-resource/mcp"`);
    const forged: Array<Record<string, string>> = [
      { host: 'attacker.example' },
      { host: `127.0.0.1:${port()}`, 'x-forwarded-host': 'attacker.example' },
    ];
    for (const headers of forged) {
      const refused = await send('/mcp', headers);
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.headers)).not.toContain('attacker.example');
    }
  });
});
