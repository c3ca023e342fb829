import type { Middleware } from 'koa';

/**
 * Production guardrail: every cookie is `Secure`, whatever the code setting it passed and whatever
 * the last hop looked like. Behind Fly's proxy the hop to the machine is plain http; with
 * TRUST_PROXY the proxy's `X-Forwarded-Proto: https` already makes `ctx.secure` true, but a
 * misconfigured proxy setting must not silently send session cookies without `Secure`.
 * (The cookies library refuses `secure: true` on a connection it thinks is plain; telling it the
 * connection is secure is right here because the public origin is https — the schema insists.)
 */
export function secureCookies(isProduction: boolean): Middleware {
  return async (ctx, next) => {
    if (isProduction) {
      const cookies = ctx.cookies as typeof ctx.cookies & { secure?: boolean };
      cookies.secure = true;
      const set = cookies.set.bind(cookies);
      cookies.set = ((name: string, value?: string | null, opts?: Record<string, unknown>) =>
        set(name, value, { ...opts, secure: true })) as typeof cookies.set;
    }
    return next();
  };
}
