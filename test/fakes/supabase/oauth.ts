import { GoTrueError } from './errors.js';
import type { GoTrueModel } from './gotrue.js';
import { addIdentity, iso } from './model.js';
import { resolveRedirect } from './redirects.js';

/** What the stand-in identity provider does when a person reaches it: approve as someone, or deny. */
export type IdpDecision = { email: string; subject?: string } | 'deny';

/** Providers GoTrue knows (internal/api/external.go); a known but disabled one says "provider is not enabled". */
const KNOWN = [
  'apple',
  'azure',
  'bitbucket',
  'discord',
  'facebook',
  'figma',
  'fly',
  'github',
  'gitlab',
  'google',
  'kakao',
  'keycloak',
  'linkedin',
  'linkedin_oidc',
  'notion',
  'slack',
  'slack_oidc',
  'snapchat',
  'spotify',
  'twitch',
  'twitter',
  'workos',
  'x',
  'zoom',
];

/**
 * GET /authorize: validate provider and PKCE, resolve redirect_to (silent SITE_URL fallback),
 * store a flow state whose id is the IdP `state`, and send the browser to the IdP.
 */
export function authorize(model: GoTrueModel, q: URLSearchParams, idpBase: string): string {
  const provider = (q.get('provider') ?? '').toLowerCase();
  if (!model.settings.providers.includes(provider)) {
    const why = KNOWN.includes(provider) ? 'provider is not enabled' : `Provider ${provider} could not be found`;
    throw new GoTrueError(400, 'validation_failed', `Unsupported provider: ${why}`);
  }
  const pkce = model.pkceParams({
    code_challenge: q.get('code_challenge') ?? '',
    code_challenge_method: q.get('code_challenge_method') ?? '',
  });
  const redirectTo = resolveRedirect(q.get('redirect_to'), model.settings.siteUrl, model.settings.redirectAllowList);
  const flow = model.createFlow({
    codeChallenge: pkce?.codeChallenge ?? '',
    method: pkce?.method ?? 'plain',
    kind: 'oauth',
    provider,
    redirectTo,
  });
  if (!pkce) flow.authCode = ''; // implicit flow: tokens go in the fragment, no auth code
  return `${idpBase}/${provider}/authorize?${new URLSearchParams({ state: flow.id, scope: q.get('scopes') ?? '' })}`;
}

/** The stand-in IdP's consent: decides at once (per provider) and returns to GoTrue's /callback. */
export function idpConsent(callbackUrl: string, state: string, decision: IdpDecision): string {
  if (decision === 'deny') {
    return `${callbackUrl}?${new URLSearchParams({ error: 'access_denied', error_description: 'The user has denied your application access.', state })}`;
  }
  const code = Buffer.from(JSON.stringify(decision)).toString('base64url');
  return `${callbackUrl}?${new URLSearchParams({ code, state })}`;
}

/**
 * GET /callback from the IdP: create or link the user (GoTrue links identities with the same
 * verified email), then 302 to redirect_to with `?code=` (PKCE) or the session in the fragment;
 * errors go to redirect_to as `?error=…&error_code=…&error_description=…` plus the fragment.
 */
export async function callback(model: GoTrueModel, q: URLSearchParams): Promise<string> {
  const state = q.get('state');
  if (!state) throw new GoTrueError(400, 'bad_oauth_callback', 'OAuth state parameter missing');
  const flow = model.flows.get(state);
  if (!flow || flow.kind !== 'oauth') throw new GoTrueError(400, 'bad_oauth_state', 'OAuth state not found or expired');
  if (model.now() - flow.createdAt > model.settings.flowStateExpirySeconds * 1000)
    throw new GoTrueError(400, 'bad_oauth_state', 'OAuth state has expired');
  const isPkce = flow.authCode !== '';
  const sep = flow.redirectTo.includes('?') ? '&' : '?';
  if (q.get('error')) {
    model.flows.delete(flow.id);
    const err = new URLSearchParams({ error: q.get('error')!, error_description: q.get('error_description') ?? '' });
    return `${flow.redirectTo}${isPkce ? `${sep}${err}` : ''}#${err}&sb=`;
  }
  if (flow.userId) throw new GoTrueError(400, 'flow_state_already_used', 'State has already been used');
  const identity = JSON.parse(Buffer.from(q.get('code') ?? '', 'base64url').toString()) as { email: string; subject?: string };
  let user = model.findByEmail(identity.email);
  if (!user) {
    if (model.settings.disableSignup) {
      model.flows.delete(flow.id);
      const err = new URLSearchParams({
        error: 'access_denied',
        error_code: 'signup_disabled',
        error_description: 'Signups not allowed for this instance',
      });
      return `${flow.redirectTo}${isPkce ? `${sep}${err}` : ''}#${err}&sb=`;
    }
    user = model.createUser({ email: identity.email, confirmed: true, provider: flow.provider });
    user.identities = [];
    user.providers = [];
  }
  addIdentity(user, flow.provider, identity.subject ?? `${flow.provider}-${user.id.slice(0, 8)}`, model.now());
  user.emailConfirmedAt ??= iso(model.now());
  if (isPkce) {
    flow.userId = user.id;
    return `${flow.redirectTo}${sep}code=${flow.authCode}`;
  }
  model.flows.delete(flow.id);
  const s = await model.issueSession(user, 'oauth', { provider_token: `${flow.provider}-provider-token` });
  const frag = new URLSearchParams({
    access_token: String(s.access_token),
    expires_at: String(s.expires_at),
    expires_in: String(s.expires_in),
    provider_token: String(s.provider_token),
    refresh_token: String(s.refresh_token),
    token_type: 'bearer',
  });
  return `${flow.redirectTo}#${frag}`;
}
