import type { Middleware } from 'koa';
import type { Config } from '../config/schema.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * True when `origin` is on the allow-list. An entry without a port ("http://localhost") allows every
 * port of that host, which is what local tools (Inspector, dev web apps) need; BASE_URL's own
 * origin is always allowed.
 */
export function originAllowed(config: Config, origin: string): boolean {
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false; // includes "null" (sandboxed frames, file://)
  }
  if (o.origin === new URL(config.BASE_URL).origin) return true;
  return config.ALLOWED_ORIGINS.some((entry) => {
    const a = new URL(entry);
    if (a.protocol !== o.protocol || a.hostname !== o.hostname) return false;
    return a.port === '' || a.port === o.port;
  });
}

/** True when the Host header names this service (DNS-rebinding protection). */
export function hostAllowed(config: Config, host: string): boolean {
  const base = new URL(config.BASE_URL);
  if (host === base.host) return true;
  // Outside production a loopback BASE_URL also answers to the other loopback names on its port
  // (localhost vs 127.0.0.1): a rebinding attack always arrives under the attacker's hostname.
  if (config.isProduction || !LOOPBACK_HOSTS.has(base.hostname)) return false;
  const m = /^(.*?)(?::(\d+))?$/.exec(host);
  return m !== null && LOOPBACK_HOSTS.has(m[1] ?? '') && (m[2] ?? '') === base.port;
}

/**
 * MCP transport security (Streamable HTTP): a present Origin outside ALLOWED_ORIGINS → 403; a Host
 * other than BASE_URL's → 403. Requests without Origin (server-side clients, CLIs) pass.
 */
export function originHostGuard(config: Config): Middleware {
  return async (ctx, next) => {
    const origin = ctx.get('origin');
    const refuse = (what: string) => {
      ctx.status = 403;
      ctx.body = { error: 'forbidden', error_description: what };
    };
    if (!hostAllowed(config, ctx.host)) return refuse('The Host header does not name this server.');
    if (origin && !originAllowed(config, origin))
      return refuse('Requests from this Origin are not allowed; ask the operator to add it to ALLOWED_ORIGINS.');
    await next();
  };
}
