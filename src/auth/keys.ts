import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Config } from '../config/schema.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { AppError } from '../errors.js';
import type { Queryable, Store } from '../store/store.js';

/** Tokens signed by a key live at most this long (access and ID tokens: 1 h) … */
export const LONGEST_TOKEN_SECONDS = 3600;
/** … so a superseded key stays published this long after it stopped signing. */
const RETAIN_AFTER_SUPERSEDED_SECONDS = 2 * LONGEST_TOKEN_SECONDS;
/**
 * How long a new key is published before it signs. Every instance re-reads keys every
 * SIGNING_KEYS_RELOAD_SECONDS and resource servers refetch JWKS on an unknown kid, so by the time
 * the key signs, everyone who verifies has seen it.
 */
export const DEFAULT_PUBLISH_LEAD_SECONDS = 300;
/**
 * A resource server that meets an unknown kid refetches the JWKS at most this often
 * (`cooldownDuration` in src/resource/verify-token.ts; keep the two equal).
 */
export const JWKS_REFETCH_COOLDOWN_SECONDS = 5;

/**
 * The shortest publish lead with which no fresh token is refused. Every instance publishes the
 * new key within one reload; a resource server whose cached JWKS predates that refetches on the
 * first token signed by the new key as long as its last fetch is a cooldown old. So a lead of
 * reload + cooldown puts the key in every JWKS cache before anything signs with it.
 */
export function minimumPublishLeadSeconds(reloadSeconds: number): number {
  return reloadSeconds + JWKS_REFETCH_COOLDOWN_SECONDS;
}

export const SIGNING_ALG = 'ES256';

export interface SigningKeySet {
  /** Private JWKs for oidc-provider's `jwks`: the active signer first (it signs with the first match). */
  keys: JWK[];
  signingKid: string;
  /** Changes whenever the published set or the signer changes; instances rebuild the provider on change. */
  fingerprint: string;
  source: 'config' | 'store';
}

export class SigningKeyError extends AppError {
  constructor(message: string) {
    super('invalid_signing_keys', message, 500, { expose: false });
  }
}

interface KeyRow extends Record<string, unknown> {
  kid: string;
  sealed_jwk: string;
  active: boolean;
}

const aad = (kid: string) => `signing_keys:${kid}`;

async function newKey(): Promise<JWK & { kid: string }> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! });
  return { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' };
}

async function insertKey(db: Queryable, box: SecretBox, activatesInSeconds: number): Promise<{ kid: string; activatesAt: Date }> {
  const jwk = await newKey();
  const rows = await db.query<{ activates_at: Date }>(
    `INSERT INTO signing_keys (kid, alg, sealed_jwk, activates_at)
     VALUES ($1, $2, $3, now() + $4::float8 * interval '1 second') RETURNING activates_at`,
    [jwk.kid, SIGNING_ALG, box.seal(JSON.stringify(jwk), aad(jwk.kid)), activatesInSeconds],
  );
  return { kid: jwk.kid, activatesAt: new Date(rows[0]!.activates_at) };
}

const lockKeys = (tx: Queryable) => tx.query(`SELECT pg_advisory_xact_lock(hashtext('intervals-mcp:signing-keys:' || current_schema()))`);

/**
 * Operator command: publish a new signing key now, let it sign after `publishLeadSeconds`, and
 * mark the current signer superseded from that moment (it stays published until its tokens
 * expired). Also forgets keys retired long ago. Running instances pick the change up on their
 * next key reload; no restart.
 */
export async function rotateSigningKeys(
  store: Store,
  box: SecretBox,
  opts: { publishLeadSeconds?: number } = {},
): Promise<{ kid: string; activatesAt: Date }> {
  const lead = opts.publishLeadSeconds ?? DEFAULT_PUBLISH_LEAD_SECONDS;
  return store.transaction(async (tx) => {
    await lockKeys(tx);
    const created = await insertKey(tx, box, lead);
    await tx.query(`UPDATE signing_keys SET superseded_at = $2 WHERE kid <> $1 AND (superseded_at IS NULL OR superseded_at > $2)`, [
      created.kid,
      created.activatesAt,
    ]);
    await tx.query(`DELETE FROM signing_keys WHERE superseded_at < now() - $1::float8 * interval '1 second'`, [
      RETAIN_AFTER_SUPERSEDED_SECONDS,
    ]);
    return created;
  });
}

/** First start: make one key that signs immediately (serialised, so racing instances agree). */
async function ensureKey(store: Store, box: SecretBox): Promise<void> {
  const existing = await store.query('SELECT 1 FROM signing_keys LIMIT 1');
  if (existing.length > 0) return;
  await store.transaction(async (tx) => {
    await lockKeys(tx);
    const again = await tx.query('SELECT 1 FROM signing_keys LIMIT 1');
    if (again.length === 0) await insertKey(tx, box, 0);
  });
}

async function loadStoredKeys(store: Store, box: SecretBox): Promise<SigningKeySet> {
  await ensureKey(store, box);
  // The signer is the newest key already active; everything not long retired stays published,
  // including keys that will sign later (published before they sign).
  const rows = await store.query<KeyRow>(
    `WITH signer AS (
       SELECT kid FROM signing_keys WHERE activates_at <= now() ORDER BY activates_at DESC, created_at DESC LIMIT 1)
     SELECT k.kid, k.sealed_jwk, (k.kid = (SELECT kid FROM signer)) AS active
       FROM signing_keys k
      WHERE k.superseded_at IS NULL OR k.superseded_at > now() - $1::float8 * interval '1 second'
      ORDER BY active DESC, k.activates_at DESC`,
    [RETAIN_AFTER_SUPERSEDED_SECONDS],
  );
  const signer = rows.find((r) => r.active);
  if (!signer) throw new SigningKeyError('No signing key is active yet; run the key rotation again with no lead time.');
  const keys = rows.map((r) => JSON.parse(box.open(r.sealed_jwk, aad(r.kid))) as JWK);
  return { keys, signingKid: signer.kid, fingerprint: `store:${rows.map((r) => r.kid).join(',')}`, source: 'store' };
}

/** SIGNING_KEYS: a private JWKS whose first key signs (rotate by reordering, see the README). */
export function parseConfiguredKeys(json: string): SigningKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new SigningKeyError('SIGNING_KEYS is not valid JSON; expected {"keys":[{private EC P-256 JWK with kid}, …]}.');
  }
  const keys = (Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown })?.keys) as JWK[] | undefined;
  if (!Array.isArray(keys) || keys.length === 0) throw new SigningKeyError('SIGNING_KEYS must hold a "keys" array with at least one key.');
  keys.forEach((k, i) => {
    if (typeof k?.kid !== 'string' || k.kid.length === 0) throw new SigningKeyError(`SIGNING_KEYS key #${i + 1} needs a "kid".`);
    if (typeof k.d !== 'string') throw new SigningKeyError(`SIGNING_KEYS key "${k.kid}" is not a private key (no "d").`);
  });
  const first = keys[0]!;
  if (first.kty !== 'EC' || first.crv !== 'P-256')
    throw new SigningKeyError(`SIGNING_KEYS' first key "${first.kid}" signs access tokens with ES256 and must be an EC P-256 key.`);
  return { keys, signingKid: first.kid!, fingerprint: `config:${keys.map((k) => k.kid).join(',')}`, source: 'config' };
}

export async function loadSigningKeys(config: Config, store: Store, box: SecretBox): Promise<SigningKeySet> {
  return config.SIGNING_KEYS ? parseConfiguredKeys(config.SIGNING_KEYS) : loadStoredKeys(store, box);
}
