import Provider, { errors, type Configuration, type KoaContextWithOIDC, type Client } from 'oidc-provider';
import type { Context } from 'koa';
import type { Config } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { Secrets } from '../store/app-secrets.js';
import type { Store } from '../store/store.js';
import { findAccount } from '../accounts/account-store.js';
import { findConnectionToolsets } from '../accounts/connection-toolsets.js';
import { TOOLSETS_CLAIM, TOOLSETS_REVISION_CLAIM, toolsetsClaim } from '../mcp/toolsets.js';
import { adapterFactory, findGrantId } from './adapter.js';
import { buildCimdFeature, buildCimdFetch } from './cimd.js';
import { EXTRA_CLIENT_PROPERTIES, validateClientMetadata } from './client-policy.js';
import { buildInteractionPolicy } from './interactions/policy.js';
import { SIGNING_ALG, type SigningKeySet } from './keys.js';
import { PINNED_CLIENTS } from './pinned-clients.js';
import { RS_SCOPES, SUPPORTED_SCOPES } from '../scopes.js';
import { buildResourceMatcher } from './resource-indicators.js';
import { logoutSource, postLogoutSuccessSource, renderOAuthErrorPage } from './provider-pages.js';
import { storeForProvider } from './unavailable.js';

export interface ProviderDeps {
  config: Config;
  secrets: Secrets;
  store: Store;
  logger: Logger;
}

const DAY = 24 * 3600;
/** Access tokens: 1 h (short-lived, RFC 9700), refreshed silently. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/**
 * Refresh tokens slide: each use issues a new one for another 90 days. The Grant (the person's
 * consent) caps the chain at a year; oidc-provider's 14-day defaults would log people out of
 * Claude every fortnight.
 */
const TTL = {
  AccessToken: ACCESS_TOKEN_TTL_SECONDS,
  AuthorizationCode: 60,
  IdToken: 3600,
  Interaction: 3600,
  RefreshToken: 90 * DAY,
  Grant: 365 * DAY,
  Session: 14 * DAY,
};

/** The paths of our OAuth endpoints (contract in notes/COMMON.md); the well-knowns are fixed by oidc-provider. */
export const OAUTH_ROUTES = {
  authorization: '/authorize',
  token: '/token',
  registration: '/register',
  revocation: '/revoke',
  jwks: '/jwks',
  userinfo: '/me',
  end_session: '/logout',
} as const;

/** The one place that knows oidc-provider's configuration. */
export function buildProvider(deps: ProviderDeps, keys: SigningKeySet): Provider {
  const { config, logger } = deps;
  const store = storeForProvider(deps.store, logger);
  const isOurResource = buildResourceMatcher(config);
  const secureCookies = config.BASE_URL.startsWith('https://');
  const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax', secure: secureCookies };

  const configuration: Configuration = {
    adapter: adapterFactory(store),
    clients: PINNED_CLIENTS.map((c) => ({ ...c })),
    clientDefaults: {
      // native: loopback redirects on any port and private-use schemes (RFC 8252), which desktop
      // MCP clients need; applies to registrations and metadata documents that omit it.
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: SIGNING_ALG,
    },
    extraClientMetadata: { properties: EXTRA_CLIENT_PROPERTIES, validator: validateClientMetadata },
    jwks: { keys: keys.keys },
    cookies: { keys: [...deps.secrets.cookieKeys], long: cookieOptions, short: cookieOptions },
    findAccount: async (_ctx: unknown, sub: string) => {
      // Runs on every refresh too: a deleted or disabled person's refresh fails from then on.
      const account = await findAccount(store, sub);
      if (!account || account.disabled_at !== null) return undefined;
      return { accountId: sub, claims: () => (account.email ? { sub, email: account.email } : { sub }) };
    },
    scopes: [...SUPPORTED_SCOPES],
    claims: { openid: ['sub'], email: ['email'] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    routes: OAUTH_ROUTES,
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      policy: buildInteractionPolicy(store),
    },
    features: {
      devInteractions: { enabled: false },
      // Neither is used by MCP clients; DPoP-bound tokens would also need proof checks at /mcp.
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
      clientIdMetadataDocument: buildCimdFeature({ config, store, logger }),
      resourceIndicators: {
        enabled: true,
        // No `resource` at all (older clients) → the token is for /mcp anyway.
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string[]) =>
          oneOf ? (oneOf.find(isOurResource) ?? oneOf) : config.MCP_RESOURCE,
        // Token and refresh requests may omit `resource` (or carry `openid`) and still get the MCP token.
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (!isOurResource(indicator)) throw new errors.InvalidTarget(`this server only issues tokens for ${config.MCP_RESOURCE}`);
          return {
            scope: RS_SCOPES.join(' '),
            audience: config.MCP_RESOURCE,
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALG, kid: keys.signingKid } },
          };
        },
      },
      // A client may revoke only its own tokens; a foreign token is silently ignored (RFC 7009 §2.2).
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: Client, token: { clientId?: string }) => token.clientId === client.clientId,
      },
      introspection: { enabled: false }, // access tokens are JWTs verified through /jwks
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    // Public clients (Claude Code, mcp-remote, Cursor) get refresh tokens without asking for
    // offline_access; many never ask (e.g. anthropics/claude-ai-mcp#840).
    issueRefreshToken: async (_ctx: unknown, client: Client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    // The connection's tool sets ride in every access token (also on refresh), so /mcp filters
    // tools/list without a database read; see src/accounts/connection-toolsets.ts.
    extraTokenClaims: async (_ctx: unknown, token: { kind?: string; accountId?: string; clientId?: string }) => {
      if (token.kind !== 'AccessToken' || !token.accountId || !token.clientId) return undefined;
      const choice = await findConnectionToolsets(store, token.accountId, token.clientId);
      return { [TOOLSETS_CLAIM]: toolsetsClaim(choice.toolsets), [TOOLSETS_REVISION_CLAIM]: choice.revision };
    },
    expiresWithSession: async () => false,
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => loadRememberedGrant(ctx, store),
    clientBasedCORS: (_ctx: unknown, origin: string, client: Client) =>
      origin !== 'null' && client.redirectUris.some((u) => URL.parse(u)?.origin === origin),
    ttl: TTL,
    fetch: buildCimdFetch(config),
    renderError: async (ctx: Context, out: { error?: string; error_description?: string }) => renderOAuthErrorPage(ctx, out),
  };

  const provider = new Provider(config.ISSUER_URL, configuration);
  provider.proxy = config.TRUST_PROXY;
  provider.on('server_error', (_ctx: unknown, err: unknown) => logger.error({ err }, 'authorization server error'));
  provider.on('grant.revoked', (_ctx: unknown, grantId: string) => logger.info({ grantId }, 'grant revoked'));
  return provider;
}

/**
 * Consent is remembered per (person, client): the Grant from this interaction, else the one this
 * browser session knows, else the person's stored Grant for the client (a new browser or device).
 */
async function loadRememberedGrant(ctx: KoaContextWithOIDC, store: Store) {
  const { oidc } = ctx;
  const clientId = oidc.client!.clientId;
  const accountId = oidc.session.accountId;
  const candidates = [oidc.result?.consent?.grantId, oidc.session.grantIdFor(clientId)];
  for (const id of candidates) {
    if (!id) continue;
    const grant = await oidc.provider.Grant.find(id);
    if (grant && grant.accountId === accountId && grant.clientId === clientId) return grant;
  }
  if (!accountId) return undefined;
  const stored = await findGrantId(store, accountId, clientId);
  return stored ? oidc.provider.Grant.find(stored) : undefined;
}
