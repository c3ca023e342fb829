import type { Context } from 'koa';
import type { Client, InteractionDetails } from 'oidc-provider';
import { html, sendPage, type SafeHtml } from '../../http/html.js';
import { csrfField } from '../../http/csrf.js';
import { PINNED_CLIENT_IDS } from '../pinned-clients.js';
import { SUPPORTED_SCOPES } from '../../scopes.js';
import { toolsetFieldset } from '../../accounts/page-toolsets.js';

/** What each scope lets the app do, in the words the consent page uses. */
export const SCOPE_WORDS: Record<string, string> = {
  'intervals:read': 'Read your Intervals.icu data: activities, wellness, calendar, workouts and fitness.',
  'intervals:write': 'Change your Intervals.icu data: create, edit and delete events, workouts and wellness entries.',
  offline_access: 'Stay connected without asking you again, until you revoke access.',
  openid: 'Know which account you signed in with.',
  email: 'See your email address.',
};

export const interactionCookiePath = (uid: string) => `/interaction/${uid}`;

/**
 * Finishes a step with a page that navigates, not with a redirect answering the form post:
 * Chromium applies the page's CSP `form-action` to every redirect after a form submission, and the
 * chain ends at the client's redirect_uri, an origin the page does not list. A `Refresh` navigation is not part of
 * the form submission. The link is there for anyone whose browser ignores Refresh.
 */
export function sendContinuePage(ctx: Context, to: string): void {
  ctx.set('Refresh', `0;url=${to}`);
  sendPage(ctx, {
    title: 'Continuing',
    body: html`<div class="card"><h1>One moment…</h1><p><a class="button" href="${to}">Continue</a></p></div>`,
  });
}

export interface ClientDescription {
  name: string;
  /** Registered by anyone through DCR: its name is self-declared. */
  unverified: boolean;
  /** Host serving its Client ID Metadata Document, when the id is a URL. */
  metadataHost?: string;
  redirectHost: string;
  loopback: boolean;
}

export function describeClient(client: Client, redirectUri: string | undefined): ClientDescription {
  const id = client.clientId;
  const idUrl = /^https:\/\//.test(id) ? URL.parse(id) : null;
  const redirect = URL.parse(redirectUri ?? client.redirectUris[0] ?? '');
  const redirectHost = redirect ? redirect.host || `${redirect.protocol}//` : 'unknown';
  return {
    name: client.clientName?.trim() || (idUrl ? idUrl.host : 'An unnamed app'),
    unverified: !idUrl && !PINNED_CLIENT_IDS.has(id),
    metadataHost: idUrl?.host,
    redirectHost,
    loopback: redirect !== null && redirect.protocol === 'http:',
  };
}

function scopesRequested(details: InteractionDetails): string[] {
  const asked = String(details.params.scope ?? '').split(' ');
  return SUPPORTED_SCOPES.filter((s) => asked.includes(s));
}

/** `toolsets`: the connection's current sets (ticked), the default for a new one. */
export function sendConsentPage(
  ctx: Context,
  details: InteractionDetails,
  client: ClientDescription,
  email: string | null,
  toolsets: readonly string[],
): void {
  const uid = details.uid;
  const scopes = scopesRequested(details);
  const badge: SafeHtml = client.unverified ? html` <span class="badge">unverified</span>` : html``;
  sendPage(ctx, {
    title: 'Allow access',
    body: html`<div class="card">
  <h1>Allow ${client.name}${badge} to use your Intervals.icu account?</h1>
  ${client.unverified ? html`<p class="muted">This app registered itself; its name has not been checked.</p>` : ''}
  <p>After you answer, you go back to <strong>${client.redirectHost}</strong>.</p>
  ${client.metadataHost ? html`<p>The app is identified by <strong>${client.metadataHost}</strong>.</p>` : ''}
  ${client.loopback ? html`<p class="notice">This app runs on your own computer. Only allow it if you started this connection yourself just now.</p>` : ''}
  <h2>It will be able to</h2>
  <ul>${scopes.map((s) => html`<li>${SCOPE_WORDS[s] ?? s}</li>`)}</ul>
  <p class="muted">${email ? html`Signed in as ${email}. ` : ''}<a href="/interaction/${uid}/signin" id="switch-account">Not you? Use another account</a></p>
  <p class="muted">You can revoke this access at any time from <a href="/account" target="_blank" rel="noopener">your account page</a> (opens in a new tab).</p>
  <form method="post" action="/interaction/${uid}/consent">
    ${csrfField(ctx, interactionCookiePath(uid))}
    ${toolsetFieldset({ chosen: toolsets, idPrefix: 'toolset', legend: 'Which tools the app gets' })}
    <p class="muted">You can change these later on your account page.</p>
    <div class="row">
      <button type="submit" name="decision" value="allow">Allow</button>
      <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
    </div>
  </form>
</div>`,
  });
}
