import type { SignInRoutes } from './shared-steps.js';
import type { SupabaseSteps } from './supabase-steps.js';
import { RequestStorage } from './supabase-client.js';
import { providerLabel } from './providers.js';
import { describeCallbackError } from './supabase-errors.js';

/** GoTrue keeps a provider flow state for 5 minutes; a little more here covers clock skew. */
const PROVIDER_FLOW_TTL_SECONDS = 10 * 60;

/**
 * "Continue with <Provider>": server-side PKCE. The verifier stays in our store, named by a
 * short-lived cookie scoped to the surrounding flow; Supabase returns the browser to `/callback`
 * below the prefix (for the OAuth server that is under /interaction/<uid>/, where oidc-provider's
 * interaction cookie is sent). `/callback` also finishes email confirmation and magic links.
 */
export function registerProviderRoutes(routes: SignInRoutes, supabase: SupabaseSteps): void {
  const { steps } = supabase;
  const offered = new Set(steps.deps.config.SUPABASE_AUTH_PROVIDERS);

  routes.get('/provider/:provider', async (ctx) => {
    const provider = String(ctx.params.provider);
    if (!offered.has(provider))
      return steps.show(ctx, { status: 404, error: 'That sign-in option is not offered here. Choose one of the options below.' });
    if (await steps.overLimit(ctx)) return;
    const label = providerLabel(provider);
    let enabled: Record<string, boolean>;
    try {
      enabled = await supabase.enabledProviders();
    } catch (err) {
      ctx.state.log?.warn({ err }, 'supabase settings unreachable');
      return steps.show(ctx, { status: 503, error: 'The sign-in service is not reachable right now. Try again in a minute.' });
    }
    if (enabled[provider] !== true) {
      ctx.state.log?.warn({ provider }, 'provider offered but not enabled in Supabase');
      return steps.show(ctx, { status: 503, error: `Signing in with ${label} is not available right now. Use another option below.` });
    }
    const storage = new RequestStorage();
    const { data, error } = await (
      await supabase.client(storage)
    ).signInWithOAuth({ provider: provider as never, options: { redirectTo: supabase.callbackUrl(ctx), skipBrowserRedirect: true } });
    if (error || !data.url) return supabase.fail(ctx, error);
    await supabase.startFlow(ctx, { kind: 'oauth', provider }, storage, PROVIDER_FLOW_TTL_SECONDS);
    ctx.status = 303;
    ctx.redirect(data.url);
  });

  routes.get('/callback', async (ctx) => {
    const flow = await supabase.takeFlow(ctx);
    const q = ctx.query as Record<string, string | string[] | undefined>;
    const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);
    const label = flow?.provider ? providerLabel(flow.provider) : undefined;
    const error = one(q.error);
    if (error) {
      const problem = describeCallbackError(error, one(q.error_code), label);
      ctx.state.log?.info({ code: problem.code }, 'supabase callback error');
      return steps.show(ctx, { status: problem.status, error: problem.message });
    }
    const code = one(q.code);
    if (!code) return steps.show(ctx, { status: 400, error: 'This sign-in attempt is incomplete. Choose an option below to start again.' });
    if (!flow) {
      // Typically an email confirmation link opened in another browser or after the attempt expired:
      // Supabase has confirmed the address already, but without this browser's verifier we cannot finish.
      return steps.show(ctx, {
        status: 400,
        notice:
          'We could not finish signing you in in this browser. If you just confirmed your email address, it is confirmed now: sign in below.',
      });
    }
    const auth = await supabase.client(new RequestStorage(flow.storage));
    const { data, error: exchangeError } = await auth.exchangeCodeForSession(code);
    if (exchangeError || !data.session) return supabase.fail(ctx, exchangeError);
    await supabase.finish(ctx, auth, data.session, flow.kind === 'oauth' ? `oauth:${flow.provider}` : 'email_link');
  });
}
