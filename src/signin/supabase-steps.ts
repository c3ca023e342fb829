import type { Context } from 'koa';
import type { SignInSteps } from './shared-steps.js';
import type { SignInView } from './page.js';
import { createSettingsProbe, createSupabaseAuth, RequestStorage, type SupabaseAuth } from './supabase-client.js';
import { createSessionVerifier, type SupabaseSessionLike } from './verify-session.js';
import { describeSupabaseError } from './supabase-errors.js';
import { discardFlow, saveFlow, takeFlow, type PendingFlow } from './flow-store.js';

const FLOW_COOKIE = 'signin_flow';

/** What the Supabase routes share: clients, the flow cookie, session verification and error pages. */
export interface SupabaseSteps {
  steps: SignInSteps;
  client(storage?: RequestStorage): Promise<SupabaseAuth>;
  enabledProviders(): Promise<Record<string, boolean>>;
  /** Where Supabase sends the browser back: below the router's prefix, so the interaction cookie comes along. */
  callbackUrl(ctx: Context): string;
  startFlow(ctx: Context, flow: Omit<PendingFlow, 'storage' | 'boundTo'>, storage: RequestStorage, ttlSeconds: number): Promise<void>;
  /** The flow named by this browser's cookie (single use), and the cookie cleared. */
  takeFlow(ctx: Context): Promise<PendingFlow | undefined>;
  /** Verify the session, sign the person in, then revoke and forget the Supabase session. */
  finish(ctx: Context, auth: SupabaseAuth, session: SupabaseSessionLike, method: string): Promise<void>;
  /** Re-show the page with the plain-words version of a Supabase error. */
  fail(ctx: Context, error: unknown, view?: Partial<SignInView>): Promise<void>;
}

export function createSupabaseSteps(steps: SignInSteps): SupabaseSteps {
  const { config, store } = steps.deps;
  const verify = createSessionVerifier(config);
  const cookieOpts = (ctx: Context, maxAgeMs?: number) => ({
    signed: true,
    httpOnly: true,
    // Lax: the cookie must come back on the top-level redirect from Supabase (another site).
    sameSite: 'lax' as const,
    secure: ctx.secure,
    path: steps.opts.cookiePath(ctx),
    overwrite: true,
    ...(maxAgeMs ? { maxAge: maxAgeMs } : {}),
  });
  const clearCookie = (ctx: Context) => ctx.cookies.set(FLOW_COOKIE, '', { ...cookieOpts(ctx), maxAge: 0 });

  return {
    steps,
    client: (storage = new RequestStorage()) => createSupabaseAuth(config, storage),
    enabledProviders: createSettingsProbe(config),
    callbackUrl: (ctx) => `${config.BASE_URL}${steps.basePath(ctx)}/callback`,
    async startFlow(ctx, flow, storage, ttlSeconds) {
      const previous = ctx.cookies.get(FLOW_COOKIE, { signed: true });
      if (previous) await discardFlow(store, previous);
      const secret = await saveFlow(store, { ...flow, boundTo: steps.basePath(ctx), storage: storage.pkceEntries() }, ttlSeconds);
      ctx.cookies.set(FLOW_COOKIE, secret, cookieOpts(ctx, ttlSeconds * 1000));
    },
    async takeFlow(ctx) {
      const secret = ctx.cookies.get(FLOW_COOKIE, { signed: true });
      if (!secret) return undefined;
      clearCookie(ctx);
      const flow = await takeFlow(store, secret);
      return flow && flow.boundTo === steps.basePath(ctx) ? flow : undefined;
    },
    async finish(ctx, auth, session, method) {
      const person = await verify(session, auth);
      // The Supabase session has done its job (it proved who this is): revoke it so its refresh
      // token is worthless, and keep nothing of it. Best effort: sign-in does not depend on it.
      const { error } = await auth.admin.signOut(session.access_token, 'local');
      if (error) ctx.state.log?.debug({ code: error.code, status: error.status }, 'supabase session revoke failed');
      const secret = ctx.cookies.get(FLOW_COOKIE, { signed: true });
      if (secret) {
        await discardFlow(store, secret);
        clearCookie(ctx);
      }
      await steps.finish(ctx, { ...person, method });
    },
    async fail(ctx, error, view = {}) {
      const problem = describeSupabaseError(error);
      ctx.state.log?.info({ code: problem.code, status: (error as { status?: number })?.status }, 'supabase sign-in error');
      if (problem.status === 429) ctx.set('Retry-After', '60');
      await steps.show(ctx, { ...view, status: problem.status, error: problem.message });
    },
  };
}
