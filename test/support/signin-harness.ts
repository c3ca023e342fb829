import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import Koa from 'koa';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/logger.js';
import { requestContext } from '../../src/http/request-context.js';
import type { Store } from '../../src/store/store.js';
import { AppError } from '../../src/errors.js';
import { upsertAccount } from '../../src/accounts/account-store.js';
import { buildSignInRouter, type VerifiedPerson, type SignInOptions } from '../../src/signin/router.js';
import { createTestDatabase, type TestDatabase } from './store.js';
import { freePort } from './process.js';

/**
 * How long a beforeAll that starts harnesses may take: a fresh PGlite database plus migrations can
 * take most of a minute on a loaded two-core machine.
 */
export const HARNESS_START_MS = 180_000;

export interface SignInHarness {
  url: string;
  store: Store;
  /** Every person the router handed to onSignedIn, in order. */
  signedIn: VerifiedPerson[];
  logs: () => string;
  close(): Promise<void>;
}

/**
 * A minimal Koa app around the real sign-in router, mounted the two ways the product mounts it:
 * `/interaction/:uid/signin` (uid `expired` makes the guard refuse, like a vanished interaction)
 * and `/account/signin`. onSignedIn records the person and redirects to `<cookiePath>/done`.
 */
export async function startSignInHarness(env: Record<string, string> = {}, extra: Partial<SignInOptions> = {}): Promise<SignInHarness> {
  const db: TestDatabase = await createTestDatabase();
  const store = await db.openMigrated();
  let logs = '';
  const logger = createLogger('debug', new Writable({ write: (c, _e, cb) => ((logs += c.toString()), cb()) }));
  // The callback URL Supabase returns to is built from BASE_URL, so the port is chosen up front.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const config = loadConfig({ NODE_ENV: 'test', PORT: String(port), BASE_URL: `http://127.0.0.1:${port}`, ...env });
  const signedIn: VerifiedPerson[] = [];
  const onSignedIn: SignInOptions['onSignedIn'] = async (ctx, person) => {
    signedIn.push(person);
    ctx.redirect(`${ctx.state.cookiePath}/done`);
  };
  const deps = { config, store, logger, upsertAccount: (person: { id: string; email: string | null }) => upsertAccount(store, person) };
  // Every test request comes from 127.0.0.1: the per-IP limit gets its own test (rateLimit in `extra`).
  extra = { rateLimit: { max: 10_000, windowMs: 60_000 }, ...extra };
  const interaction = buildSignInRouter(deps, {
    prefix: '/interaction/:uid/signin',
    cookiePath: (ctx) => (ctx.state.cookiePath = `/interaction/${ctx.params.uid}`),
    describe: async () => ({ heading: 'Sign in to continue to Test Client', detail: 'Test Client wants to use your Intervals.icu data.' }),
    guard: async (ctx) => {
      if (ctx.params.uid === 'expired')
        throw new AppError('interaction_expired', 'This sign-in link has expired. Go back to your app and connect again.', 400);
    },
    onSignedIn: async (ctx, p) => ((ctx.state.cookiePath = `/interaction/${ctx.params.uid}`), onSignedIn(ctx, p)),
    ...extra,
  });
  const account = buildSignInRouter(deps, {
    prefix: '/account/signin',
    cookiePath: () => '/account',
    onSignedIn: async (ctx, p) => ((ctx.state.cookiePath = '/account'), onSignedIn(ctx, p)),
    ...extra,
  });
  const app = new Koa({ keys: ['signin-harness-cookie-key-0123456789abcdef'] });
  app.silent = true;
  app.use(requestContext(logger));
  app.use(interaction.routes()).use(interaction.allowedMethods());
  app.use(account.routes()).use(account.allowedMethods());
  app.use(async (ctx, next) => {
    if (!ctx.path.endsWith('/done')) return next();
    ctx.type = 'text/html';
    ctx.body = `<!doctype html><title>Done</title><p>Signed in as ${signedIn.at(-1)?.email ?? '?'}</p>`;
  });
  const server: Server = app.listen(port, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    signedIn,
    logs: () => logs,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
      await db.drop();
    },
  };
}
