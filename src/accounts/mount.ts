import type Koa from 'koa';
import type { Config } from '../config/schema.js';
import { createSecretBox } from '../crypto/secret-box.js';
import type { Logger } from '../logger.js';
import type { Secrets } from '../store/app-secrets.js';
import type { Store } from '../store/store.js';
import { buildSignInRouter } from '../signin/router.js';
import { upsertAccount } from './account-store.js';
import { buildAccountRouter } from './account-routes.js';
import { buildInteractionLinkRouter, type InteractionReader } from './interaction-link-routes.js';
import type { AccountsDeps } from './link-actions.js';
import { SESSION_PATH, startAccountSession, sweepExpiredSessions } from './sessions.js';

export interface MountAccountsDeps {
  config: Config;
  secrets: Secrets;
  store: Store;
  logger: Logger;
}

/**
 * Mounts the accounts part: the account page (/account, signed in through the shared sign-in
 * router at /account/signin) and, when the authorization server is present, the link step of
 * the OAuth sign-in (/interaction/:uid/link).
 */
export function mountAccounts(app: Koa, deps: MountAccountsDeps, interactions?: InteractionReader): void {
  const accounts: AccountsDeps = { config: deps.config, store: deps.store, logger: deps.logger, box: createSecretBox(deps.secrets) };
  const upsert = (person: { id: string; email: string | null }) => upsertAccount(deps.store, person);
  const signIn = buildSignInRouter(
    { ...deps, upsertAccount: upsert },
    {
      prefix: `${SESSION_PATH}/signin`,
      cookiePath: () => SESSION_PATH,
      describe: async () => ({
        heading: 'Sign in to your account',
        detail: 'Manage your Intervals.icu link, the apps you authorized and your access tokens.',
      }),
      onSignedIn: async (ctx, person) => {
        await sweepExpiredSessions(deps.store);
        await startAccountSession(ctx, deps.store, person.id, deps.config.isProduction);
        ctx.status = 303;
        ctx.redirect('/account');
      },
    },
  );
  const routers = [signIn, buildAccountRouter(accounts), ...(interactions ? [buildInteractionLinkRouter(accounts, interactions)] : [])];
  for (const r of routers) app.use(r.routes()).use(r.allowedMethods());
}
