import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeAthlete } from './server.js';

/**
 * Intervals.icu OAuth stand-in (forum /t/intervals-icu-oauth-support/2759), served on its own origin = INTERVALS_OAUTH_BASE_URL:
 * - GET  /oauth/authorize?client_id&redirect_uri&scope&state → a consent page where the person
 *   can untick scopes; "Authorize" → redirect_uri?code&state, "Cancel" → ?error=access_denied.
 * - POST /api/oauth/token (form: client_id, client_secret, code) → `{token_type, access_token,
 *   scope, athlete:{id,name}}`, no refresh_token / expires_in; codes live 2 minutes and work
 *   once; a bad client answers 404 "Client and/or secret not found" as the real one does.
 * The token it issues is the signed-in athlete's `oauthToken` on the API stand-in (server.ts), and
 * that athlete's `oauthScopes` become what was ticked, so tool calls see exactly the grant.
 */
export interface IntervalsOAuthStandIn {
  /** INTERVALS_OAUTH_BASE_URL for the service under test. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Who is "signed in" on Intervals.icu when the consent page shows. */
  signedIn: FakeAthlete;
  /** Code lifetime (2 minutes on the real service). */
  codeTtlMs: number;
  tokenRequests: { clientId: string | null; code: string | null }[];
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

export async function startIntervalsOAuthStandIn(
  signedIn: FakeAthlete,
  opts: { clientId?: string; clientSecret?: string } = {},
): Promise<IntervalsOAuthStandIn> {
  const codes = new Map<string, { scopes: string[]; athlete: FakeAthlete; issuedAt: number; used: boolean }>();
  const self: IntervalsOAuthStandIn = {
    url: '',
    clientId: opts.clientId ?? '4242',
    clientSecret: opts.clientSecret ?? 'stand-in-client-secret',
    signedIn,
    codeTtlMs: 120_000,
    tokenRequests: [],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const authorizePage = (q: URLSearchParams, res: ServerResponse) => {
    if (q.get('client_id') !== self.clientId) return send(res, 400, '<p>Unknown client</p>', 'text/html');
    const boxes = (q.get('scope') ?? '')
      .split(',')
      .filter(Boolean)
      .map((s) => `<label><input type="checkbox" name="grant" value="${esc(s)}" checked> ${esc(s)}</label><br>`)
      .join('');
    const hidden = ['redirect_uri', 'state'].map((k) => `<input type="hidden" name="${k}" value="${esc(q.get(k) ?? '')}">`).join('');
    send(
      res,
      200,
      `<!doctype html><title>Intervals.icu stand-in</title><h1>Authorize app</h1><p>Signed in as ${esc(self.signedIn.name)}</p>` +
        `<form method="get" action="/oauth/authorize/decide">${hidden}${boxes}<button name="decision" value="allow">Authorize</button> <button name="decision" value="deny">Cancel</button></form>`,
      'text/html',
    );
  };

  const decide = (q: URLSearchParams, res: ServerResponse) => {
    const target = new URL(q.get('redirect_uri') ?? '');
    if (q.get('state')) target.searchParams.set('state', q.get('state')!);
    if (q.get('decision') !== 'allow') {
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = randomBytes(16).toString('hex');
      codes.set(code, { scopes: q.getAll('grant'), athlete: self.signedIn, issuedAt: Date.now(), used: false });
      target.searchParams.set('code', code);
    }
    res.writeHead(302, { location: target.toString() });
    res.end();
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams(await readBody(req));
    self.tokenRequests.push({ clientId: form.get('client_id'), code: form.get('code') });
    if (form.get('client_id') !== self.clientId || form.get('client_secret') !== self.clientSecret) {
      return send(res, 404, 'Client and/or secret not found', 'text/plain');
    }
    const entry = codes.get(form.get('code') ?? '');
    if (!entry || entry.used || Date.now() - entry.issuedAt > self.codeTtlMs) {
      return send(res, 400, JSON.stringify({ status: 400, error: 'Invalid or expired code' }));
    }
    entry.used = true;
    entry.athlete.oauthScopes = entry.scopes;
    const athlete = { id: entry.athlete.id.replace(/^i/, ''), name: entry.athlete.name };
    send(
      res,
      200,
      JSON.stringify({ token_type: 'Bearer', access_token: entry.athlete.oauthToken, scope: entry.scopes.join(','), athlete }),
    );
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const route = `${req.method} ${url.pathname}`;
    const done =
      route === 'GET /oauth/authorize'
        ? Promise.resolve(authorizePage(url.searchParams, res))
        : route === 'GET /oauth/authorize/decide'
          ? Promise.resolve(decide(url.searchParams, res))
          : route === 'POST /api/oauth/token'
            ? token(req, res)
            : Promise.resolve(send(res, 404, JSON.stringify({ status: 404, error: 'Not Found' })));
    done.catch((err: unknown) => send(res, 500, String(err), 'text/plain'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return self;
}
