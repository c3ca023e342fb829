import { randomUUID } from 'node:crypto';
import { upsertAccount } from '../../src/accounts/account-store.js';
import type { Queryable } from '../../src/store/store.js';
import { freePort } from './process.js';
import { startTestService, type TestService } from './service.js';
import { startTestIssuer, TEST_CLIENT_ID, type TestIssuer } from './test-issuer.js';
import { TINY_BINDING } from './tiny-mcp-server.js';

export const INIT_PARAMS = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'test', version: '1' } };

export interface ResourceHarness {
  svc: TestService;
  issuer: TestIssuer;
  base: string;
  /** POSTs one JSON-RPC message to /mcp. */
  post(message: unknown, opts?: { token?: string; headers?: Record<string, string> }): Promise<Response>;
  /** A tools/call message. */
  call(name: string, args?: Record<string, unknown>, id?: number | string): Record<string, unknown>;
  /** Creates the account if needed and the person's Grant for `clientId`, so the issuer's tokens for them are accepted. */
  grant(accountId: string, clientId?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Writes the Grant row oidc-provider keeps for a person's consent to a client (model 'Grant' in
 * oidc_payloads, 0100_oauth.sql): what the resource server checks a token's sub and client_id
 * against. Created a day ago by default, so every token the test issuer signs postdates it.
 */
export async function insertGrant(
  store: Queryable,
  accountId: string,
  clientId = TEST_CLIENT_ID,
  opts: { createdSecondsAgo?: number } = {},
): Promise<string> {
  const id = randomUUID();
  const payload = { kind: 'Grant', jti: id, accountId, clientId, openid: { scope: 'openid' }, resources: {} };
  await store.query(
    `INSERT INTO oidc_payloads (model, id, payload, created_at, expires_at)
     VALUES ('Grant', $1, $2::jsonb, now() - $3::float8 * interval '1 second', now() + interval '1 day')`,
    [id, JSON.stringify(payload), opts.createdSecondsAgo ?? 86_400],
  );
  return id;
}

/**
 * The real service with a tiny real McpServer behind /mcp, trusting a stand-in issuer on another
 * port (ISSUER_URL ≠ BASE_URL: the split-host configuration). BASE_URL is the bound address, so
 * Host checks see exactly what clients send.
 */
export async function startResourceHarness(
  env: Record<string, string> = {},
  accounts = ['person-1', 'person-2'],
): Promise<ResourceHarness> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const issuer = await startTestIssuer({ audience: () => `${base}/mcp` });
  const svc = await startTestService({ PORT: String(port), BASE_URL: base, ISSUER_URL: issuer.url, ...env }, { mcp: TINY_BINDING });
  const grant = async (id: string, clientId = TEST_CLIENT_ID) => {
    await upsertAccount(svc.store, { id, email: `${id}@example.test` });
    return insertGrant(svc.store, id, clientId);
  };
  for (const id of accounts) await grant(id);
  return {
    svc,
    issuer,
    base,
    post: (message, opts = {}) =>
      fetch(`${base}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...opts.headers,
        },
        body: typeof message === 'string' ? message : JSON.stringify(message),
      }),
    call: (name, args = {}, id = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }),
    grant,
    async close() {
      await svc.close();
      await issuer.close();
    },
  };
}

/**
 * The JSON-RPC message an /mcp answer carries, whether it came as JSON (the fast lane, the
 * 2026-07-28 era) or as a one-message SSE stream (the SDK's stateless 2025-era answers).
 */
export async function rpcOf(res: Response): Promise<Record<string, unknown>> {
  return rpcFromText(res.headers.get('content-type'), await res.text());
}

/** rpcOf for a body already read (node:http clients). */
export function rpcFromText(contentType: string | null | undefined, text: string): Record<string, unknown> {
  if (!contentType?.startsWith('text/event-stream')) return JSON.parse(text) as Record<string, unknown>;
  const data = text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
  const last = data.at(-1);
  if (!last) throw new Error(`no message in the event stream: ${text.slice(0, 200)}`);
  return last;
}
