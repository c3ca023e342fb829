import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Secrets } from '../store/app-secrets.js';

/**
 * AES-256-GCM for secrets at rest (Intervals.icu keys and tokens, OAuth signing keys).
 *
 * - Every ciphertext records the id of the key that sealed it, so ENCRYPTION_KEY can rotate:
 *   old keys stay readable (PREVIOUS_ENCRYPTION_KEYS) until `admin reencrypt` re-seals every row.
 * - The row's identity is bound as associated data (e.g. `intervals_links:<account id>`), so a
 *   ciphertext copied onto another row does not decrypt.
 *
 * Format: `v1.<keyId>.<iv b64url>.<ciphertext b64url>.<tag b64url>`.
 */
export interface SecretBox {
  /** Id of the key used for new ciphertexts. */
  readonly currentKeyId: string;
  seal(plaintext: string, associatedData: string): string;
  open(sealed: string, associatedData: string): string;
  /** Key id a ciphertext was sealed with (without decrypting). */
  keyIdOf(sealed: string): string;
}

export class SecretBoxError extends Error {
  readonly code = 'decrypt_failed';
}

/** A short, non-secret fingerprint of a key: the first 8 hex chars of SHA-256("intervals-mcp:" + key). */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('intervals-mcp:').update(key).digest('hex').slice(0, 8);
}

export function createSecretBox(secrets: Pick<Secrets, 'encryptionKey' | 'previousEncryptionKeys'>): SecretBox {
  const keys = new Map<string, Buffer>();
  for (const k of [secrets.encryptionKey, ...secrets.previousEncryptionKeys]) keys.set(keyId(k), k);
  const currentKeyId = keyId(secrets.encryptionKey);

  return {
    currentKeyId,
    seal(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secrets.encryptionKey, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', currentKeyId, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed, associatedData) {
      const [v, kid, iv, ct, tag] = sealed.split('.');
      if (v !== 'v1' || !kid || iv === undefined || ct === undefined || tag === undefined) {
        throw new SecretBoxError('not a sealed secret');
      }
      const key = keys.get(kid);
      if (!key) throw new SecretBoxError(`sealed with unknown key ${kid}; add the old key to PREVIOUS_ENCRYPTION_KEYS`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('ciphertext does not authenticate (wrong key or wrong row)');
      }
    },
    keyIdOf(sealed) {
      return sealed.split('.')[1] ?? '';
    },
  };
}
