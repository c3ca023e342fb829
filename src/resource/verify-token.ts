import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { isAccountActive } from '../accounts/account-store.js';
import { onAccountChange } from '../accounts/events.js';
import type { Person } from '../mcp/context.js';
import type { Queryable } from '../store/store.js';
import { ExpiringLru } from './expiring-lru.js';

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
  | 'unknown_pat';

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
  unknown_pat: 'The personal access token is unknown or revoked.',
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
  now?: () => number;
}

export const PAT_PREFIX = 'imcp_pat_';
const CLOCK_TOLERANCE_S = 5;
/** Revocation, deletion and disabling reach every instance within this time. */
const STATUS_CACHE_MS = 60_000;
const TOKEN_CACHE_ENTRIES = 10_000;
const ACCOUNT_CACHE_ENTRIES = 10_000;

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
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
  // Keyed by SHA-256 of the token: the cache never holds a usable credential. JWT entries live until
  // the token's own exp; PAT entries at most STATUS_CACHE_MS so revocation applies within a minute.
  const tokens = new ExpiringLru<string, VerifiedToken>(TOKEN_CACHE_ENTRIES, now);
  const accounts = new ExpiringLru<string, boolean>(ACCOUNT_CACHE_ENTRIES, now);
  // A deletion on this instance bites at the very next call; other instances within STATUS_CACHE_MS.
  onAccountChange((accountId) => accounts.delete(accountId));

  async function accountActive(accountId: string): Promise<boolean> {
    const cached = accounts.get(accountId);
    if (cached !== undefined) return cached;
    let active: boolean;
    try {
      active = await isAccountActive(opts.store, accountId);
    } catch (err) {
      throw new VerifierUnavailableError(err);
    }
    accounts.set(accountId, active, now() + STATUS_CACHE_MS);
    return active;
  }

  async function verifyJwt(token: string, fingerprint: string): Promise<VerifiedToken> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: opts.issuer,
        audience: opts.audience,
        typ: 'at+jwt',
        algorithms: ['ES256'],
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(now()),
      }));
    } catch (err) {
      throw mapJoseError(err);
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || typeof payload.exp !== 'number')
      throw new InvalidTokenError('claims');
    const scope = typeof payload.scope === 'string' ? payload.scope : '';
    return {
      person: {
        accountId: payload.sub,
        scopes: new Set(scope.split(' ').filter((s) => s.length > 0)),
        clientId: typeof payload.client_id === 'string' ? payload.client_id : null,
      },
      expiresAt: payload.exp,
      fingerprint,
    };
  }

  async function verifyPat(token: string, fingerprint: string): Promise<VerifiedToken> {
    if (!opts.verifyPersonalAccessToken) throw new InvalidTokenError('unknown_pat');
    let found: PersonalAccessTokenResult | undefined;
    try {
      found = await opts.verifyPersonalAccessToken(opts.store, token);
    } catch (err) {
      throw new VerifierUnavailableError(err);
    }
    if (!found) throw new InvalidTokenError('unknown_pat');
    return {
      person: { accountId: found.accountId, scopes: new Set(found.scopes), clientId: `pat:${found.patId}` },
      expiresAt: Math.floor((now() + STATUS_CACHE_MS) / 1000),
      fingerprint,
    };
  }

  return {
    async verify(token) {
      const digest = createHash('sha256').update(token).digest('base64url');
      let verified = tokens.get(digest);
      if (!verified) {
        const fingerprint = `sha256:${digest.slice(0, 12)}`;
        verified = token.startsWith(PAT_PREFIX) ? await verifyPat(token, fingerprint) : await verifyJwt(token, fingerprint);
        tokens.set(digest, verified, Math.min(verified.expiresAt * 1000, token.startsWith(PAT_PREFIX) ? now() + STATUS_CACHE_MS : Infinity));
      } else if (verified.expiresAt * 1000 + CLOCK_TOLERANCE_S * 1000 <= now()) {
        tokens.delete(digest);
        throw new InvalidTokenError('expired');
      }
      if (!(await accountActive(verified.person.accountId!))) throw new InvalidTokenError('account_inactive');
      return verified;
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
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) return new InvalidTokenError('malformed', { cause: err });
  // JWKS fetch failures (timeout, non-200, network) are our outage, not the client's bad token.
  if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid || err instanceof TypeError || err instanceof joseErrors.JOSEError)
    return new VerifierUnavailableError(err);
  return new InvalidTokenError('malformed', { cause: err });
}
