import type { Context, Middleware } from 'koa';
import { html, SafeHtml, sendPage, setPageHeaders } from '../http/html.js';
import { explainOAuthError } from './error-words.js';

/**
 * The HTML oidc-provider renders itself carries the same security headers as our pages. The
 * end-session pages are ours (sendPage). The auto-submitting form_post pages (authorization
 * responses with response_mode=form_post, /logout without a session) are the provider's: it
 * appends its inline script's hash to a script-src that is already set, so the headers are set
 * before it runs, with form-action allowing the one target the request names (the provider
 * renders nothing with it unless it validated it against the client's registration).
 */
export const providerPageHeaders: Middleware = async (ctx, next) => {
  const targets = ['redirect_uri', 'post_logout_redirect_uri']
    .map((name) => ctx.query[name])
    .filter((v): v is string => typeof v === 'string')
    .map((u) => URL.parse(u)?.origin)
    .filter((o): o is string => o !== undefined && o !== 'null');
  // Caching stays the provider's business (it sends no-store where the specs require it).
  setPageHeaders(ctx, { formAction: targets, cacheControl: false });
  await next();
  // JSON answers (discovery, JWKS, tokens) do not need page headers; the provider sets none of these.
  if (!ctx.response.is('html')) for (const h of PAGE_HEADERS) ctx.remove(h);
};

const PAGE_HEADERS = ['Content-Security-Policy', 'X-Frame-Options', 'Referrer-Policy'];

/**
 * oidc-provider's end-session pages (GET /logout and after it), through sendPage. No script: the
 * buttons submit the provider's own form through the `form` attribute.
 */
type OidcContext = Context & {
  oidc?: { provider?: { issuer: string }; params?: Record<string, unknown>; client?: { clientName?: string; clientId: string } };
};

export async function logoutSource(ctx: Context, form: string): Promise<void> {
  const c = ctx as OidcContext;
  // Confirming redirects on to the client's post_logout_redirect_uri; Chromium applies form-action to
  // that redirect too (a redirect after a form post must match it), so allow exactly its origin.
  const target = c.oidc?.params?.post_logout_redirect_uri;
  const origin = typeof target === 'string' ? URL.parse(target)?.origin : undefined;
  // The issuer's host, not the request's: the page names the service as configured (ISSUER_URL).
  const here = c.oidc?.provider ? new URL(c.oidc.provider.issuer).host : ctx.host;
  sendPage(ctx, {
    title: 'Sign out',
    formAction: origin && origin !== 'null' ? [origin] : [],
    body: html`<div class="card"><h1>Sign out of ${here}?</h1>
      <p class="muted">This ends your sign-in here. Apps you connected keep their access until you revoke it on your account page.</p>
      ${new SafeHtml(form)}
      <div class="row">
        <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
        <button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button>
      </div></div>`,
  });
}

export async function postLogoutSuccessSource(ctx: Context): Promise<void> {
  const client = (ctx as OidcContext).oidc?.client;
  const name = client?.clientName ?? client?.clientId;
  sendPage(ctx, {
    title: 'Signed out',
    body: html`<div class="card"><h1>You are signed out</h1><p>${name ? html`Your sign-out from ${name} was successful.` : 'Your sign-out was successful.'} You can close this page.</p></div>`,
  });
}

/**
 * oidc-provider's renderError: shown when the error cannot be sent back to the client (bad
 * client_id or redirect_uri), so it never redirects and never shows internals. The page says what
 * went wrong and what to do in plain words, and keeps the spec's `error` code, visible and as
 * `data-error`, for the app's developer.
 */
export function renderOAuthErrorPage(ctx: Context, out: { error?: string; error_description?: string }): void {
  const status = ctx.status >= 400 ? ctx.status : 400;
  const code = out.error ?? 'server_error';
  const words =
    code === 'temporarily_unavailable'
      ? {
          title: 'Temporarily unavailable',
          what: 'This service cannot reach its database right now. Go back to the app you were connecting and try again in a minute.',
          todo: 'Nothing is lost: start the connection again from your app in a minute.',
        }
      : status >= 500
        ? {
            title: 'Something went wrong on our side',
            what: 'This service failed while handling the request; it has been logged.',
            todo: 'Go back to the app you were connecting and try again in a minute.',
          }
        : explainOAuthError(code, out.error_description);
  sendPage(ctx, {
    title: words.title,
    status,
    body: html`<div class="card" data-error="${code}"><h1>${words.title}</h1>
      <p class="error" role="alert">${words.what}</p>
      <h2>What to do</h2><p>${words.todo}</p>
      <p class="muted">For the app's developer: OAuth error <code id="oauth-error-code">${code}</code>.</p></div>`,
  });
}
