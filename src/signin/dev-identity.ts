import { createHash } from 'node:crypto';

/**
 * Fixed namespace for development person ids (a random UUID chosen once for this project). Changing
 * it would give every local account a new id, so it never changes.
 */
const DEV_NAMESPACE = '3f0c7a52-6b1e-4f8e-9a4d-2c5b7e9d1a63';

/** The form of an email address we accept on every sign-in form: one @, no spaces, at most 254 characters. */
export function normaliseEmail(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const email = raw.trim();
  if (email.length === 0 || email.length > 254) return undefined;
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : undefined;
}

/**
 * A stable person id for the local development sign-in: a UUIDv5 (RFC 9562 §5.5) of the
 * lower-cased email, so signing in again with the same address reaches the same account, and ids
 * look like Supabase user ids (UUIDs) to everything downstream.
 */
export function devPersonId(email: string): string {
  return uuidV5(email.trim().toLowerCase(), DEV_NAMESPACE);
}

/** RFC 9562 UUID version 5: SHA-1 of namespace bytes + name, with version and variant bits set. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
