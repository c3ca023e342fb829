import { upsertAccount } from '../../src/accounts/account-store.js';
import { freePort } from './process.js';
import { startTestService, type TestService } from './service.js';
import { startTestIssuer, type TestIssuer } from './test-issuer.js';
import { createTinyMcpServer, TINY_TOOL_SCOPES } from './tiny-mcp-server.js';

export const INIT_PARAMS = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'test', version: '1' } };

export interface ResourceHarness {
  svc: TestService;
  issuer: TestIssuer;
  base: string;
  /** POSTs one JSON-RPC message to /mcp. */
  post(message: unknown, opts?: { token?: string; headers?: Record<string, string> }): Promise<Response>;
  /** A tools/call message. */
  call(name: string, args?: Record<string, unknown>, id?: number | string): Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * The real service with a tiny real McpServer behind /mcp, trusting a stand-in issuer on another
 * port (ISSUER_URL ≠ BASE_URL: the split-host configuration). BASE_URL is the bound address, so
 * Host checks see exactly what clients send.
 */
export async function startResourceHarness(env: Record<string, string> = {}, accounts = ['person-1', 'person-2']): Promise<ResourceHarness> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const issuer = await startTestIssuer({ audience: () => `${base}/mcp` });
  const svc = await startTestService(
    { PORT: String(port), BASE_URL: base, ISSUER_URL: issuer.url, ...env },
    { mcp: { server: createTinyMcpServer(), toolScopes: TINY_TOOL_SCOPES } },
  );
  for (const id of accounts) await upsertAccount(svc.store, { id, email: `${id}@example.test` });
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
    async close() {
      await svc.close();
      await issuer.close();
    },
  };
}
