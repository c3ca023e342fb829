import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the one behaviour of Fly's proxy the legacy SSE transport relies on
 * (fly.io/docs/networking/dynamic-request-routing): a response carrying
 * `fly-replay: instance=<machine id>` is not sent to the client; the proxy sends the original
 * request again to that machine, adds `fly-replay-src`, and returns that machine's answer.
 * Which instance a request reaches first is the test's choice (`route`).
 */
export interface FlyProxy {
  url: string;
  /** Every hop: the instance it went to, and whether it was a replay. */
  hops: Array<{ method: string; path: string; instance: string; replayed: boolean }>;
  close(): Promise<void>;
}

export async function startFlyProxy(instances: Record<string, string>, route: (req: IncomingMessage) => string): Promise<FlyProxy> {
  const hops: FlyProxy['hops'] = [];
  const forward = (req: IncomingMessage, body: Buffer, instance: string, replaySrc?: string) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const target = new URL(req.url ?? '/', instances[instance]);
      const headers = { ...req.headers, ...(replaySrc ? { 'fly-replay-src': replaySrc } : {}) };
      hops.push({ method: req.method ?? 'GET', path: target.pathname, instance, replayed: replaySrc !== undefined });
      const out = request(target, { method: req.method, headers }, resolve);
      out.on('error', reject);
      out.end(body);
    });
  const server: Server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      const first = route(req);
      let answer = await forward(req, body, first);
      const replay = /instance=([A-Za-z0-9_-]+)/.exec(String(answer.headers['fly-replay'] ?? ''))?.[1];
      if (replay && instances[replay]) {
        answer.resume();
        answer = await forward(req, body, replay, `instance=${first};state=replayed`);
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      res.once('close', () => answer.destroy());
    } catch {
      if (!res.headersSent) res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hops,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
