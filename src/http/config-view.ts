import Router from '@koa/router';
import { configSchema, SECRET_KEYS, type Config } from '../config/schema.js';
import { packageVersion } from '../package-root.js';
import type { Store } from '../store/store.js';
import { requireOperator } from './operator-auth.js';

export interface ConfigViewDeps {
  config: Config;
  store: Pick<Store, 'driver'>;
}

/** Values derived from the variables (not variables themselves) that an operator wants to see. */
const DERIVED = ['MCP_RESOURCE', 'isProduction'] as const;

/**
 * The effective configuration with every secret reduced to "set" / "unset": what an operator
 * needs to answer "is this instance configured the way I think?" without reading env files.
 * Resolved defaults are shown (e.g. BASE_URL when only PORT was given).
 */
export function describeConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const c = config as unknown as Record<string, unknown>;
  for (const key of Object.keys(configSchema.shape).sort()) {
    const value = c[key];
    const unset = value === undefined || (Array.isArray(value) && value.length === 0);
    out[key] = SECRET_KEYS.has(key) ? (unset ? 'unset' : 'set') : (value ?? null);
  }
  for (const key of DERIVED) out[key] = c[key];
  return out;
}

/** GET /config, behind the operator token (see operator-auth.ts). */
export function buildConfigViewRouter(deps: ConfigViewDeps): Router {
  const router = new Router();
  router.get('/config', requireOperator(deps.config, 'operator'), (ctx) => {
    ctx.body = {
      version: packageVersion(),
      node: process.version,
      store: deps.store.driver,
      settings: describeConfig(deps.config),
    };
  });
  return router;
}
