import { createHash } from 'node:crypto';
import { realpathSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { StartupError } from '../errors.js';

/**
 * PGlite is one process's database: a second process on the same DATA_DIR would write the same
 * files and corrupt them, and PGlite does not stop it. A running instance therefore listens on a
 * Unix socket that stands for its data directory. The kernel closes the socket when the process
 * dies, so a crash leaves no lock behind to clean up (a pid file would, and pids get reused).
 * Linux: an abstract socket named after the directory's path (no file at all); elsewhere a
 * socket file inside the directory, removed when found dead.
 */
export interface DataDirLock {
  release(): Promise<void>;
}

const SOCKET_FILE = '.instance.lock.sock';
/** sun_path holds 108 bytes on Linux, 104 on macOS. */
const MAX_SOCKET_PATH = 100;

/** `dataDir` must exist: its real path (symlinks resolved) names the lock, so `./data` and a link to it are one. */
function socketPathFor(dataDir: string): { path: string; file?: string } {
  const absolute = realpathSync(resolve(dataDir));
  if (process.platform === 'linux') {
    return { path: `\0intervals-mcp-${createHash('sha256').update(absolute).digest('hex').slice(0, 40)}` };
  }
  const file = join(absolute, SOCKET_FILE);
  const rel = relative(process.cwd(), file);
  return { path: rel.length < file.length ? rel : file, file };
}

const listen = (server: Server, path: string) =>
  new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(path, () => {
      server.off('error', fail);
      ok();
    });
  });

/** True when a live process accepts connections on `path`. */
const someoneListens = (path: string) =>
  new Promise<boolean>((ok) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.destroy();
      ok(true);
    });
    socket.once('error', () => ok(false));
  });

function heldElsewhere(dataDir: string): StartupError {
  return new StartupError(
    'DATA_DIR',
    `Another intervals-mcp process is already running on the data directory ${dataDir} (DATA_DIR). ` +
      'The embedded database (PGlite) serves one process at a time. Stop the other process (or use it: it answers on its own PORT), ' +
      `or give this one its own directory, for example DATA_DIR=${dataDir.replace(/\/+$/, '')}-2. To run several instances on one database, set DATABASE_URL to a PostgreSQL server.`,
  );
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const { path, file } = socketPathFor(dataDir);
  if (path.length > MAX_SOCKET_PATH) {
    // Too long for a socket address (non-Linux, deep path): run unguarded rather than refuse to start.
    return { release: async () => undefined };
  }
  const server = createServer((socket) => socket.destroy());
  try {
    await listen(server, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    if (!file || (await someoneListens(path))) throw heldElsewhere(dataDir);
    unlinkSync(file); // a socket file left by a process that died
    await listen(server, path);
  }
  server.unref(); // the lock alone never keeps the process alive
  return {
    release: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
