import Koa from 'koa';
import type { Config } from './config/schema.js';
import type { Logger } from './logger.js';
import type { Secrets } from './store/app-secrets.js';
import type { Store } from './store/store.js';
import { requestContext } from './http/request-context.js';
import { buildHealthRouter } from './http/health.js';
import { buildConfigViewRouter } from './http/config-view.js';
import { secureCookies } from './http/secure-cookies.js';
import { buildLandingRouter } from './site/landing.js';
import { mountAccounts } from './accounts/mount.js';
import { buildAuthorizationServer } from './auth/index.js';
import { buildResourceServer, type McpBinding } from './resource/resource-server.js';

export interface AppDeps {
  config: Config;
  secrets: Secrets;
  store: Store;
  logger: Logger;
  expectedMigrations: readonly string[];
  /** What /mcp serves (the tool registry by default); tests may pass their own. */
  mcp?: McpBinding;
}

/** The wired application and the handles of everything in it that holds timers or subscriptions. */
export interface BuiltApp {
  koa: Koa;
  /** /ready answers 503 from now on and open SSE streams end (the first step of a graceful stop). */
  markStopping(): void;
  /** Closes every part's timers, subscriptions and in-flight SDK exchanges (after the listener drained). */
  close(): Promise<void>;
}

/** Composition root: wires the parts together in order; no logic of its own. */
export async function buildApp(deps: AppDeps): Promise<BuiltApp> {
  // Behind Fly's proxy: X-Forwarded-* only with TRUST_PROXY, and only the address the proxy itself
  // appended to X-Forwarded-For (maxIpsCount 1): earlier entries come from the client and can be forged.
  const app = new Koa({ proxy: deps.config.TRUST_PROXY, maxIpsCount: 1, keys: [...deps.secrets.cookieKeys] });
  app.silent = true; // errors are logged once, by requestContext, through the redacting logger

  app.use(requestContext(deps.logger));
  app.use(secureCookies(deps.config.isProduction));
  const resource = buildResourceServer(deps);
  app.use(resource);
  const health = buildHealthRouter(deps);
  app.use(health.router.routes()).use(health.router.allowedMethods());
  app.use(buildConfigViewRouter(deps).routes());
  app.use(buildLandingRouter(deps.config).routes());
  const auth = await buildAuthorizationServer(deps);
  mountAccounts(app, deps, auth.interactions);
  app.use(auth.middleware);
  return {
    koa: app,
    markStopping() {
      health.markStopping();
      void resource.endStreams();
    },
    async close() {
      await Promise.all([resource.close(), auth.close()]);
    },
  };
}
