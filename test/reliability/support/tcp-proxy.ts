import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy we can cut and restore, standing between a service and the machine's shared
 * PostgreSQL: cutting it drops every open connection mid-stream and refuses new ones
 * (ECONNREFUSED), which is what clients see when the database server restarts — without
 * touching the server everyone else's tests use.
 */
export interface TcpProxy {
  port: number;
  /** `url` with its host:port replaced by the proxy's. */
  rewrite(url: string): string;
  /** Drop all connections and stop accepting (the server "goes away"). */
  cut(): Promise<void>;
  /** Accept and forward again on the same port. */
  restore(): Promise<void>;
  /**
   * Send connections to another port from now on (a load balancer switching instances). Open
   * keep-alive connections are dropped too, so the next request really lands on the new target.
   */
  retarget(port: number): Promise<void>;
  /** Connections forwarded so far. */
  accepted(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(initial: { host: string; port: number }): Promise<TcpProxy> {
  const target = { ...initial };
  const open = new Set<Socket>();
  let accepted = 0;
  const onConnection = (client: Socket) => {
    accepted += 1;
    const upstream = connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  };
  let server: Server = createServer(onConnection);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  const port = await listen(0);
  let listening = true;
  const stop = async () => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of open) s.destroy();
    open.clear();
    await closed;
  };
  return {
    port,
    rewrite(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.href;
    },
    cut: stop,
    async restore() {
      if (listening) return;
      server = createServer(onConnection);
      // The port was ours a moment ago; retry briefly in case the kernel has not released it.
      for (let attempt = 0; ; attempt++) {
        try {
          await listen(port);
          break;
        } catch (err) {
          if (attempt >= 20) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      listening = true;
    },
    async retarget(p: number) {
      target.port = p;
      for (const sock of open) sock.destroy();
      open.clear();
      // Give clients a moment to see their pooled connections close before the next request.
      await new Promise((r) => setTimeout(r, 50));
    },
    accepted: () => accepted,
    close: stop,
  };
}
