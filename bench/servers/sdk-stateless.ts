import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { jwtVerify } from 'jose';
import { audience, callResult, issuer, jwks, schemas, tools } from './sdk-baseline-inputs.js';

/**
 * Server (b), what a user could pick instead: the MCP SDK's documented stateless Streamable HTTP
 * shape — a fresh McpServer + StreamableHTTPServerTransport per request, JSON responses — on
 * node:http, with every request's ES256 bearer token verified by jose against a local JWKS
 * (iss, aud, exp, typ at+jwt, scope), as the SDK's bearer middleware would.
 *
 * Tools: every tool server (c) lists (name, description, input schema converted back to zod once
 * at start-up, annotations), so tools/list does the same listing work; each answers with the
 * CallToolResult (c) gave for the benchmark's tools/call, so the bytes match too.
 */
// Tools, answer and token checks: bench/servers/sdk-baseline-inputs.ts (shared with the other SDK baseline).

function buildServer(): McpServer {
  const server = new McpServer({ name: 'sdk-stateless', version: '1.0.0' });
  for (const t of tools) {
    server.registerTool(
      t.name,
      { title: t.title, description: t.description, inputSchema: schemas.get(t.name)!, annotations: t.annotations },
      async () => callResult,
    );
  }
  return server;
}

async function authorize(req: IncomingMessage): Promise<boolean> {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  if (!m) return false;
  try {
    const { payload } = await jwtVerify(m[1]!, jwks, { issuer, audience, typ: 'at+jwt', algorithms: ['ES256'] });
    return String(payload.scope ?? '')
      .split(' ')
      .includes('intervals:read');
  } catch {
    return false;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && req.url === '/ready') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/mcp') {
    res.writeHead(404).end();
    return;
  }
  if (!(await authorize(req))) {
    res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
    return;
  }
  const body = await readJson(req);
  const server = buildServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

const http = createServer((req, res) => {
  handle(req, res).catch(() => {
    if (!res.headersSent) res.writeHead(500).end();
  });
});
http.keepAliveTimeout = 65_000;
http.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => http.close(() => process.exit(0)));
