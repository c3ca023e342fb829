import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import { READ_SCOPE, WRITE_SCOPE, type Scope } from '../scopes.js';
import type { Toolset } from '../mcp/tool.js';
import { DEFAULT_TOOLSETS, withCore } from '../mcp/toolsets.js';
import { parseToolsetChoice } from './page-toolsets.js';
import type { Queryable } from '../store/store.js';

/**
 * Personal access tokens, for MCP clients that cannot do OAuth. A token is `imcp_pat_` + 32
 * random bytes; only its SHA-256 is stored (a fast hash is right here: the token has 256 bits of
 * entropy, nothing to brute-force), so a database dump yields no usable token.
 */
export const PAT_PREFIX = 'imcp_pat_';
const TOKEN_SHAPE = /^imcp_pat_[A-Za-z0-9_-]{43}$/;
export const PAT_SCOPES: readonly Scope[] = [READ_SCOPE, WRITE_SCOPE];
/** Expiry choices offered on the page, in days; null = never. */
export const PAT_EXPIRY_DAYS = [7, 30, 90, 365, null] as const;
const MAX_NAME = 80;
const MAX_ACTIVE_PER_ACCOUNT = 25;

export interface PersonalAccessToken {
  id: string;
  name: string;
  scopes: string[];
  /** The tool sets the token carries (chosen at creation; core always). */
  toolsets: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface PatRow extends Record<string, unknown> {
  id: string;
  name: string;
  scopes: string[];
  toolsets: string[];
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toPat = (r: PatRow): PersonalAccessToken => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes,
  toolsets: r.toolsets,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface NewPat {
  name: unknown;
  scopes: unknown;
  /** Days until expiry as typed in the form; '' / 'never' = no expiry. */
  expiresInDays: unknown;
  /** Optional tool sets ticked in the form (one value or several); core is always added. */
  toolsets?: unknown;
}

/** Reads and checks the create form; throws AppError with a message for the person. */
export function parseNewPat(input: NewPat): { name: string; scopes: Scope[]; expiresInDays: number | null; toolsets: Toolset[] } {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '') throw new AppError('pat_name_missing', 'Give the token a name, such as the app it is for ("Cursor on my laptop").');
  if (name.length > MAX_NAME) throw new AppError('pat_name_too_long', `Keep the name under ${MAX_NAME} characters.`);
  const raw = Array.isArray(input.scopes) ? input.scopes : input.scopes === undefined ? [] : [input.scopes];
  const scopes = PAT_SCOPES.filter((s) => raw.includes(s));
  if (raw.some((s) => !PAT_SCOPES.includes(s as Scope)))
    throw new AppError('pat_scope_unknown', `Scopes can only be ${PAT_SCOPES.join(' and ')}.`);
  if (scopes.length === 0)
    throw new AppError(
      'pat_scope_missing',
      `Pick at least one scope: ${READ_SCOPE} lets the app read your data, ${WRITE_SCOPE} lets it change it.`,
    );
  const days =
    input.expiresInDays === undefined || input.expiresInDays === '' || input.expiresInDays === 'never' ? null : Number(input.expiresInDays);
  if (days !== null && !(PAT_EXPIRY_DAYS as readonly (number | null)[]).includes(days)) {
    throw new AppError('pat_expiry_invalid', `Pick an expiry of ${PAT_EXPIRY_DAYS.filter((d) => d !== null).join(', ')} days, or never.`);
  }
  return { name, scopes, expiresInDays: days, toolsets: parseToolsetChoice(input.toolsets) };
}

/** Creates a token; the returned `token` is the only time it exists in plain text. */
export async function createPersonalAccessToken(
  db: Queryable,
  accountId: string,
  input: { name: string; scopes: Scope[]; expiresInDays: number | null; toolsets?: readonly Toolset[] },
): Promise<{ token: string; pat: PersonalAccessToken }> {
  const active = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM personal_access_tokens
     WHERE account_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [accountId],
  );
  if ((active[0]?.n ?? 0) >= MAX_ACTIVE_PER_ACCOUNT) {
    throw new AppError('pat_limit', `You already have ${MAX_ACTIVE_PER_ACCOUNT} active tokens. Revoke ones you no longer use first.`, 409);
  }
  const token = PAT_PREFIX + randomBytes(32).toString('base64url');
  const id = `pat_${randomBytes(9).toString('base64url')}`;
  const rows = await db.query<PatRow>(
    `INSERT INTO personal_access_tokens (id, account_id, name, token_hash, scopes, expires_at, toolsets)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(days => $6::int) END, $7)
     RETURNING id, name, scopes, toolsets, created_at, expires_at, last_used_at, revoked_at`,
    [id, accountId, input.name, hashToken(token), input.scopes, input.expiresInDays, withCore(input.toolsets ?? DEFAULT_TOOLSETS)],
  );
  return { token, pat: toPat(rows[0]!) };
}

/** Every token of the person, newest first, revoked and expired ones included (for the page). */
export async function listPersonalAccessTokens(db: Queryable, accountId: string): Promise<PersonalAccessToken[]> {
  const rows = await db.query<PatRow>(
    `SELECT id, name, scopes, toolsets, created_at, expires_at, last_used_at, revoked_at FROM personal_access_tokens
     WHERE account_id = $1 ORDER BY created_at DESC, id`,
    [accountId],
  );
  return rows.map(toPat);
}

/** Revokes one of the person's own tokens; false when it is not theirs or already revoked. */
export async function revokePersonalAccessToken(db: Queryable, accountId: string, patId: string): Promise<boolean> {
  const rows = await db.query(
    'UPDATE personal_access_tokens SET revoked_at = now() WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL RETURNING id',
    [patId, accountId],
  );
  return rows.length > 0;
}

/**
 * Resolves a bearer token that looks like a PAT. Undefined for unknown, revoked or expired
 * tokens and for disabled accounts. `last_used_at` is written at most once a minute per token.
 */
export async function verifyPersonalAccessToken(
  db: Queryable,
  token: string,
): Promise<{ accountId: string; scopes: string[]; patId: string; toolsets: string[] } | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const rows = await db.query<{ id: string; account_id: string; scopes: string[]; toolsets: string[]; last_used_recent: boolean }>(
    `SELECT p.id, p.account_id, p.scopes, p.toolsets, (p.last_used_at > now() - interval '1 minute') AS last_used_recent
     FROM personal_access_tokens p JOIN accounts a ON a.id = p.account_id
     WHERE p.token_hash = $1 AND p.revoked_at IS NULL AND (p.expires_at IS NULL OR p.expires_at > now()) AND a.disabled_at IS NULL`,
    [hashToken(token)],
  );
  const r = rows[0];
  if (!r) return undefined;
  if (!r.last_used_recent) await db.query('UPDATE personal_access_tokens SET last_used_at = now() WHERE id = $1', [r.id]);
  return { accountId: r.account_id, scopes: r.scopes, patId: r.id, toolsets: r.toolsets };
}

export function looksLikePersonalAccessToken(token: string): boolean {
  return token.startsWith(PAT_PREFIX);
}
