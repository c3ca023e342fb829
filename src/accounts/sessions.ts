import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { Queryable } from '../store/store.js';

/**
 * Sessions of the account page. The cookie carries a random id (signed with the cookie keys,
 * HttpOnly, SameSite=Lax so the link back from Supabase/Intervals.icu sign-in keeps it, scoped
 * to /account); the store keeps only its SHA-256, with an absolute expiry. Deleting the row ends
 * the session everywhere at once (sign out, account deletion).
 */
export const SESSION_COOKIE = 'account_session';
export const SESSION_PATH = '/account';
const SESSION_HOURS = 12;
const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const hashId = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

/**
 * Production's BASE_URL is https (enforced at start-up), so the browser always talks https even
 * when the proxy in front does not say so; koa refuses `secure` cookies unless it believes the
 * connection is secure, so tell it.
 */
export function secureCookies(ctx: Context, production: boolean): boolean {
  if (production) (ctx.cookies as unknown as { secure: boolean }).secure = true;
  return production || ctx.secure;
}

export async function startAccountSession(ctx: Context, db: Queryable, accountId: string, production: boolean): Promise<void> {
  const id = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO account_sessions (id_hash, account_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3::int))`,
    [hashId(id), accountId, SESSION_HOURS],
  );
  ctx.cookies.set(SESSION_COOKIE, id, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(ctx, production),
    path: SESSION_PATH,
    maxAge: SESSION_HOURS * 3_600_000,
    overwrite: true,
  });
}

/** The signed-in account id, or undefined (no/invalid/expired cookie, or a disabled account). */
export async function readAccountSession(ctx: Context, db: Queryable): Promise<string | undefined> {
  const id = ctx.cookies.get(SESSION_COOKIE, { signed: true });
  if (!id || !ID_SHAPE.test(id)) return undefined;
  const rows = await db.query<{ account_id: string }>(
    `SELECT s.account_id FROM account_sessions s JOIN accounts a ON a.id = s.account_id
     WHERE s.id_hash = $1 AND s.expires_at > now() AND a.disabled_at IS NULL`,
    [hashId(id)],
  );
  return rows[0]?.account_id;
}

/** Ends this browser's session: deletes the row and clears the cookie. */
export async function endAccountSession(ctx: Context, db: Queryable, production: boolean): Promise<void> {
  const id = ctx.cookies.get(SESSION_COOKIE, { signed: true });
  if (id && ID_SHAPE.test(id)) await db.query('DELETE FROM account_sessions WHERE id_hash = $1', [hashId(id)]);
  ctx.cookies.set(SESSION_COOKIE, null, {
    path: SESSION_PATH,
    secure: secureCookies(ctx, production),
    sameSite: 'lax',
    httpOnly: true,
    signed: true,
  });
}

/** Housekeeping: expired sessions are useless; drop them when someone signs in. */
export async function sweepExpiredSessions(db: Queryable): Promise<void> {
  await db.query('DELETE FROM account_sessions WHERE expires_at < now()');
}
