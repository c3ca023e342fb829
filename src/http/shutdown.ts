import type { Server } from 'node:http';

/**
 * Graceful stop: refuse new connections, let in-flight requests finish (up to `timeoutMs`),
 * close idle keep-alive sockets so clients reconnect elsewhere, then force-close what is left.
 * Resolves `true` when everything drained in time.
 */
export async function closeServer(server: Server, timeoutMs: number): Promise<boolean> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive sockets with no request in progress would hold close() open; end them now.
  server.closeIdleConnections();
  // A request finishing leaves its socket idle: close it as soon as it is.
  const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    closed.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearInterval(idleSweep);
  clearTimeout(timer);
  if (!drained) server.closeAllConnections();
  return drained;
}
