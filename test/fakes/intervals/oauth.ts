import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Intervals.icu OAuth stand-in routes (forum /t/intervals-icu-oauth-support/2759, research
 * intervals-landscape.md §2.5):
 * - GET  /oauth/authorize?client_id&redirect_uri&scope&state → a consent page where the person
 *   can untick scopes; "Authorize" → redirect_uri?code&state, "Cancel" → ?error=access_denied.
 * - POST /api/oauth/token (form: client_id, client_secret, code) → `{token_type, access_token,
 *   scope, athlete:{id,name}}`, no refresh_token / expires_in; codes live 2 minutes, single use;
 *   a bad client answers 404 "Client and/or secret not found" as the real one does.
 * Mount with `handleIntervalsOAuth(req, res, state)` from any node:http stand-in.
 */
export interface OAuthAthlete {
  id: string;
  name: string;
}

export interface IntervalsOAuthState {
  clientId: string;
  clientSecret: string;
  /** Who "signs in" on the consent page. */
  athlete: OAuthAthlete;
  /** Code lifetime; 2 minutes on the real service. */
  codeTtlMs: number;
  codes: Map<string, { scope: string; athlete: OAuthAthlete; redirectUri: string; issuedAt: number; used: boolean }>;
  /** Issued tokens → who and which scopes (the athlete stand-in can honour them). */
  tokens: Map<string, { athlete: OAuthAthlete; scopes: string[] }>;
  tokenRequests: number;
}

export function createIntervalsOAuthState(opts: Partial<Pick<IntervalsOAuthState, 'clientId' | 'clientSecret' | 'athlete' | 'codeTtlMs'>> = {}): IntervalsOAuthState {
  return {
    clientId: opts.clientId ?? '4242',
    clientSecret: opts.clientSecret ?? 'stand-in-client-secret',
    athlete: opts.athlete ?? { id: '777001', name: 'OAuth Athlete' },
    codeTtlMs: opts.codeTtlMs ?? 120_000,
    codes: new Map(),
    tokens: new Map(),
    tokenRequests: 0,
  };
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

/** Returns true when the request was an OAuth route (and has been answered). */
export async function handleIntervalsOAuth(req: IncomingMessage, res: ServerResponse, state: IntervalsOAuthState): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  if (req.method === 'GET' && url.pathname === '/oauth/authorize') {
    const q = url.searchParams;
    if (q.get('client_id') !== state.clientId) {
      send(res, 400, '<p>Unknown client</p>', 'text/html');
      return true;
    }
    const scopes = (q.get('scope') ?? '').split(',').filter(Boolean);
    const boxes = scopes.map((s) => `<label><input type="checkbox" name="grant" value="${esc(s)}" checked> ${esc(s)}</label><br>`).join('');
    const hidden = ['redirect_uri', 'state'].map((k) => `<input type="hidden" name="${k}" value="${esc(q.get(k) ?? '')}">`).join('');
    send(
      res,
      200,
      `<!doctype html><title>Intervals.icu stand-in</title><h1>Authorize app</h1><p>Signed in as ${esc(state.athlete.name)}</p>` +
        `<form method="get" action="/oauth/authorize/decide">${hidden}${boxes}<button name="decision" value="allow">Authorize</button><button name="decision" value="deny">Cancel</button></form>`,
      'text/html',
    );
    return true;
  }
  if (req.method === 'GET' && url.pathname === '/oauth/authorize/decide') {
    const q = url.searchParams;
    const target = new URL(q.get('redirect_uri') ?? '');
    if (q.get('state')) target.searchParams.set('state', q.get('state')!);
    if (q.get('decision') !== 'allow') {
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = randomBytes(16).toString('hex');
      state.codes.set(code, { scope: q.getAll('grant').join(','), athlete: state.athlete, redirectUri: q.get('redirect_uri') ?? '', issuedAt: Date.now(), used: false });
      target.searchParams.set('code', code);
    }
    res.writeHead(302, { location: target.toString() });
    res.end();
    return true;
  }
  if (req.method === 'POST' && url.pathname === '/api/oauth/token') {
    state.tokenRequests += 1;
    const form = new URLSearchParams(await readBody(req));
    if (form.get('client_id') !== state.clientId || form.get('client_secret') !== state.clientSecret) {
      send(res, 404, 'Client and/or secret not found', 'text/plain');
      return true;
    }
    const entry = state.codes.get(form.get('code') ?? '');
    if (!entry || entry.used || Date.now() - entry.issuedAt > state.codeTtlMs) {
      send(res, 400, JSON.stringify({ status: 400, error: 'Invalid or expired code' }));
      return true;
    }
    entry.used = true;
    const token = randomBytes(16).toString('hex');
    state.tokens.set(token, { athlete: entry.athlete, scopes: entry.scope.split(',').filter(Boolean) });
    send(res, 200, JSON.stringify({ token_type: 'Bearer', access_token: token, scope: entry.scope, athlete: entry.athlete }));
    return true;
  }
  return false;
}
