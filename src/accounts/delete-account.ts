import type { Queryable, Store } from '../store/store.js';

/**
 * "Delete my account": every row we hold for the person goes, in one transaction, and access is
 * cut at once — refresh tokens and grants are deleted, personal access tokens and account-page
 * sessions go with the accounts row (ON DELETE CASCADE), and an access token still in flight is
 * refused because its `sub` no longer has an active account: at its next call on this instance,
 * within ACCESS_STATUS_CACHE_SECONDS on the others.
 *
 * Tables owned by other parts are listed here with the condition that finds the person's rows;
 * a part that starts keeping per-person rows without a foreign key to accounts adds a line.
 */
interface PersonalRows {
  table: string;
  /** SQL condition; $1 = account id. */
  where: string;
}

export const PERSONAL_ROWS: PersonalRows[] = [
  {
    // Grants, sessions, refresh tokens, codes, interactions: anything oidc-provider keeps for them.
    table: 'oidc_payloads',
    where: `payload->>'accountId' = $1
      OR grant_id IN (SELECT id FROM oidc_payloads WHERE model = 'Grant' AND payload->>'accountId' = $1)
      OR payload->'session'->>'accountId' = $1
      OR payload->'result'->'login'->>'accountId' = $1`,
  },
  {
    // The resource server's per-person counters, keyed `<limiter name>:<account id>`.
    table: 'rate_limit_hits',
    where: `right(key, length($1) + 1) = ':' || $1`,
  },
];

async function exists(db: Queryable, table: string): Promise<boolean> {
  const rows = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  return rows[0]?.t != null;
}

/** Returns how many rows went, per table (for the log line; no personal data in it). */
export async function deleteAccountData(store: Store, accountId: string): Promise<Record<string, number>> {
  return store.transaction(async (tx) => {
    const removed: Record<string, number> = {};
    for (const p of PERSONAL_ROWS) {
      if (!(await exists(tx, p.table))) continue;
      removed[p.table] = (await tx.query(`DELETE FROM ${p.table} WHERE ${p.where} RETURNING 1 AS gone`, [accountId])).length;
    }
    for (const t of ['intervals_links', 'personal_access_tokens', 'account_sessions']) {
      removed[t] = (await tx.query(`DELETE FROM ${t} WHERE account_id = $1 RETURNING 1 AS gone`, [accountId])).length;
    }
    removed.accounts = (await tx.query('DELETE FROM accounts WHERE id = $1 RETURNING 1 AS gone', [accountId])).length;
    return removed;
  });
}
