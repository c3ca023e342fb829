import { READ_SCOPE } from '../mcp/context.js';
import { InvalidTokenError, MissingTokenError, VerifierUnavailableError } from './verify-token.js';

/** A tool needs scopes the token does not carry: the client should step up (403, RFC 6750 §3.1). */
export class InsufficientScopeError extends Error {
  readonly code = 'insufficient_scope';
  constructor(
    /** Every scope the call needs (MCP 2025-11-25: all of them in one challenge). */
    readonly required: readonly string[],
    readonly what: string,
  ) {
    super(`${what} needs the ${required.join(' and ')} permission; reconnect and approve it to continue.`);
  }
}

export interface Challenge {
  status: 401 | 403 | 503;
  headers: Record<string, string>;
  body: { error: string; error_description: string };
}

/** Values we put in quoted-strings are our own fixed texts; this keeps that true if one changes. */
const quote = (s: string) => `"${s.replace(/["\\]/g, '')}"`;

/**
 * The one error mapper of the resource surface: verification and scope errors →
 * 401/403 with `WWW-Authenticate` (RFC 6750 §3, RFC 9728 §5.1, MCP authorization). `error` is only
 * added when a token was presented (RFC 6750 §3.1); `offline_access` never appears in `scope`.
 */
export function challengeFor(err: unknown, resourceMetadataUrl: string): Challenge | undefined {
  const rm = `resource_metadata=${quote(resourceMetadataUrl)}`;
  if (err instanceof MissingTokenError) {
    return {
      status: 401,
      headers: { 'WWW-Authenticate': `Bearer ${rm}, scope=${quote(READ_SCOPE)}` },
      body: { error: 'invalid_request', error_description: err.message },
    };
  }
  if (err instanceof InvalidTokenError) {
    return {
      status: 401,
      headers: {
        'WWW-Authenticate': `Bearer ${rm}, scope=${quote(READ_SCOPE)}, error="invalid_token", error_description=${quote(err.message)}`,
      },
      body: { error: 'invalid_token', error_description: err.message },
    };
  }
  if (err instanceof InsufficientScopeError) {
    return {
      status: 403,
      headers: {
        'WWW-Authenticate': `Bearer error="insufficient_scope", scope=${quote(err.required.join(' '))}, ${rm}, error_description=${quote(err.message)}`,
      },
      body: { error: 'insufficient_scope', error_description: err.message },
    };
  }
  if (err instanceof VerifierUnavailableError) {
    return { status: 503, headers: { 'Retry-After': '5' }, body: { error: 'temporarily_unavailable', error_description: err.message } };
  }
  return undefined;
}

/** Carries a mapped challenge from the bearer check out to the /mcp wrapper that writes it. */
export class ChallengeResponse extends Error {
  constructor(readonly challenge: Challenge) {
    super(challenge.body.error_description);
  }
}
