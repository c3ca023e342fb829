import { html, type SafeHtml } from '../http/html.js';
import type { Account } from './account-store.js';
import type { AuthorizedClient } from './authorized-clients.js';
import type { IntervalsLink } from './links.js';
import { linkForm } from './page-link.js';
import { PAT_EXPIRY_DAYS, PAT_SCOPES, type PersonalAccessToken } from './pats.js';

/** Everything the account page shows; rendering only, no I/O. */
export interface AccountView {
  account: Account;
  link: IntervalsLink | undefined;
  clients: AuthorizedClient[];
  tokens: PersonalAccessToken[];
  csrf: SafeHtml;
  oauthStart?: string;
  /** A fixed notice after a successful action (never text taken from the request). */
  notice?: string;
  /** An error for one section. */
  error?: { section: 'link' | 'tokens' | 'clients'; message: string; field?: 'athlete_id' | 'api_key' };
  /** A freshly created token: the only time it is shown. */
  newToken?: { token: string; name: string };
  /** Athlete ID to keep in the link form after an error. */
  athleteIdInput?: string;
  baseUrl: string;
}

export function when(d: Date | null | undefined): string {
  if (!d) return 'never';
  return `${new Date(d).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const errorFor = (v: AccountView, section: 'link' | 'tokens' | 'clients') =>
  v.error?.section === section ? html`<p class="error" role="alert">${v.error.message}</p>` : '';

function linkSection(v: AccountView): SafeHtml {
  const form = (submitLabel: string) =>
    linkForm({
      action: '/account/link',
      csrf: v.csrf,
      oauthStart: v.oauthStart,
      error: v.error?.section === 'link' ? { message: v.error.message, field: v.error.field } : undefined,
      athleteId: v.athleteIdInput,
      submitLabel,
    });
  const l = v.link;
  if (!l) {
    return html`<section class="card" id="intervals"><h2>Intervals.icu</h2>
      <p>Not linked yet. Your apps can only use the Intervals.icu tools once you link your own Intervals.icu account.</p>${form('Connect')}</section>`;
  }
  const method = l.method === 'oauth' ? html`Intervals.icu sign-in (permissions: ${l.scopes.length ? l.scopes.join(', ') : 'none'})` : html`personal API key`;
  return html`<section class="card" id="intervals"><h2>Intervals.icu</h2>
    ${l.brokenAt
      ? html`<p class="error" role="alert" id="link-broken"><strong>Broken</strong> since ${when(l.brokenAt)}: ${l.brokenReason ?? 'Intervals.icu rejected the stored credentials.'}
          Re-link below to fix it.</p>`
      : ''}
    <table id="link-details">
      <tr><th>Athlete</th><td>${l.athleteName ?? '(no name)'} <code>${l.athleteId}</code></td></tr>
      <tr><th>Linked with</th><td>${method}</td></tr>
      <tr><th>Linked</th><td>${when(l.linkedAt)}</td></tr>
      <tr><th>Last successful call</th><td>${when(l.lastOkAt)}</td></tr>
      <tr><th>Status</th><td>${l.brokenAt ? html`<span class="badge">broken</span>` : html`<span class="badge">working</span>`}</td></tr>
    </table>
    <details${l.brokenAt || v.error?.section === 'link' ? html` open` : ''}><summary>Re-link (new key or another athlete)</summary>${form('Re-link')}</details>
    <form method="post" action="/account/unlink">${v.csrf}<button type="submit" class="secondary" id="unlink">Unlink Intervals.icu</button></form>
    </section>`;
}

function clientsSection(v: AccountView): SafeHtml {
  const rows = v.clients.map(
    (c) => html`<tr data-grant="${c.grantId}"><td>${c.name}<br><span class="muted"><code>${c.clientId}</code></span></td>
      <td>${c.scopes.filter((s) => s.startsWith('intervals:')).join(', ') || '—'}</td><td>${when(c.grantedAt)}</td><td>${when(c.lastUsedAt)}</td>
      <td><form method="post" action="/account/clients/${encodeURIComponent(c.grantId)}/revoke">${v.csrf}<button type="submit" class="secondary">Revoke</button></form></td></tr>`,
  );
  return html`<section class="card" id="clients"><h2>Apps you have authorized</h2>${errorFor(v, 'clients')}
    ${v.clients.length === 0
      ? html`<p class="muted">No apps yet. When you connect Claude or another MCP client, it appears here.</p>`
      : html`<table><tr><th>App</th><th>Access</th><th>Authorized</th><th>Last token</th><th></th></tr>${rows}</table>
        <p class="muted">Revoking signs the app out at once: it must ask for your approval again.</p>`}
    </section>`;
}

function tokenStatus(t: PersonalAccessToken): string {
  if (t.revokedAt) return `revoked ${when(t.revokedAt)}`;
  if (t.expiresAt && new Date(t.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

function tokensSection(v: AccountView): SafeHtml {
  const rows = v.tokens.map((t) => {
    const status = tokenStatus(t);
    return html`<tr data-pat="${t.id}"><td>${t.name}</td><td>${t.scopes.join(', ')}</td><td>${when(t.createdAt)}</td>
      <td>${t.expiresAt ? when(t.expiresAt) : 'never'}</td><td>${when(t.lastUsedAt)}</td><td>${status}</td>
      <td>${status === 'active' ? html`<form method="post" action="/account/tokens/${encodeURIComponent(t.id)}/revoke">${v.csrf}<button type="submit" class="secondary">Revoke</button></form>` : ''}</td></tr>`;
  });
  const fresh = v.newToken
    ? html`<div class="notice" id="new-token"><p><strong>Copy your new token “${v.newToken.name}” now.</strong> It is shown only this once.</p>
        <p><code id="new-token-value">${v.newToken.token}</code></p>
        <p class="muted">Send it as <code>Authorization: Bearer &lt;token&gt;</code> to <code>${v.baseUrl}/mcp</code>.</p></div>`
    : '';
  return html`<section class="card" id="tokens"><h2>Personal access tokens</h2>
    <p class="muted">For MCP clients that cannot sign in with OAuth. A token acts as you, with the access you pick.</p>
    ${fresh}${errorFor(v, 'tokens')}
    ${v.tokens.length ? html`<table><tr><th>Name</th><th>Access</th><th>Created</th><th>Expires</th><th>Last used</th><th>Status</th><th></th></tr>${rows}</table>` : ''}
    <form method="post" action="/account/tokens">${v.csrf}
      <label for="pat_name">Name</label><input type="text" id="pat_name" name="name" maxlength="200" placeholder="Cursor on my laptop" required>
      <label>Access</label>
      ${PAT_SCOPES.map((s) => html`<label class="muted"><input type="checkbox" name="scopes" value="${s}"${s === 'intervals:read' ? html` checked` : ''}> ${s}</label>`)}
      <label for="pat_expiry">Expires after</label>
      <select id="pat_expiry" name="expires_in_days">${PAT_EXPIRY_DAYS.map((d) => html`<option value="${d ?? 'never'}"${d === 90 ? html` selected` : ''}>${d === null ? 'never' : `${d} days`}</option>`)}</select>
      <button type="submit" id="create-token">Create token</button>
    </form></section>`;
}

export function accountPage(v: AccountView): SafeHtml {
  return html`<div class="card"><h1>Your account</h1>
      ${v.notice ? html`<p class="notice" role="status" id="notice">${v.notice}</p>` : ''}
      <p>Signed in as <strong>${v.account.email ?? v.account.id}</strong></p>
      <form method="post" action="/account/signout">${v.csrf}<button type="submit" class="secondary" id="signout">Sign out</button></form></div>
    ${linkSection(v)}${clientsSection(v)}${tokensSection(v)}
    <section class="card" id="danger"><h2>Delete my account</h2>
      <p>Removes your Intervals.icu link, authorized apps, tokens and everything else we keep about you. Your data on Intervals.icu itself is not touched.</p>
      <p><a class="button secondary" href="/account/delete" id="delete-start">Delete my account…</a></p></section>`;
}

export function deleteConfirmPage(csrf: SafeHtml, email: string | null): SafeHtml {
  return html`<div class="card"><h1>Delete your account?</h1>
    <p>This deletes the account ${email ? html`<strong>${email}</strong>` : ''} here: your Intervals.icu link (the stored key or token),
    every app you authorized (they are signed out at once), your personal access tokens and your sessions. It cannot be undone.</p>
    <p class="muted">Your Intervals.icu account and its data stay as they are.</p>
    <form method="post" action="/account/delete">${csrf}
      <label><input type="checkbox" name="confirm" value="yes" required id="delete-confirm"> I understand, delete everything</label>
      <button type="submit" class="danger" id="delete-account">Delete my account</button>
      <a class="button secondary" href="/account">Cancel</a>
    </form></div>`;
}
