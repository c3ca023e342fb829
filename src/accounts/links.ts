import type { SecretBox } from '../crypto/secret-box.js';
import type { IntervalsCredentials } from '../intervals/credentials.js';
import type { Queryable } from '../store/store.js';

/**
 * A person's link to their own Intervals.icu account. The secret (personal API key or OAuth
 * access token) only ever leaves this module decrypted through `loadIntervalsCredentials`, for
 * the one call that needs it; everything else sees `IntervalsLink`, which carries no secret.
 */
export type LinkMethod = IntervalsCredentials['kind'];

export interface IntervalsLink {
  accountId: string;
  athleteId: string;
  athleteName: string | null;
  method: LinkMethod;
  /** Intervals.icu OAuth scopes granted (empty for API keys, which can do everything the athlete can). */
  scopes: string[];
  keyVersion: string;
  linkedAt: Date;
  lastOkAt: Date | null;
  brokenAt: Date | null;
  brokenReason: string | null;
}

interface LinkRow extends Record<string, unknown> {
  account_id: string;
  athlete_id: string;
  athlete_name: string | null;
  method: LinkMethod;
  scopes: string[];
  key_version: string;
  linked_at: Date;
  last_ok_at: Date | null;
  broken_at: Date | null;
  broken_reason: string | null;
}

const LINK_COLUMNS = 'account_id, athlete_id, athlete_name, method, scopes, key_version, linked_at, last_ok_at, broken_at, broken_reason';

/** The associated data that binds a sealed secret to its row. */
export function linkAssociatedData(accountId: string): string {
  return `intervals_links:${accountId}`;
}

function toLink(r: LinkRow): IntervalsLink {
  return {
    accountId: r.account_id,
    athleteId: r.athlete_id,
    athleteName: r.athlete_name,
    method: r.method,
    scopes: r.scopes ?? [],
    keyVersion: r.key_version,
    linkedAt: r.linked_at,
    lastOkAt: r.last_ok_at,
    brokenAt: r.broken_at,
    brokenReason: r.broken_reason,
  };
}

export interface NewLink {
  accountId: string;
  athleteId: string;
  athleteName: string | null;
  credentials: IntervalsCredentials;
}

/**
 * Creates or replaces the person's link (re-linking replaces the old secret). Call only after
 * the credentials were checked live: a saved link counts as working (`last_ok_at` = now).
 */
export async function saveIntervalsLink(db: Queryable, box: SecretBox, link: NewLink): Promise<IntervalsLink> {
  const secret = link.credentials.kind === 'api_key' ? link.credentials.apiKey : link.credentials.accessToken;
  const scopes = link.credentials.kind === 'oauth' ? link.credentials.scopes : [];
  const rows = await db.query<LinkRow>(
    `INSERT INTO intervals_links (account_id, athlete_id, athlete_name, method, secret_ciphertext, key_version, scopes, linked_at, last_ok_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now())
     ON CONFLICT (account_id) DO UPDATE SET
       athlete_id = EXCLUDED.athlete_id, athlete_name = EXCLUDED.athlete_name, method = EXCLUDED.method,
       secret_ciphertext = EXCLUDED.secret_ciphertext, key_version = EXCLUDED.key_version, scopes = EXCLUDED.scopes,
       linked_at = now(), last_ok_at = now(), broken_at = NULL, broken_reason = NULL
     RETURNING ${LINK_COLUMNS}`,
    [
      link.accountId,
      link.athleteId,
      link.athleteName,
      link.credentials.kind,
      box.seal(secret, linkAssociatedData(link.accountId)),
      box.currentKeyId,
      scopes,
    ],
  );
  return toLink(rows[0]!);
}

/** The link without its secret (for pages and status), or undefined when the person has none. */
export async function findIntervalsLink(db: Queryable, accountId: string): Promise<IntervalsLink | undefined> {
  const rows = await db.query<LinkRow>(`SELECT ${LINK_COLUMNS} FROM intervals_links WHERE account_id = $1`, [accountId]);
  return rows[0] && toLink(rows[0]);
}

/** Whether the sign-in flow still has to send the person to the link step after consent. */
export async function hasIntervalsLink(db: Queryable, accountId: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM intervals_links WHERE account_id = $1', [accountId]);
  return rows.length > 0;
}

/**
 * The person's decrypted credentials for one Intervals.icu call, or undefined when not linked.
 * A broken link is still returned: Intervals.icu decides, and its answer names the next step.
 */
export async function loadIntervalsCredentials(
  db: Queryable,
  box: SecretBox,
  accountId: string,
): Promise<{ athleteId: string; credentials: IntervalsCredentials } | undefined> {
  const rows = await db.query<{ athlete_id: string; method: LinkMethod; secret_ciphertext: string; scopes: string[] }>(
    'SELECT athlete_id, method, secret_ciphertext, scopes FROM intervals_links WHERE account_id = $1',
    [accountId],
  );
  const r = rows[0];
  if (!r) return undefined;
  const secret = box.open(r.secret_ciphertext, linkAssociatedData(accountId));
  const credentials: IntervalsCredentials =
    r.method === 'oauth' ? { kind: 'oauth', accessToken: secret, scopes: r.scopes ?? [] } : { kind: 'api_key', apiKey: secret };
  return { athleteId: r.athlete_id, credentials };
}

/**
 * Records a successful Intervals.icu call. Called on every tool call, so it writes at most once a
 * minute per person (plus whenever it clears a broken state).
 */
export async function markLinkOk(db: Queryable, accountId: string): Promise<void> {
  await db.query(
    `UPDATE intervals_links SET last_ok_at = now(), broken_at = NULL, broken_reason = NULL
     WHERE account_id = $1 AND (broken_at IS NOT NULL OR last_ok_at IS NULL OR last_ok_at < now() - interval '1 minute')`,
    [accountId],
  );
}

/**
 * Records that Intervals.icu rejected the person's credentials (401/403), so the account page can
 * show the link as broken. `reason` is shown to the person: never put a secret in it.
 */
export async function markLinkBroken(db: Queryable, accountId: string, reason: string): Promise<void> {
  await db.query(`UPDATE intervals_links SET broken_at = COALESCE(broken_at, now()), broken_reason = $2 WHERE account_id = $1`, [
    accountId,
    reason.slice(0, 500),
  ]);
}

/** Removes the link (and with it the stored secret). Returns whether there was one. */
export async function unlinkIntervals(db: Queryable, accountId: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM intervals_links WHERE account_id = $1 RETURNING account_id', [accountId]);
  return rows.length > 0;
}
