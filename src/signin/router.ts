import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import { checkCsrf } from '../http/csrf.js';
import { sendErrorPage } from '../http/html.js';
import { AppError, isAppError } from '../errors.js';
import { createRateLimiter } from '../limits/rate-limit.js';
import { createSignInSteps, type SignInDeps, type SignInOptions, type SignInSteps, type SignInRoutes } from './shared-steps.js';
import { registerDevRoutes } from './dev-routes.js';
import { createSupabaseSteps } from './supabase-steps.js';
import { registerEmailRoutes } from './email-routes.js';
import { registerProviderRoutes } from './provider-routes.js';

export type { VerifiedPerson, SignInDeps, SignInOptions } from './shared-steps.js';

const DEFAULT_LIMIT = { max: 30, windowMs: 10 * 60_000 };

/**
 * The sign-in pages, mounted by the authorization server under `/interaction/:uid/signin` and by
 * the account pages under `/account/signin`. Routes (below the prefix): GET '' (the page),
 * POST /password, /signup, /otp, /otp/verify, GET /provider/:provider, /callback, and POST /dev
 * (local development sign-in, only without SUPABASE_URL and never in production).
 */
export function buildSignInRouter(deps: SignInDeps, opts: SignInOptions): Router {
  if (!deps.config.SUPABASE_URL && deps.config.isProduction) {
    // loadConfig refuses this already; a second line of defence keeps the dev sign-in out of production.
    throw new AppError('signin_unconfigured', 'SUPABASE_URL is required in production', 500);
  }
  const { max, windowMs } = opts.rateLimit ?? DEFAULT_LIMIT;
  // One budget per address for every sign-in page (OAuth and account), kept in the store so all
  // instances share it; the window rolls in tenths.
  const limiter = createRateLimiter(deps.store, {
    name: 'signin',
    limit: max,
    windowMs,
    bucketMs: Math.max(1000, Math.round(windowMs / 10)),
  });
  const steps = createSignInSteps(deps, opts, limiter);
  const router = new Router({ prefix: opts.prefix });
  // Declared once, in order, for every route: pages for errors, the surrounding
  // flow's guard, and for POSTs the form body, CSRF and the per-IP limit.
  const before = [showErrorsAsPages, guard(opts)];
  const parse = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const routes: SignInRoutes = {
    get: (path, handler) => void router.get(path, ...before, handler),
    post: (path, handler) => void router.post(path, ...before, parse, checkPost(steps), handler),
  };

  routes.get('/', (ctx) => steps.show(ctx, {}));
  if (steps.mode === 'dev') registerDevRoutes(routes, steps);
  else {
    const supabase = createSupabaseSteps(steps);
    registerEmailRoutes(routes, supabase);
    registerProviderRoutes(routes, supabase);
  }
  return router;
}

/** People get a plain page, never JSON or a stack trace; anything unexpected goes to the app's mapper. */
async function showErrorsAsPages(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (err) {
    if (isAppError(err) && err.expose) {
      return sendErrorPage(ctx, err.status, err.status === 403 ? 'Sign-in refused' : 'Sign-in unavailable', err.message);
    }
    // A body the parser refused (too large, malformed): http-errors marks those 4xx as exposable.
    const e = err as { status?: unknown; expose?: unknown };
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true) {
      return sendErrorPage(ctx, e.status, 'Form not accepted', 'This form could not be read. Go back, reload the page and try again.');
    }
    throw err;
  }
}

function guard(opts: SignInOptions) {
  return async (ctx: Context, next: Next) => {
    if (opts.guard) await opts.guard(ctx);
    await next();
  };
}

/** Every POST: same-site form (CSRF) first, then the per-IP limit, so forged posts do not burn the budget. */
function checkPost(steps: SignInSteps) {
  return async (ctx: Context, next: Next) => {
    checkCsrf(ctx, ctx.request.body as Record<string, unknown> | undefined);
    if (await steps.overLimit(ctx)) return;
    await next();
  };
}
