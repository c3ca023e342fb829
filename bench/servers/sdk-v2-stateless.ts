import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { jwtVerify } from 'jose';
import { audience, callResult, issuer, jwks, schemas, tools } from './sdk-baseline-inputs.js';

/**
 * Server (b2), what a user would build today on the SDK's stable v2 line: its documented
 * stateless shape, `createMcpHandler` with a fresh McpServer per request (both protocol eras), on
 * node:http, with every request's ES256 bearer token verified by jose against a local JWKS (iss,
 * aud, exp, typ at+jwt, scope) and handed in as authInfo. Same tools and answers as (b).
 */
// Tools, answer and token checks: bench/servers/sdk-baseline-inputs.ts (shared with the other SDK baseline).

const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'sdk-v2-stateless', version: '1.0.0' });
  for (const t of tools) {
    server.registerTool(
      t.name,
      { title: t.title, description: t.description, inputSchema: schemas.get(t.name)!, annotations: t.annotations },
      async () => callResult,
    );
  }
  return server;
});

async function verify(req: IncomingMessage): Promise<{ token: string; clientId: string; scopes: string[] } | undefined> {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  try {
    const { payload } = await jwtVerify(m[1]!, jwks, { issuer, audience, typ: 'at+jwt', algorithms: ['ES256'] });
    const scopes = String(payload.scope ?? '').split(' ');
    return scopes.includes('intervals:read') ? { token: m[1]!, clientId: String(payload.client_id), scopes } : undefined;
  } catch {
    return undefined;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && req.url === '/ready') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    return;
  }
  if (req.url !== '/mcp') {
    res.writeHead(404).end();
    return;
  }
  const authInfo = await verify(req);
  if (!authInfo) {
    res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const request = new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers,
    ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
  });
  const response = await handler.fetch(request, { authInfo });
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => (out[name] = value));
  res.writeHead(response.status, out);
  if (response.body) Readable.fromWeb(response.body as NodeReadableStream).pipe(res);
  else res.end();
}

const http = createServer((req, res) => {
  handle(req, res).catch(() => {
    if (!res.headersSent) res.writeHead(500).end();
  });
});
http.keepAliveTimeout = 65_000;
http.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => http.close(() => process.exit(0)));
