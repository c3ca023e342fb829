import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Person } from '../mcp/context.js';
import { TOOLSETS_CLAIM, TOOLSETS_REVISION_CLAIM, toolsetsFromClaim } from '../mcp/toolsets.js';
import type { Queryable } from '../store/store.js';
import { createAccessStatusCache, statusKey } from './access-status.js';
import { ExpiringLru } from '../limits/expiring-lru.js';

/**
 * Bearer token verification for the resource server: throws typed errors and knows no HTTP
 * (challenge.ts maps them). JWT access tokens are checked against the issuer's *published* JWKS,
 * never an in-process key, so the authorization server can move to another host by configuration.
 */

export type TokenErrorReason =
  | 'malformed'
  | 'bad_signature'
  | 'unknown_key'
  | 'algorithm'
  | 'type'
  | 'issuer'
  | 'audience'
  | 'expired'
  | 'not_yet_valid'
  | 'claims'
  | 'account_inactive'
  | 'grant_revoked'
  | 'toolsets_changed'
  | 'unknown_pat'
  | 'api_key_not_pat'
  | 'two_tokens';

const DESCRIPTIONS: Record<TokenErrorReason, string> = {
  malformed: 'The bearer token is not a well-formed access token.',
  bad_signature: 'The access token signature is invalid.',
  unknown_key: 'The access token was signed with a key this server does not know.',
  algorithm: 'The access token uses a signing algorithm this server does not accept (ES256 only).',
  type: 'The bearer token is not an access token (typ must be at+jwt).',
  issuer: 'The access token was issued by another authorization server.',
  audience: 'The access token was issued for another resource; request one for this MCP server.',
  expired: 'The access token has expired; refresh it or sign in again.',
  not_yet_valid: 'The access token is not valid yet; check the clock.',
  claims: 'The access token lacks required claims.',
  account_inactive: 'The account behind this token no longer exists or is disabled.',
  grant_revoked: "This app's access was revoked or has ended; reconnect the app (sign in again) to continue.",
  toolsets_changed:
    'The tool sets for this app were changed on the account page; refresh the access token (or reconnect the app) to get the new set.',
  unknown_pat: 'The personal access token is unknown or revoked.',
  api_key_not_pat: 'X-API-Key takes a personal access token (one starting imcp_pat_); send OAuth access tokens as Authorization: Bearer.',
  two_tokens: 'Send one token per request: in Authorization: Bearer or in X-API-Key, not both.',
};

export class MissingTokenError extends Error {
  readonly code = 'missing_token';
  constructor() {
    super('This endpoint needs an OAuth bearer token in the Authorization header.');
  }
}

/** A presented token that is not acceptable; `description` is safe to send to the client. */
export class InvalidTokenError extends Error {
  readonly code = 'invalid_token';
  constructor(
    readonly reason: TokenErrorReason,
    options?: { cause?: unknown },
  ) {
    super(DESCRIPTIONS[reason], options);
  }
}

/** The token could not be checked because the issuer's keys or the store are unreachable: 503, not 401. */
export class VerifierUnavailableError extends Error {
  readonly code = 'verifier_unavailable';
  readonly status = 503;
  constructor(cause: unknown) {
    super('Token verification is temporarily unavailable; try again shortly.', { cause });
  }
}

export interface VerifiedToken {
  person: Person;
  /** Seconds since epoch. */
  expiresAt: number;
  /** Short, non-reversible fingerprint for logs and `AuthInfo.token` (never the token itself). */
  fingerprint: string;
}

export interface PersonalAccessTokenResult {
  accountId: string;
  scopes: readonly string[];
  patId: string;
  /** The tool sets chosen when the token was made. */
  toolsets: readonly string[];
}

export type VerifyPersonalAccessToken = (store: Queryable, token: string) => Promise<PersonalAccessTokenResult | undefined>;

export interface TokenVerifierOptions {
  issuer: string;
  /** The resource indicator tokens must be issued for (`aud`): BASE_URL/mcp. */
  audience: string;
  jwksUrl: URL;
  store: Queryable;
  /** accounts part (src/accounts/pats.ts); without it `imcp_pat_` tokens are rejected. */
  verifyPersonalAccessToken?: VerifyPersonalAccessToken;
  /** Key set override (tests of the verifier alone). */
  keySet?: JWTVerifyGetKey;
  /** ACCESS_STATUS_CACHE_SECONDS in ms (access-status.ts): how stale a token's standing may be. 0: read every time. */
  statusCacheMs?: number;
  now?: () => number;
}

export const PAT_PREFIX = 'imcp_pat_';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const API_KEY = /^ *([A-Za-z0-9\-._~+/]+=*) *$/;

/**
 * The token a request presents: `Authorization: Bearer <token>` (an OAuth access token or a
 * personal access token), or a personal access token in `X-API-Key`, the header the clients of
 * the Python server this service replaces send. Both at once is refused rather than guessed
 * between (RFC 6750 §2: one method per request). Verification is the same for either header.
 */
export function presentedToken(headers: { authorization: string; apiKey: string }): string {
  const bearer = BEARER.exec(headers.authorization)?.[1];
  if (headers.apiKey === '') {
    if (!bearer) throw new MissingTokenError();
    return bearer;
  }
  if (headers.authorization !== '') throw new InvalidTokenError('two_tokens');
  const key = API_KEY.exec(headers.apiKey)?.[1];
  if (!key?.startsWith(PAT_PREFIX)) throw new InvalidTokenError('api_key_not_pat');
  return key;
}
const CLOCK_TOLERANCE_S = 5;
const DEFAULT_STATUS_CACHE_MS = 10_000;
/**
 * A token's `iat` comes from the authorization server's clock, a grant's `created_at` from the
 * database's: allow this much disagreement before calling a token older than its grant.
 */
const GRANT_CLOCK_SKEW_S = 30;
const TOKEN_CACHE_ENTRIES = 10_000;

/** A verified token as cached under its SHA-256. */
interface CachedToken {
  verified: VerifiedToken;
  /** access-status.ts key of the token's (person, app) pair. */
  statusKey: string;
  /** JWT `iat` (seconds); 0 for a PAT. */
  issuedAt: number;
  /** The JWT's toolsets_rev claim (0 when absent, and for a PAT). */
  toolsetsRevision: number;
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
  /** Stops listening for account changes (the standing cache's subscription). */
  close(): void;
}

export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  const now = opts.now ?? Date.now;
  const keySet =
    opts.keySet ??
    createRemoteJWKSet(opts.jwksUrl, {
      // A token with an unknown kid refetches at most this often: a rotated key is picked up within
      // seconds, while forged kids cannot turn us into a JWKS-fetching amplifier.
      cooldownDuration: 5_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    });
  const statusMs = opts.statusCacheMs ?? DEFAULT_STATUS_CACHE_MS;
  // Keyed by SHA-256 of the token: the cache never holds a usable credential. JWT entries live until
  // the token's own exp (a signature does not change); PAT entries only as long as a status.
  const tokens = new ExpiringLru<string, CachedToken>(TOKEN_CACHE_ENTRIES, now);
  const statuses = createAccessStatusCache({ store: opts.store, ttlMs: statusMs, now });

  async function verifyJwt(token: string, fingerprint: string): Promise<CachedToken> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: opts.issuer,
        audience: opts.audience,
        typ: 'at+jwt',
        algorithms: ['ES256'],
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub', 'iat'],
        currentDate: new Date(now()),
      }));
    } catch (err) {
      throw mapJoseError(err);
    }
    // client_id (RFC 9068 §2.2) names the app whose grant must still exist.
    const { sub, exp, iat, client_id: clientId } = payload;
    if (
      typeof sub !== 'string' ||
      sub.length === 0 ||
      typeof exp !== 'number' ||
      typeof iat !== 'number' ||
      typeof clientId !== 'string' ||
      clientId.length === 0
    )
      throw new InvalidTokenError('claims');
    const scope = typeof payload.scope === 'string' ? payload.scope : '';
    const revision = payload[TOOLSETS_REVISION_CLAIM];
    return {
      verified: {
        person: {
          accountId: sub,
          scopes: new Set(scope.split(' ').filter((s) => s.length > 0)),
          clientId,
          toolsets: new Set(toolsetsFromClaim(payload[TOOLSETS_CLAIM])),
        },
        expiresAt: exp,
        fingerprint,
      },
      statusKey: statusKey(sub, clientId),
      issuedAt: iat,
      toolsetsRevision: typeof revision === 'number' && Number.isInteger(revision) ? revision : 0,
    };
  }

  /** The PAT lookup checks revocation, expiry and the account in one query: it is the status too. */
  async function verifyPat(token: string, fingerprint: string): Promise<CachedToken | undefined> {
    if (!opts.verifyPersonalAccessToken) throw new InvalidTokenError('unknown_pat');
    const ticket = statuses.ticket();
    let found: PersonalAccessTokenResult | undefined;
    try {
      found = await opts.verifyPersonalAccessToken(opts.store, token);
    } catch (err) {
      throw new VerifierUnavailableError(err);
    }
    if (!found) return undefined;
    const clientId = `pat:${found.patId}`;
    const entry: CachedToken = {
      verified: {
        person: {
          accountId: found.accountId,
          scopes: new Set(found.scopes),
          clientId,
          toolsets: new Set(toolsetsFromClaim(found.toolsets.join(' '))),
        },
        expiresAt: Math.ceil((now() + statusMs) / 1000),
        fingerprint,
      },
      statusKey: statusKey(found.accountId, clientId),
      issuedAt: 0,
      toolsetsRevision: 0,
    };
    statuses.remember(entry.statusKey, { refusal: null, grantSince: 0, toolsetsRevision: 0, checkedAt: now() / 1000 }, ticket);
    return entry;
  }

  /** A cached PAT whose status a local change dropped: look it up again. */
  async function recheckPat(token: string, digest: string, entry: CachedToken): Promise<VerifiedToken> {
    const again = await verifyPat(token, entry.verified.fingerprint);
    if (again?.statusKey === entry.statusKey) return entry.verified;
    tokens.delete(digest);
    throw new InvalidTokenError('unknown_pat');
  }

  async function checkJwtStanding(entry: CachedToken): Promise<VerifiedToken> {
    let status = statuses.get(entry.statusKey);
    // A remembered refusal covers tokens issued before it was read; a newer one (the app was
    // reconnected, the account re-created) gets a fresh look.
    if (status === undefined || (status.refusal !== null && entry.issuedAt >= status.checkedAt - CLOCK_TOLERANCE_S)) {
      try {
        status = await statuses.load(entry.statusKey, entry.verified.person.accountId!, entry.verified.person.clientId!);
      } catch (err) {
        throw new VerifierUnavailableError(err);
      }
    }
    if (status.refusal !== null) throw new InvalidTokenError(status.refusal);
    // Issued before the pair's live grant: it came from one revoked since (revoke, then reconnect).
    if (entry.issuedAt < status.grantSince - GRANT_CLOCK_SKEW_S) throw new InvalidTokenError('grant_revoked');
    // Issued before the person changed the app's tool sets: a 401 makes the client refresh, and
    // the new token carries the new choice (revisions, not clocks: no skew window).
    if (entry.toolsetsRevision < status.toolsetsRevision) throw new InvalidTokenError('toolsets_changed');
    return entry.verified;
  }

  return {
    close: () => statuses.close(),
    async verify(token) {
      const digest = createHash('sha256').update(token).digest('base64url');
      const isPat = token.startsWith(PAT_PREFIX);
      let entry = tokens.get(digest);
      if (!entry) {
        const fingerprint = `sha256:${digest.slice(0, 12)}`;
        if (isPat) {
          const fresh = await verifyPat(token, fingerprint);
          if (!fresh) throw new InvalidTokenError('unknown_pat');
          tokens.set(digest, fresh, now() + statusMs);
          return fresh.verified; // just read from the store: no status look on top
        }
        entry = await verifyJwt(token, fingerprint);
        tokens.set(digest, entry, entry.verified.expiresAt * 1000);
      } else if (entry.verified.expiresAt * 1000 + CLOCK_TOLERANCE_S * 1000 <= now()) {
        tokens.delete(digest);
        throw new InvalidTokenError('expired');
      }
      if (isPat) return statuses.get(entry.statusKey) ? entry.verified : recheckPat(token, digest, entry);
      return checkJwtStanding(entry);
    },
  };
}

function mapJoseError(err: unknown): Error {
  if (err instanceof joseErrors.JWTExpired) return new InvalidTokenError('expired', { cause: err });
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    const byClaim: Record<string, TokenErrorReason> = { iss: 'issuer', aud: 'audience', typ: 'type', nbf: 'not_yet_valid' };
    return new InvalidTokenError(byClaim[err.claim] ?? 'claims', { cause: err });
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed || err instanceof joseErrors.JOSENotSupported)
    return new InvalidTokenError('algorithm', { cause: err });
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return new InvalidTokenError('bad_signature', { cause: err });
  if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWKSMultipleMatchingKeys)
    return new InvalidTokenError('unknown_key', { cause: err });
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid)
    return new InvalidTokenError('malformed', { cause: err });
  // JWKS fetch failures (timeout, non-200, network) are our outage, not the client's bad token.
  if (
    err instanceof joseErrors.JWKSTimeout ||
    err instanceof joseErrors.JWKSInvalid ||
    err instanceof TypeError ||
    err instanceof joseErrors.JOSEError
  )
    return new VerifierUnavailableError(err);
  return new InvalidTokenError('malformed', { cause: err });
}
