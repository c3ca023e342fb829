import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../store/store.js';

/**
 * A Supabase PKCE flow waiting for its callback. `storage` is what auth-js wrote to its storage
 * (the code verifier slots); `boundTo` is the sign-in page it started from, so a flow begun for
 * one interaction cannot finish another.
 */
export interface PendingFlow {
  kind: 'oauth' | 'email';
  provider?: string;
  boundTo: string;
  storage: Record<string, string>;
}

const rowId = (secret: string) => createHash('sha256').update(`signin-flow-id:${secret}`).digest('hex');
const keyFor = (secret: string) => createHash('sha256').update(`signin-flow-key:${secret}`).digest();

/** Stores the flow for `ttlSeconds` and returns the secret to put in the person's cookie. */
export async function saveFlow(db: Queryable, flow: PendingFlow, ttlSeconds: number): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  const id = rowId(secret);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret), iv).setAAD(Buffer.from(id));
  const ct = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url');
  // Sweep on write: flows are only ever created here, so the table never outgrows its TTL window.
  await db.query('DELETE FROM signin_flows WHERE expires_at < now()');
  await db.query(`INSERT INTO signin_flows (id, sealed, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3::double precision))`, [
    id,
    sealed,
    ttlSeconds,
  ]);
  return secret;
}

/** Removes and returns the flow for this cookie secret; undefined when unknown, expired or tampered with. */
export async function takeFlow(db: Queryable, secret: string): Promise<PendingFlow | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  const id = rowId(secret);
  const rows = await db.query<{ sealed: string; live: boolean }>(
    'DELETE FROM signin_flows WHERE id = $1 RETURNING sealed, expires_at > now() AS live',
    [id],
  );
  const row = rows[0];
  if (!row || !row.live) return undefined;
  try {
    const buf = Buffer.from(row.sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret), buf.subarray(0, 12)).setAAD(Buffer.from(id));
    decipher.setAuthTag(buf.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as PendingFlow;
  } catch {
    return undefined;
  }
}

export async function discardFlow(db: Queryable, secret: string): Promise<void> {
  await db.query('DELETE FROM signin_flows WHERE id = $1', [rowId(secret)]);
}
