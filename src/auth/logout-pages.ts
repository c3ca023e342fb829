import type { Context } from 'koa';
import { html, SafeHtml, sendPage } from '../http/html.js';

type LogoutContext = Context & { oidc?: { params?: Record<string, unknown>; client?: { clientName?: string } } };

/**
 * oidc-provider's end-session pages in our page shell (CSP, frame-ancestors 'none', no caching).
 * The confirmation form posts to /logout/confirm, which may redirect to the client's
 * post_logout_redirect_uri: Chromium checks that redirect against `form-action`, so its origin is
 * allowed on this one page.
 */
export async function logoutSource(ctx: LogoutContext, form: string): Promise<void> {
  const target = URL.parse(String(ctx.oidc?.params?.post_logout_redirect_uri ?? ''));
  const formAction = target && /^https?:$/.test(target.protocol) ? [target.origin] : [];
  sendPage(ctx, {
    title: 'Sign out',
    formAction,
    // `form` is oidc-provider's own markup (an empty form with its CSRF field), not user input.
    body: html`<div class="card"><h1>Sign out of Intervals MCP?</h1>${new SafeHtml(form)}
  <div class="row">
    <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
    <button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>
  </div></div>`,
  });
}

export async function postLogoutSuccessSource(ctx: LogoutContext): Promise<void> {
  sendPage(ctx, {
    title: 'Signed out',
    body: html`<div class="card"><h1>You are signed out</h1><p>Apps you connected keep working until you revoke them on your account page.</p></div>`,
  });
}
