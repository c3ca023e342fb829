import type { Context } from 'koa';
import { html, sendPage, type SafeHtml } from '../http/html.js';
import { providerLabel } from './providers.js';

/**
 * What the sign-in page shows. `dev` is the local development sign-in (no SUPABASE_URL, never in
 * production); `supabase` offers the configured providers, email + password and an emailed code.
 */
export interface SignInView {
  mode: 'dev' | 'supabase';
  /** The router's resolved prefix, e.g. `/interaction/abc/signin`: every form posts below it. */
  basePath: string;
  csrf: SafeHtml;
  heading: string;
  detail?: string;
  providers: readonly string[];
  /** What the person typed, shown again after an error. Never a password. */
  email?: string;
  error?: string;
  notice?: string;
  /** `code`: a one-time code was emailed, so the page asks for it. */
  step?: 'start' | 'code';
  status?: number;
}

export function renderSignInPage(ctx: Context, view: SignInView): void {
  const body = html`<div class="card">
    <h1>${view.heading}</h1>
    ${view.detail ? html`<p class="muted">${view.detail}</p>` : ''}
    ${view.error ? html`<p class="error" role="alert" id="signin-error">${view.error}</p>` : ''}
    ${view.notice ? html`<p class="notice" role="status" id="signin-notice">${view.notice}</p>` : ''}
    ${view.mode === 'dev' ? devForm(view) : view.step === 'code' ? codeForm(view) : supabaseForms(view)}
  </div>`;
  sendPage(ctx, { title: 'Sign in', body, status: view.status ?? 200 });
}

function devForm(v: SignInView): SafeHtml {
  return html`<section class="dev" aria-labelledby="dev-heading" style="padding:1rem;border-radius:8px">
    <h2 id="dev-heading">Local development sign-in</h2>
    <p>This server has no <code>SUPABASE_URL</code>, so it signs you in with any email address and no
    password. It exists for local development only and is never offered in production.</p>
    <form method="post" action="${v.basePath}/dev">
      ${v.csrf}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${v.email ?? ''}">
      <button type="submit">Sign in (development)</button>
    </form>
  </section>`;
}

function supabaseForms(v: SignInView): SafeHtml {
  const providers = v.providers.map(
    (p) => html`<p><a class="button secondary" href="${v.basePath}/provider/${p}">Continue with ${providerLabel(p)}</a></p>`,
  );
  return html`${v.providers.length > 0 ? html`<nav aria-label="Sign in with another account">${providers}</nav><h2>Or use your email</h2>` : ''}
    <form method="post" action="${v.basePath}/password">
      ${v.csrf}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${v.email ?? ''}">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" maxlength="256" aria-describedby="password-help">
      <p class="muted" id="password-help">No password? Leave it empty and choose “Email me a code”.</p>
      <div class="row">
        <button type="submit">Sign in</button>
        <button type="submit" class="secondary" formaction="${v.basePath}/signup">Create account</button>
        <button type="submit" class="secondary" formaction="${v.basePath}/otp" formnovalidate>Email me a code</button>
      </div>
    </form>`;
}

function codeForm(v: SignInView): SafeHtml {
  return html`<form method="post" action="${v.basePath}/otp/verify">
      ${v.csrf}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${v.email ?? ''}">
      <label for="code">Code</label>
      <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength="10" pattern="[0-9]{6,10}" aria-describedby="code-help">
      <p class="muted" id="code-help">The 6-digit code from the email we just sent.</p>
      <div class="row">
        <button type="submit">Verify</button>
        <button type="submit" class="secondary" formaction="${v.basePath}/otp" formnovalidate>Send a new code</button>
      </div>
    </form>
    <p><a href="${v.basePath}">Use another way to sign in</a></p>`;
}
