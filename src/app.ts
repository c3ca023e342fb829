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
  isShuttingDown: () => boolean;
  /** The process's one MCP server and the scope each tool needs (tool registry); tests may pass their own. */
  mcp?: McpBinding;
}

/** Composition root: wires the parts together in order; no logic of its own (STYLE rule 1). */
export async function buildApp(deps: AppDeps): Promise<Koa> {
  // Behind Fly's proxy: X-Forwarded-* only with TRUST_PROXY, and only the address the proxy itself
  // appended to X-Forwarded-For (maxIpsCount 1): earlier entries come from the client and can be forged.
  const app = new Koa({ proxy: deps.config.TRUST_PROXY, maxIpsCount: 1, keys: [...deps.secrets.cookieKeys] });
  app.silent = true; // errors are logged once, by requestContext, through the redacting logger

  app.use(requestContext(deps.logger));
  app.use(secureCookies(deps.config.isProduction));
  app.use(buildResourceServer(deps));
  const health = buildHealthRouter(deps);
  app.use(health.routes()).use(health.allowedMethods());
  app.use(buildConfigViewRouter(deps).routes());
  app.use(buildLandingRouter(deps.config).routes());
  const auth = await buildAuthorizationServer(deps);
  mountAccounts(app, deps, auth.interactions);
  app.use(auth.middleware);
  return app;
}
