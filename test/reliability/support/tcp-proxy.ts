import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy we can cut, stall and restore, standing between a service and the machine's shared
 * PostgreSQL: cutting it drops every open connection mid-stream and refuses new ones
 * (ECONNREFUSED), which is what clients see when the database server restarts; stalling it keeps
 * every connection open and accepts new ones but forwards nothing, which is what they see when the
 * network partitions without a reset or the server freezes — without touching the server everyone
 * else's tests use.
 */
export interface TcpProxy {
  port: number;
  /** `url` with its host:port replaced by the proxy's. */
  rewrite(url: string): string;
  /** Drop all connections and stop accepting (the server "goes away"). */
  cut(): Promise<void>;
  /**
   * Stop forwarding bytes in either direction without closing anything: open connections stay
   * open and silent, new ones are accepted (the handshake completes) and then hear nothing.
   */
  stall(): Promise<void>;
  /** Accept and forward again on the same port (after a cut), or resume every held connection (after a stall). */
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
  /** One accepted connection; `upstream` is unset while a connection made during a stall is held. */
  interface Pair {
    client: Socket;
    upstream?: Socket;
    drop(): void;
  }
  const pairs = new Set<Pair>();
  let stalled = false;
  let accepted = 0;
  const flow = (pair: Pair) => {
    if (!pair.upstream) {
      const upstream = connect(target.port, target.host);
      pair.upstream = upstream;
      open.add(upstream);
      upstream.on('error', pair.drop).on('close', pair.drop);
    }
    pair.client.pipe(pair.upstream);
    pair.upstream.pipe(pair.client);
  };
  // Not reading is what keeps a socket silent: what arrives stays in the kernel's buffers (and is
  // delivered on restore), nothing is written, and neither side sees an end or a reset.
  const hold = (pair: Pair) => {
    pair.client.unpipe();
    pair.upstream?.unpipe();
    pair.client.pause();
    pair.upstream?.pause();
  };
  const onConnection = (client: Socket) => {
    accepted += 1;
    const pair: Pair = {
      client,
      drop: () => {
        client.destroy();
        pair.upstream?.destroy();
        open.delete(client);
        if (pair.upstream) open.delete(pair.upstream);
        pairs.delete(pair);
      },
    };
    pairs.add(pair);
    open.add(client);
    client.on('error', pair.drop).on('close', pair.drop);
    if (stalled) client.pause();
    else flow(pair);
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
    stalled = false;
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of open) s.destroy();
    open.clear();
    pairs.clear();
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
    async stall() {
      stalled = true;
      for (const pair of pairs) hold(pair);
    },
    async restore() {
      if (stalled) {
        stalled = false;
        for (const pair of pairs) flow(pair);
      }
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
      pairs.clear();
      // Give clients a moment to see their pooled connections close before the next request.
      await new Promise((r) => setTimeout(r, 50));
    },
    accepted: () => accepted,
    close: stop,
  };
}
