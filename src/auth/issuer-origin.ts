import type { Middleware } from 'koa';

/**
 * oidc-provider builds every absolute URL it hands out (the discovery documents' endpoints, the
 * `returnTo` of an interaction, the sign-out form's action, the audience it checks client
 * assertions against) from `ctx.href`: the request's Host (or X-Forwarded-Host behind a trusted
 * proxy), its protocol, and an absolute-form request target if one was sent. Pinning `ctx.href`
 * to the configured issuer makes an instance reached as `localhost`, under an internal address or
 * with a forged Host publish the same documents as one reached at ISSUER_URL.
 */
export function pinIssuerOrigin(issuer: string): Middleware {
  const origin = new URL(issuer).origin;
  return (ctx, next) => {
    const target = new URL(ctx.originalUrl, origin);
    const href = `${origin}${target.pathname}${target.search}`;
    Object.defineProperty(ctx, 'href', { configurable: true, enumerable: true, get: () => href });
    return next();
  };
}
