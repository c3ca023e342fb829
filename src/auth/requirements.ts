/**
 * The authorization server's conformance checklist: one entry per requirement we implement, with
 * the clause it comes from. Tests name the entry they prove (`it(`${REQ.X.id}: …`)`), so a
 * requirement without a test is easy to spot.
 */
export interface Requirement {
  id: string;
  spec: string;
  description: string;
}

const MCP = 'https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization';

const list = {
  AS_DISCOVERY: [
    'AS-1',
    'https://www.rfc-editor.org/rfc/rfc8414#section-3',
    'Metadata at /.well-known/oauth-authorization-server and /.well-known/openid-configuration, issuer = BASE_URL, code_challenge_methods_supported = [S256], no null fields',
  ],
  PKCE_REQUIRED: [
    'AS-2',
    'https://www.rfc-editor.org/rfc/rfc7636#section-4.4.1',
    'PKCE S256 required for every client; plain and missing challenges refused; wrong verifier → invalid_grant',
  ],
  REDIRECT_EXACT: [
    'AS-3',
    'https://www.rfc-editor.org/rfc/rfc9700#section-4.1.3',
    'redirect_uri matched exactly (loopback port excepted, RFC 8252 §7.3); mismatches never redirect',
  ],
  REDIRECT_SCHEMES: [
    'AS-4',
    'https://www.rfc-editor.org/rfc/rfc8252#section-7',
    'Registration accepts https, loopback http on any port and private-use schemes; refuses javascript:, data:, file: and non-loopback http',
  ],
  CODE_SINGLE_USE: [
    'AS-5',
    'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2',
    'An authorization code works once; a replay fails and revokes the tokens issued from it',
  ],
  CODE_EXPIRY: ['AS-6', 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2', 'Authorization codes expire (60 s)'],
  REFRESH_ROTATION: ['AS-7', `${MCP}#token-handling`, 'Refresh tokens rotate on every use (public clients MUST)'],
  REFRESH_GRACE: [
    'AS-8',
    'https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2',
    'A rotated refresh token reused within a short grace succeeds; later reuse revokes the grant',
  ],
  REFRESH_WITHOUT_OFFLINE: [
    'AS-9',
    `${MCP}#token-handling`,
    'Refresh tokens are issued to public clients without offline_access and last months',
  ],
  INVALID_CLIENT_401: [
    'AS-10',
    'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
    'Unknown or expired client at the token endpoint → 401 invalid_client (clients re-register)',
  ],
  RESOURCE_INDICATORS: [
    'AS-11',
    'https://www.rfc-editor.org/rfc/rfc8707#section-2',
    'Every spelling of BASE_URL/mcp → aud BASE_URL/mcp; foreign resource → invalid_target; no resource → the /mcp token',
  ],
  JWT_ACCESS_TOKEN: [
    'AS-12',
    'https://www.rfc-editor.org/rfc/rfc9068#section-2',
    'Access tokens are ES256 JWTs with typ at+jwt, iss, aud, sub, scope, client_id, 1 h lifetime',
  ],
  ISS_PARAMETER: ['AS-13', 'https://www.rfc-editor.org/rfc/rfc9207#section-2', 'Authorization responses carry iss'],
  DEFAULT_SCOPE: ['AS-14', `${MCP}#scope-selection-strategy`, 'A request without a resource-server scope is granted intervals:read'],
  CONSENT_PAGE: [
    'AS-15',
    'https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices#confused-deputy-problem',
    'Consent shows client name (unverified for DCR), redirect host, CIMD host, scopes; CSRF; frame-ancestors none',
  ],
  CONSENT_REMEMBERED: [
    'AS-16',
    'https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices#confused-deputy-problem',
    'Consent remembered per (person, client); new scopes and prompt=consent ask again',
  ],
  CONSENT_DENY: ['AS-17', 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1', 'Deny → redirect with error=access_denied'],
  DCR: [
    'AS-18',
    'https://www.rfc-editor.org/rfc/rfc7591#section-3',
    'Open registration: none and client_secret_post honoured; size/field caps; per-IP rate limit; registered scope widened for step-up',
  ],
  CIMD: [
    'AS-19',
    'https://datatracker.ietf.org/doc/draft-ietf-oauth-client-id-metadata-document/',
    'URL client ids resolved from their metadata document (SSRF-safe, rate-limited); claude.ai, Claude Code and ChatGPT pinned',
  ],
  UNUSED_CLIENT_EXPIRY: [
    'AS-20',
    'https://support.claude.com/en/articles/11503834',
    'Dynamically registered clients unused for 90 days expire',
  ],
  REVOCATION: ['AS-21', 'https://www.rfc-editor.org/rfc/rfc7009#section-2', 'Refresh tokens can be revoked'],
  KEY_ROTATION: [
    'AS-22',
    'https://www.rfc-editor.org/rfc/rfc7517#section-5',
    'Signing keys rotate without breaking tokens in flight: published before signing, kept until their tokens expired',
  ],
  PERSISTENCE: [
    'AS-23',
    'https://github.com/panva/node-oidc-provider/blob/main/docs/README.md#adapter',
    'Clients, grants, sessions and refresh tokens survive a restart',
  ],
  ACCOUNT_CUTOFF: ['AS-24', `${MCP}#token-handling`, 'A disabled or deleted account can no longer refresh'],
  ERROR_SHAPES: [
    'AS-25',
    'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
    'OAuth errors as {error, error_description}; people get plain pages without stack traces or open redirects',
  ],
  LINK_STEP: [
    'AS-26',
    'README.md (Accounts: linking Intervals.icu, the link step)',
    'After consent, a person without an Intervals.icu link goes to the link step before a code is issued',
  ],
} satisfies Record<string, [string, string, string]>;

export const REQ = Object.fromEntries(Object.entries(list).map(([k, [id, spec, description]]) => [k, { id, spec, description }])) as {
  [K in keyof typeof list]: Requirement;
};
