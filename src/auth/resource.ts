import type { Config } from '../config/schema.js';

/** Scopes the MCP resource server understands; `intervals:read` is the default when none is asked. */
export const RS_SCOPES = ['intervals:read', 'intervals:write'] as const;
export const DEFAULT_SCOPE = 'intervals:read';
/** Everything the authorization server accepts (discovery `scopes_supported`). */
export const SUPPORTED_SCOPES = ['openid', 'offline_access', 'email', ...RS_SCOPES] as const;

/** Lower-case scheme and host, no fragment, query or trailing slash: the comparable form of a URL. */
function canonical(u: string): string | undefined {
  const parsed = URL.parse(u);
  if (!parsed || parsed.hash || parsed.search || parsed.username || parsed.password) return undefined;
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${parsed.host}${path}`; // URL already lower-cases scheme and host
}

/**
 * RFC 8707 resource indicators: every spelling a real client sends for our MCP endpoint
 * (`BASE_URL/mcp`, with a trailing slash, the bare origin, an upper-case host) names one resource,
 * and the token audience is always exactly `config.MCP_RESOURCE`. Anything else is foreign.
 */
export function buildResourceMatcher(config: Pick<Config, 'BASE_URL' | 'MCP_RESOURCE'>): (indicator: string) => boolean {
  const accepted = new Set([canonical(config.MCP_RESOURCE), canonical(config.BASE_URL)]);
  return (indicator) => {
    const c = canonical(indicator);
    return c !== undefined && accepted.has(c);
  };
}
