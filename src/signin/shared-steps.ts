import type { Context } from 'koa';
import { csrfField } from '../http/csrf.js';
import { AppError } from '../errors.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { renderSignInPage, type SignInView } from './page.js';
import { takeForIp } from '../limits/ip-limit.js';
import type { RateLimiter } from '../limits/rate-limit.js';

export interface VerifiedPerson {
  /** The Supabase user id (a UUID); for the development sign-in, a UUIDv5 of the email. */
  id: string;
  email: string | null;
  /** How the person proved who they are: `password`, `otp`, `oauth:github`, `dev`, … */
  method: string;
}

/** The account a verified person signs in to, as far as sign-in needs to know it. */
export interface SignedInAccount {
  id: string;
  disabled_at: Date | null;
}

export interface SignInDeps {
  config: Config;
  store: Store;
  logger: Logger;
  /**
   * Creates or refreshes the person's account row (accounts/account-store.ts upsertAccount). Passed
   * in so sign-in sits below accounts/ and auth/, the two places that mount it.
   */
  upsertAccount: (person: { id: string; email: string | null }) => Promise<SignedInAccount>;
}

export interface SignInOptions {
  /** koa-router path, may hold params: '/interaction/:uid/signin' | '/account/signin'. */
  prefix: string;
  /** Scope for this router's cookies, e.g. `/interaction/${ctx.params.uid}` or '/account'. */
  cookiePath: (ctx: Context) => string;
  describe?: (ctx: Context) => Promise<{ heading: string; detail?: string }>;
  /** Throws (AppError) when the surrounding flow is gone or expired; runs before every route. */
  guard?: (ctx: Context) => Promise<void>;
  /** Called with the accounts row already upserted; must respond (usually a redirect). */
  onSignedIn: (ctx: Context, person: VerifiedPerson) => Promise<void>;
  /** Per-IP limit on the sign-in POSTs, shared by all instances (windowMs at most an hour). Default: 30 per 10 minutes. */
  rateLimit?: { max: number; windowMs: number };
}

/** Registers a route below the prefix with the shared middleware (guard, body, CSRF, limit) in front. */
export interface SignInRoutes {
  get(path: string, handler: (ctx: Context) => Promise<void>): void;
  post(path: string, handler: (ctx: Context) => Promise<void>): void;
}

/** What every sign-in route shares: rendering the page, and finishing a verified sign-in. */
export interface SignInSteps {
  deps: SignInDeps;
  opts: SignInOptions;
  limiter: RateLimiter;
  mode: SignInView['mode'];
  /** The router's prefix with its params filled in, e.g. `/interaction/abc/signin`. */
  basePath(ctx: Context): string;
  show(ctx: Context, view: Partial<Omit<SignInView, 'mode' | 'basePath' | 'csrf' | 'heading' | 'detail'>>): Promise<void>;
  finish(ctx: Context, person: VerifiedPerson): Promise<void>;
  /** Counts an attempt from this address (store-backed); when over the limit, answers 429 with the page and returns true. */
  overLimit(ctx: Context): Promise<boolean>;
}

export function createSignInSteps(deps: SignInDeps, opts: SignInOptions, limiter: RateLimiter): SignInSteps {
  const mode: SignInView['mode'] = deps.config.SUPABASE_URL ? 'supabase' : 'dev';
  const basePath = (ctx: Context) =>
    opts.prefix.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(String(ctx.params?.[name] ?? '')));
  return {
    deps,
    opts,
    limiter,
    mode,
    basePath,
    async show(ctx, view) {
      const described = opts.describe ? await opts.describe(ctx) : { heading: 'Sign in' };
      renderSignInPage(ctx, {
        providers: deps.config.SUPABASE_AUTH_PROVIDERS,
        ...view,
        mode,
        basePath: basePath(ctx),
        csrf: csrfField(ctx, opts.cookiePath(ctx)),
        heading: described.heading,
        detail: described.detail,
      });
    },
    async overLimit(ctx) {
      const { allowed, retryAfterSeconds } = await takeForIp(limiter, ctx);
      if (allowed) return false;
      const minutes = Math.ceil(retryAfterSeconds / 60);
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      await this.show(ctx, {
        status: 429,
        email: typeof body.email === 'string' ? body.email : undefined,
        error: `Too many sign-in attempts from your network. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
      });
      return true;
    },
    async finish(ctx, person) {
      const account = await deps.upsertAccount({ id: person.id, email: person.email });
      if (account.disabled_at !== null) {
        ctx.state.log?.info({ accountId: account.id, method: person.method }, 'sign-in refused: account disabled');
        throw new AppError(
          'account_disabled',
          'This account has been disabled. Contact the operator of this service if you think that is a mistake.',
          403,
        );
      }
      ctx.state.log?.info({ accountId: account.id, method: person.method }, 'signed in');
      await opts.onSignedIn(ctx, person);
    },
  };
}
