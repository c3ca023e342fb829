import type { Context } from 'koa';
import type { SignInRoutes } from './shared-steps.js';
import type { SupabaseSteps } from './supabase-steps.js';
import { RequestStorage } from './supabase-client.js';
import { normaliseEmail } from './dev-identity.js';

/** Email links (confirmation, magic link) may sit in an inbox a while; provider flows are quick. */
const EMAIL_FLOW_TTL_SECONDS = 60 * 60;

interface EmailForm {
  email?: string;
  /** What was typed, shown again after an error (never the password). */
  typed: string;
  password: string;
  code: string;
}

function readForm(ctx: Context): EmailForm {
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    email: normaliseEmail(body.email),
    typed: str(body.email).slice(0, 254),
    password: str(body.password),
    code: str(body.code).replace(/\s+/g, ''),
  };
}

const NEED_EMAIL = 'Enter your email address, such as you@example.com.';

/** Email + password (sign in, create account) and the emailed one-time code. */
export function registerEmailRoutes(routes: SignInRoutes, supabase: SupabaseSteps): void {
  const { steps } = supabase;

  routes.post('/password', async (ctx) => {
    const f = readForm(ctx);
    if (!f.email) return steps.show(ctx, { status: 400, email: f.typed, error: NEED_EMAIL });
    if (!f.password)
      return steps.show(ctx, {
        status: 400,
        email: f.typed,
        error: 'Enter your password, or choose “Email me a code” to sign in without one.',
      });
    const auth = await supabase.client();
    const { data, error } = await auth.signInWithPassword({ email: f.email, password: f.password });
    if (error || !data.session) return supabase.fail(ctx, error, { email: f.typed });
    await supabase.finish(ctx, auth, data.session, 'password');
  });

  routes.post('/signup', async (ctx) => {
    const f = readForm(ctx);
    if (!f.email) return steps.show(ctx, { status: 400, email: f.typed, error: NEED_EMAIL });
    if (!f.password)
      return steps.show(ctx, {
        status: 400,
        email: f.typed,
        error: 'Choose a password for your new account, then select “Create account”.',
      });
    const storage = new RequestStorage();
    const auth = await supabase.client(storage);
    const { data, error } = await auth.signUp({
      email: f.email,
      password: f.password,
      options: { emailRedirectTo: supabase.callbackUrl(ctx) },
    });
    if (error) return supabase.fail(ctx, error, { email: f.typed });
    if (data.session) return supabase.finish(ctx, auth, data.session, 'password'); // project confirms sign-ups automatically
    // Supabase answers the same way for a new address and an existing one (no account enumeration),
    // so the page does too. The confirmation link finishes sign-in when opened in this browser.
    await supabase.startFlow(ctx, { kind: 'email' }, storage, EMAIL_FLOW_TTL_SECONDS);
    await steps.show(ctx, {
      email: f.email,
      notice: `Check your inbox: if ${f.email} can be registered, we sent it a confirmation link. Open the link in this browser to finish signing in, or confirm and then sign in here with your password.`,
    });
  });

  routes.post('/otp', async (ctx) => {
    const f = readForm(ctx);
    if (!f.email) return steps.show(ctx, { status: 400, email: f.typed, error: NEED_EMAIL });
    const storage = new RequestStorage();
    const auth = await supabase.client(storage);
    const { error } = await auth.signInWithOtp({
      email: f.email,
      options: { shouldCreateUser: true, emailRedirectTo: supabase.callbackUrl(ctx) },
    });
    if (error) return supabase.fail(ctx, error, { email: f.typed });
    await supabase.startFlow(ctx, { kind: 'email' }, storage, EMAIL_FLOW_TTL_SECONDS);
    await steps.show(ctx, {
      step: 'code',
      email: f.email,
      notice: `We emailed a sign-in code to ${f.email}. Enter it below. (The email also has a link you can open in this browser instead.)`,
    });
  });

  routes.post('/otp/verify', async (ctx) => {
    const f = readForm(ctx);
    if (!f.email) return steps.show(ctx, { status: 400, step: 'code', email: f.typed, error: NEED_EMAIL });
    if (!/^\d{6,10}$/.test(f.code))
      return steps.show(ctx, { status: 400, step: 'code', email: f.email, error: 'Enter the 6-digit code from the email we sent you.' });
    const auth = await supabase.client();
    const { data, error } = await auth.verifyOtp({ email: f.email, token: f.code, type: 'email' });
    if (error || !data.session) return supabase.fail(ctx, error, { step: 'code', email: f.email });
    await supabase.finish(ctx, auth, data.session, 'otp');
  });
}
