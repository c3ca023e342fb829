import type { Config } from '../config/schema.js';

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
