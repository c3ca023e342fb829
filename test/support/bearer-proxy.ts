import { createServer, request, type Server } from 'node:http';

/**
 * A loopback HTTP proxy that adds `Authorization: Bearer <token>` to every request and forwards
 * it to `target`: lets tools that cannot do OAuth (the MCP conformance runner) exercise the real,
 * fully authenticated /mcp. The product is never weakened for them. The Host header is rewritten
 * to the target's only when the client addressed the proxy itself, so DNS-rebinding probes with a
 * foreign Host still reach the server as sent.
 */
export interface BearerProxy {
  url: string;
  close(): Promise<void>;
}

export async function startBearerProxy(target: string, token: () => string): Promise<BearerProxy> {
  const t = new URL(target);
  let self = '';
  const server: Server = createServer((req, res) => {
    const headers = { ...req.headers, authorization: `Bearer ${token()}` };
    if (req.headers.host === self) headers.host = t.host;
    const up = request({ hostname: t.hostname, port: t.port, path: req.url, method: req.method, headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  self = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url: `http://${self}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
