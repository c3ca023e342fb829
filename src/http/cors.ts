import type { Middleware } from 'koa';

export interface CorsRule {
  /** Path prefix the rule covers. */
  prefix: string;
  methods: readonly string[];
  /** Echo this Origin back (credential-free, so `*` would do; echoing keeps Vary honest), or `*` for public documents. */
  origin: (origin: string) => string | undefined;
}

/** What browser-based MCP clients must be able to send and read: the MCP headers, auth, and SSE resumption. */
const ALLOW_HEADERS =
  'Authorization, X-API-Key, Content-Type, Accept, MCP-Protocol-Version, Mcp-Session-Id, Mcp-Method, Mcp-Name, Last-Event-ID';
const EXPOSE_HEADERS = 'WWW-Authenticate, MCP-Protocol-Version, Mcp-Session-Id, RateLimit, RateLimit-Policy, Retry-After, X-Request-Id';

/**
 * CORS for browser clients: answers preflights and decorates responses on the covered paths.
 * No credentials are ever allowed: /mcp is bearer-only, never cookie-authenticated.
 */
export function cors(rules: readonly CorsRule[]): Middleware {
  return async (ctx, next) => {
    const origin = ctx.get('origin');
    const rule = origin ? rules.find((r) => ctx.path === r.prefix || ctx.path.startsWith(`${r.prefix}/`)) : undefined;
    if (!rule) return next();
    const allowed = rule.origin(origin);
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method')) {
      if (!allowed) {
        ctx.status = 403;
        return;
      }
      ctx.set({
        'Access-Control-Allow-Origin': allowed,
        'Access-Control-Allow-Methods': rule.methods.join(', '),
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
      ctx.status = 204;
      return;
    }
    if (allowed) {
      ctx.set({ 'Access-Control-Allow-Origin': allowed, 'Access-Control-Expose-Headers': EXPOSE_HEADERS });
      ctx.vary('Origin');
    }
    await next();
  };
}
