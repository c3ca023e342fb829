import Router from '@koa/router';
import type { Config } from '../config/schema.js';
import { READ_SCOPE, WRITE_SCOPE } from '../mcp/context.js';

export const PRM_PATH = '/.well-known/oauth-protected-resource';

/** The path-inserted metadata URL (RFC 9728 §3.1) that every challenge points at. */
export function resourceMetadataUrl(config: Config): string {
  return `${config.BASE_URL}${PRM_PATH}${new URL(config.MCP_RESOURCE).pathname}`;
}

/** RFC 9728 Protected Resource Metadata for BASE_URL/mcp. */
export function protectedResourceMetadata(config: Config) {
  return {
    resource: config.MCP_RESOURCE,
    // Byte-identical to the AS issuer: clients compare it with the discovered metadata's `issuer`.
    authorization_servers: [config.ISSUER_URL],
    // No offline_access here (MCP 2026-07-28 authorization: RS SHOULD NOT advertise it).
    scopes_supported: [READ_SCOPE, WRITE_SCOPE],
    bearer_methods_supported: ['header'],
    resource_name: 'Intervals.icu MCP',
    resource_documentation: `${config.BASE_URL}/`,
  };
}

/**
 * Serves the document at the path-inserted URL and, for clients that probe the root first, at the
 * root too. Public and cacheable: it holds nothing per person.
 */
export function buildPrmRouter(config: Config): Router {
  const body = JSON.stringify(protectedResourceMetadata(config));
  const router = new Router();
  router.get([`${PRM_PATH}${new URL(config.MCP_RESOURCE).pathname}`, PRM_PATH], (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.type = 'application/json';
    ctx.body = body;
  });
  return router;
}
