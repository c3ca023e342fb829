import type { SignInSteps, SignInRoutes } from './shared-steps.js';
import { devPersonId, normaliseEmail } from './dev-identity.js';

/**
 * The local development sign-in: any email, no password, a stable id derived from the address.
 * Registered only when SUPABASE_URL is unset and the service is not in production.
 */
export function registerDevRoutes(routes: SignInRoutes, steps: SignInSteps): void {
  routes.post('/dev', async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const email = normaliseEmail(body.email);
    if (!email) {
      return steps.show(ctx, {
        status: 400,
        email: typeof body.email === 'string' ? body.email : '',
        error: 'Enter an email address such as you@example.com.',
      });
    }
    await steps.finish(ctx, { id: devPersonId(email), email: email.toLowerCase(), method: 'dev' });
  });
}
