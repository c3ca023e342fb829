import { html, type SafeHtml } from '../http/html.js';
import type { AuthorizedClient } from './authorized-clients.js';
import type { IntervalsLink } from './links.js';
import type { PersonalAccessToken } from './pats.js';

/**
 * The second step of every destructive action on the account page: a page that says what will
 * happen and posts the real request, or goes back. Plain forms, so no JavaScript is needed.
 */
function confirmCard(opts: {
  heading: string;
  body: SafeHtml;
  action: string;
  csrf: SafeHtml;
  button: string;
  buttonId: string;
  extra?: SafeHtml;
}): SafeHtml {
  return html`<div class="card"><h1>${opts.heading}</h1>${opts.body}
    <form method="post" action="${opts.action}">${opts.csrf}${opts.extra ?? ''}
      <div class="row">
        <button type="submit" class="danger" id="${opts.buttonId}">${opts.button}</button>
        <a class="button secondary" href="/account" id="cancel">Cancel, keep it</a>
      </div>
    </form></div>`;
}

export function unlinkConfirmPage(csrf: SafeHtml, link: IntervalsLink): SafeHtml {
  const how = link.method === 'oauth' ? 'the Intervals.icu sign-in token' : 'your Intervals.icu API key';
  return confirmCard({
    heading: 'Unlink Intervals.icu?',
    body: html`<p>This deletes ${how} stored here for athlete ${link.athleteName ?? ''} <code>${link.athleteId}</code>.
      The apps you authorized stay connected, but they cannot use the Intervals.icu tools until you link an account again.</p>
      <p class="muted">Your Intervals.icu account and its data are not touched. ${
        link.method === 'api_key'
          ? 'To be sure the key can no longer be used anywhere, also generate a new one in Settings → Developer Settings on intervals.icu.'
          : 'You can also remove this service from the connected apps in your Intervals.icu settings.'
      }</p>`,
    action: '/account/unlink',
    csrf,
    button: 'Unlink Intervals.icu',
    buttonId: 'unlink-confirm',
  });
}

export function revokeClientConfirmPage(csrf: SafeHtml, client: AuthorizedClient): SafeHtml {
  return confirmCard({
    heading: `Revoke access for ${client.name}?`,
    body: html`<p><strong>${client.name}</strong> (<code>${client.clientId}</code>) is signed out at once: its tokens stop working and it must ask for your approval again to reconnect.</p>
      <p class="muted">Nothing on Intervals.icu changes, and your other apps are not affected.</p>`,
    action: `/account/clients/${encodeURIComponent(client.grantId)}/revoke`,
    csrf,
    button: `Revoke ${client.name}`,
    buttonId: 'revoke-confirm',
  });
}

export function revokeTokenConfirmPage(csrf: SafeHtml, token: PersonalAccessToken): SafeHtml {
  return confirmCard({
    heading: `Revoke the token “${token.name}”?`,
    body: html`<p>Every app that uses this personal access token is refused from the next request on. This cannot be undone: to reconnect such an app, create a new token.</p>
      <p class="muted">Your other tokens and your authorized apps are not affected.</p>`,
    action: `/account/tokens/${encodeURIComponent(token.id)}/revoke`,
    csrf,
    button: 'Revoke token',
    buttonId: 'revoke-confirm',
  });
}

export function deleteConfirmPage(csrf: SafeHtml, email: string | null): SafeHtml {
  return html`<div class="card"><h1>Delete your account?</h1>
    <p>This deletes the account ${email ? html`<strong>${email}</strong>` : ''} here: your Intervals.icu link (the stored key or token),
    every app you authorized (they are signed out at once), your personal access tokens and your sessions. It cannot be undone.</p>
    <p class="muted">Your Intervals.icu account and its data stay as they are.</p>
    <form method="post" action="/account/delete">${csrf}
      <label><input type="checkbox" name="confirm" value="yes" required id="delete-confirm"> I understand, delete everything</label>
      <div class="row">
        <button type="submit" class="danger" id="delete-account">Delete my account</button>
        <a class="button secondary" href="/account" id="cancel">Cancel</a>
      </div>
    </form></div>`;
}
