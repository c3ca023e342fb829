import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in the benchmark process that holds every chunk for half the round trip in each
 * direction, so server (c) reaches PostgreSQL as it does on Fly (≈1–3 ms within a region, 10–40 ms
 * across). Order is kept: equal delays fire in the order they were set. 0 ms forwards at once.
 */
export interface DelayProxy {
  port: number;
  /** `url` with its host:port replaced by the proxy's. */
  rewrite(url: string): string;
  /**
   * Chunks sent towards PostgreSQL so far: with node-postgres each query (or pipelined batch) is
   * one write and waits for its answer, so this counts round trips independently of machine load.
   */
  sent(): number;
  close(): Promise<void>;
}

export async function startDelayProxy(target: { host: string; port: number }, roundTripMs: number): Promise<DelayProxy> {
  const oneWayMs = roundTripMs / 2;
  const open = new Set<Socket>();
  let sent = 0;
  const forward = (from: Socket, to: Socket) =>
    from.on('data', (chunk: Buffer) => {
      if (oneWayMs <= 0) to.write(chunk);
      else setTimeout(() => to.writable && to.write(chunk), oneWayMs);
    });
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    for (const s of [client, upstream]) {
      open.add(s);
      s.setNoDelay(true);
      s.on('error', drop).on('close', drop);
    }
    client.on('data', () => (sent += 1));
    forward(client, upstream);
    forward(upstream, client);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
  return {
    port,
    rewrite(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.href;
    },
    sent: () => sent,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
