import { StartupError } from '../errors.js';
import type { Store } from './store.js';

/**
 * The first query at start-up, so a DATABASE_URL that cannot be used stops the process with a
 * message that names the variable and says what to check, instead of node-postgres's
 * "connect ECONNREFUSED 127.0.0.1:1" from somewhere inside the migrations. Never the password.
 */
const REASONS: [RegExp, string][] = [
  [/^ECONNREFUSED$/, 'nothing accepts connections there (connection refused): is PostgreSQL running, and are the host and port right?'],
  [/^(ENOTFOUND|EAI_AGAIN)$/, 'the host name does not resolve: check the host part of DATABASE_URL.'],
  [
    /^(ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/,
    'the host does not answer (timed out): check the host and port, and any firewall between here and the database.',
  ],
  [/^28P01$|^28000$/, 'PostgreSQL refused the user name or password in DATABASE_URL.'],
  [/^3D000$/, 'the database named in DATABASE_URL does not exist on that server: create it, or fix the name after the last "/".'],
];

function codeOf(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string') return e.code;
    e = (e.cause ?? e.errors?.[0]) as typeof e;
  }
  return undefined;
}

function where(url: string): string {
  const u = URL.parse(url);
  if (!u) return 'the server in DATABASE_URL';
  return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? ` database ${decodeURIComponent(u.pathname.slice(1))}` : ''}`;
}

export async function checkDatabaseReachable(store: Store, url: string): Promise<void> {
  try {
    await store.ping();
  } catch (err) {
    await store.close().catch(() => undefined);
    const code = codeOf(err);
    const reason = REASONS.find(([re]) => code !== undefined && re.test(code))?.[1] ?? `the connection failed${code ? ` (${code})` : ''}.`;
    throw new StartupError(
      'DATABASE_URL',
      `Cannot use the PostgreSQL database in DATABASE_URL (${where(url)}): ${reason}${code ? ` [${code}]` : ''} ` +
        'Fix DATABASE_URL (postgres://user:password@host:5432/dbname), or unset it to use the embedded database under DATA_DIR.',
      { cause: err },
    );
  }
}
