import { randomBytes } from 'node:crypto';
import type { Config } from '../config/schema.js';
import type { Queryable } from './store.js';

/** Secrets the service needs at run time, resolved once at start-up. */
export interface Secrets {
  /** AES-256 key used for new ciphertexts. */
  encryptionKey: Buffer;
  /** Older keys still accepted for decryption (rotation). */
  previousEncryptionKeys: readonly Buffer[];
  /** Cookie signing keys, newest first. */
  cookieKeys: readonly string[];
}

/**
 * Returns a secret persisted under `name`, creating it with `make()` the first time. Safe when
 * several instances race: the first insert wins and everyone reads the winner back.
 */
async function persistedSecret(db: Queryable, name: string, make: () => string): Promise<string> {
  await db.query('INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, make()]);
  const rows = await db.query<{ value: string }>('SELECT value FROM app_secrets WHERE name = $1', [name]);
  return rows[0]!.value;
}

/**
 * Production takes every secret from configuration (the schema refuses to start otherwise).
 * Elsewhere a missing secret is generated once and kept in the store, so a restart keeps
 * cookies, sessions and encrypted rows readable.
 */
export async function resolveSecrets(config: Config, db: Queryable): Promise<Secrets> {
  const encryptionKey = config.ENCRYPTION_KEY ?? (await persistedSecret(db, 'ENCRYPTION_KEY', () => randomBytes(32).toString('base64')));
  const cookieKeys = config.COOKIE_KEYS ?? [await persistedSecret(db, 'COOKIE_KEY', () => randomBytes(32).toString('base64url'))];
  return Object.freeze({
    encryptionKey: Buffer.from(encryptionKey, 'base64'),
    previousEncryptionKeys: Object.freeze(config.PREVIOUS_ENCRYPTION_KEYS.map((k) => Buffer.from(k, 'base64'))),
    cookieKeys: Object.freeze([...cookieKeys]),
  });
}
