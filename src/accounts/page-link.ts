import type { Context } from 'koa';
import { html, sendPage, type SafeHtml } from '../http/html.js';

/**
 * The "link your Intervals.icu account" form, shared by the sign-in flow and the account page.
 * The API key field is never refilled after an error (the key must not travel back in HTML);
 * the athlete ID is, so the person only fixes what was wrong.
 */
export interface LinkFormOptions {
  /** Where the API-key form posts. */
  action: string;
  csrf: SafeHtml;
  /** When set, also offer "Connect with Intervals.icu" (a link that starts the OAuth flow). */
  oauthStart?: string;
  error?: { message: string; field?: 'athlete_id' | 'api_key' };
  athleteId?: string;
  /** Label of the API-key button. */
  submitLabel?: string;
}

export function linkForm(opts: LinkFormOptions): SafeHtml {
  const err = opts.error;
  const invalid = (f: 'athlete_id' | 'api_key') => (err?.field === f ? html` aria-invalid="true" aria-describedby="link-error"` : html``);
  return html`
    ${err ? html`<p class="error" role="alert" id="link-error">${err.message}</p>` : ''}
    ${
      opts.oauthStart
        ? html`<p><a class="button" href="${opts.oauthStart}" id="connect-oauth">Connect with Intervals.icu</a></p>
          <p class="muted">The quickest way: sign in on Intervals.icu and choose there what this service may do. No key to copy.</p>
          <h3>Or use a personal API key</h3>`
        : ''
    }
    <form method="post" action="${opts.action}" autocomplete="off">
      ${opts.csrf}
      <label for="athlete_id">Athlete ID</label>
      <input type="text" id="athlete_id" name="athlete_id" value="${opts.athleteId ?? ''}" placeholder="i123456" maxlength="200" required
        spellcheck="false"${invalid('athlete_id')}>
      <p class="muted">Shown on intervals.icu under Settings (like i123456). Enter 0 to use the athlete who owns the key.</p>
      <label for="api_key">API key</label>
      <input type="password" id="api_key" name="api_key" maxlength="400" required spellcheck="false" autocomplete="off"${invalid('api_key')}>
      <p class="muted">On intervals.icu: Settings → Developer Settings → API key. It is checked with Intervals.icu now, then stored encrypted; it is never shown again.</p>
      <button type="submit"${opts.oauthStart ? html` class="secondary"` : ''}>${opts.submitLabel ?? 'Connect'}</button>
    </form>`;
}

/**
 * Leaves a form POST with a page that moves the browser on by itself (a `Refresh` navigation,
 * plus a link for browsers that ignore it). Chromium applies the page's CSP `form-action` to every
 * redirect that follows a form submission, so answering the POST with a redirect chain that ends
 * at the MCP client's redirect_uri would be blocked; a Refresh is a fresh navigation.
 */
export function sendContinuePage(ctx: Context, target: string, heading: string, detail: string): void {
  ctx.set('Refresh', `0;url=${target}`);
  sendPage(ctx, {
    title: heading,
    body: html`<div class="card"><h1>${heading}</h1><p>${detail}</p><p><a class="button" href="${target}" id="continue">Continue</a></p></div>`,
  });
}
