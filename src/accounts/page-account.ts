import { html, type SafeHtml } from '../http/html.js';
import type { Account } from './account-store.js';
import type { AuthorizedClient } from './authorized-clients.js';
import type { IntervalsLink } from './links.js';
import { linkForm } from './page-link.js';
import { toolsetFieldset } from './page-toolsets.js';
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
  const method =
    l.method === 'oauth'
      ? html`Intervals.icu sign-in (permissions: ${l.scopes.length ? l.scopes.join(', ') : 'none'})`
      : html`personal API key`;
  return html`<section class="card" id="intervals"><h2>Intervals.icu</h2>
    ${
      l.brokenAt
        ? html`<p class="error" role="alert" id="link-broken"><strong>Broken</strong> since ${when(l.brokenAt)}: ${l.brokenReason ?? 'Intervals.icu rejected the stored credentials.'}
          Re-link below to fix it.</p>`
        : ''
    }
    <table id="link-details">
      <tr><th>Athlete</th><td>${l.athleteName ?? '(no name)'} <code>${l.athleteId}</code></td></tr>
      <tr><th>Linked with</th><td>${method}</td></tr>
      <tr><th>Linked</th><td>${when(l.linkedAt)}</td></tr>
      <tr><th>Last successful call</th><td>${when(l.lastOkAt)}</td></tr>
      <tr><th>Status</th><td>${l.brokenAt ? html`<span class="badge">broken</span>` : html`<span class="badge">working</span>`}</td></tr>
    </table>
    <details${l.brokenAt || v.error?.section === 'link' ? html` open` : ''}><summary>Re-link (new key or another athlete)</summary>${form('Re-link')}</details>
    <p><a class="button secondary" href="/account/unlink" id="unlink">Unlink Intervals.icu…</a></p>
    </section>`;
}

function clientsSection(v: AccountView): SafeHtml {
  const rows = v.clients.map(
    (c) => html`<tr data-grant="${c.grantId}"><td data-label="App">${c.name}<br><span class="muted"><code>${c.clientId}</code></span></td>
      <td data-label="Access">${c.scopes.filter((s) => s.startsWith('intervals:')).join(', ') || '—'}</td><td data-label="Tool sets">${c.toolsets.join(', ')}</td><td data-label="Authorized">${when(c.grantedAt)}</td><td data-label="Last token">${when(c.lastUsedAt)}</td>
      <td><a class="button secondary small" href="/account/clients/${encodeURIComponent(c.grantId)}/revoke" aria-label="Revoke access for ${c.name}">Revoke…</a></td></tr>`,
  );
  // One form per app, below the table: a form cannot span table cells.
  const choices = v.clients.map(
    (c, i) => html`<details class="toolsets-for" data-grant="${c.grantId}"><summary>Tool sets for ${c.name}</summary>
      <form method="post" action="/account/clients/${encodeURIComponent(c.grantId)}/toolsets">${v.csrf}
        ${toolsetFieldset({ chosen: c.toolsets, idPrefix: `client${i}-toolset`, legend: `Tool sets for ${c.name}` })}
        <button type="submit" class="small">Save tool sets</button>
      </form></details>`,
  );
  return html`<section class="card" id="clients"><h2>Apps you have authorized</h2>${errorFor(v, 'clients')}
    ${
      v.clients.length === 0
        ? html`<p class="muted">No apps yet. When you connect Claude or another MCP client, it appears here.</p>`
        : html`<table class="stack"><thead><tr><th scope="col">App</th><th scope="col">Access</th><th scope="col">Tool sets</th><th scope="col">Authorized</th><th scope="col">Last token</th><th scope="col">Action</th></tr></thead><tbody>${rows}</tbody></table>
        <p class="muted">Revoking signs the app out at once: it must ask for your approval again.</p>
        ${choices}
        <p class="muted">A change applies at the app's next request: it renews its sign-in on its own and then sees the new tools.</p>`
    }
    </section>`;
}

export function tokenStatus(t: PersonalAccessToken): string {
  if (t.revokedAt) return `revoked ${when(t.revokedAt)}`;
  if (t.expiresAt && new Date(t.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

function tokensSection(v: AccountView): SafeHtml {
  const rows = v.tokens.map((t) => {
    const status = tokenStatus(t);
    return html`<tr data-pat="${t.id}"><td data-label="Name">${t.name}</td><td data-label="Access">${t.scopes.join(', ')}</td><td data-label="Tool sets">${t.toolsets.join(', ')}</td><td data-label="Created">${when(t.createdAt)}</td>
      <td data-label="Expires">${t.expiresAt ? when(t.expiresAt) : 'never'}</td><td data-label="Last used">${when(t.lastUsedAt)}</td><td data-label="Status">${status}</td>
      <td>${status === 'active' ? html`<a class="button secondary small" href="/account/tokens/${encodeURIComponent(t.id)}/revoke" aria-label="Revoke token ${t.name}">Revoke…</a>` : ''}</td></tr>`;
  });
  const fresh = v.newToken
    ? html`<div class="notice" id="new-token"><p><strong>Copy your new token “${v.newToken.name}” now.</strong> It is shown only this once.</p>
        <p class="secret"><code id="new-token-value">${v.newToken.token}</code></p>
        <p class="muted">Send it as <code>Authorization: Bearer &lt;token&gt;</code> to <code>${v.baseUrl}/mcp</code>.</p></div>`
    : '';
  return html`<section class="card" id="tokens"><h2>Personal access tokens</h2>
    <p class="muted">For MCP clients that cannot sign in with OAuth. A token acts as you, with the access you pick.</p>
    ${fresh}${errorFor(v, 'tokens')}
    ${v.tokens.length ? html`<table class="stack"><thead><tr><th scope="col">Name</th><th scope="col">Access</th><th scope="col">Tool sets</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
    <form method="post" action="/account/tokens">${v.csrf}
      <label for="pat_name">Name</label><input type="text" id="pat_name" name="name" maxlength="200" placeholder="Cursor on my laptop" required>
      <fieldset class="plain"><legend>Access</legend>
      ${PAT_SCOPES.map((s) => html`<label class="muted"><input type="checkbox" name="scopes" value="${s}"${s === 'intervals:read' ? html` checked` : ''}> ${s}</label>`)}
      </fieldset>
      ${toolsetFieldset({ chosen: [], idPrefix: 'pat-toolset', legend: 'Tool sets (fixed for the life of the token)' })}
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
