import type { Adapter, AdapterPayload } from 'oidc-provider';
import { emitAccountChange } from '../accounts/events.js';
import type { Queryable } from '../store/store.js';

/**
 * A dynamically registered client that nobody has used for this long disappears; the next request
 * with its id gets 401 invalid_client, which makes MCP clients (Claude) register again.
 */
export const UNUSED_CLIENT_TTL_SECONDS = 90 * 24 * 3600;
/** Refresh a client's expiry at most once a day, so using a client is not a write per request. */
const CLIENT_TOUCH_SLACK_SECONDS = 24 * 3600;
/**
 * A rotated refresh token presented again within this window is honoured once more instead of
 * revoking the whole grant: the usual cause is a client that retried after losing the response,
 * or two tabs refreshing at once, not theft.
 */
export const REFRESH_REUSE_GRACE_SECONDS = 45;

interface Row extends Record<string, unknown> {
  payload: AdapterPayload;
  consumed_epoch: number | null;
  in_grace: boolean | null;
}

/**
 * oidc-provider's storage contract over our one `oidc_payloads` table. Expired rows are invisible
 * (the sweep deletes them later); `consumed_at` becomes the payload's `consumed` timestamp.
 */
export class PostgresAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly db: Queryable,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    // Clients carry no expiry of their own: give registered ones the unused-client lifetime.
    const ttl = expiresIn ?? (this.model === 'Client' ? UNUSED_CLIENT_TTL_SECONDS : null);
    await this.db.query(
      `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6,
               CASE WHEN $7::float8 IS NULL THEN NULL ELSE now() + $7::float8 * interval '1 second' END,
               CASE WHEN $8::float8 IS NULL THEN NULL ELSE to_timestamp($8::float8) END)
       ON CONFLICT (model, id) DO UPDATE SET
         payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, user_code = EXCLUDED.user_code,
         uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at, consumed_at = EXCLUDED.consumed_at`,
      [
        this.model,
        id,
        JSON.stringify(payload),
        payload.grantId ?? null,
        payload.userCode ?? null,
        payload.uid ?? null,
        ttl,
        typeof payload.consumed === 'number' ? payload.consumed : null,
      ],
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const rows = await this.select('id = $2', id);
    if (rows[0] && this.model === 'Client') await this.touchClient(id);
    return rows[0];
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return (await this.select('uid = $2', uid))[0];
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return (await this.select('user_code = $2', userCode))[0];
  }

  async consume(id: string): Promise<void> {
    // COALESCE: a grace-window reuse consumes again without restarting the grace clock.
    await this.db.query('UPDATE oidc_payloads SET consumed_at = COALESCE(consumed_at, now()) WHERE model = $1 AND id = $2', [
      this.model,
      id,
    ]);
  }

  async destroy(id: string): Promise<void> {
    if (this.model === 'Grant') {
      // oidc-provider ends a grant here (RFC 7009 revocation, a replayed code or refresh token,
      // logout): the resource server on this instance refuses its access tokens from the next call,
      // not after ACCESS_STATUS_CACHE_SECONDS. Other instances notice within that time.
      const rows = await this.db.query<{ account_id: string | null }>(
        `DELETE FROM oidc_payloads WHERE model = 'Grant' AND id = $1 RETURNING payload->>'accountId' AS account_id`,
        [id],
      );
      for (const r of rows) if (r.account_id) emitAccountChange(r.account_id, 'client_revoked');
      return;
    }
    await this.db.query('DELETE FROM oidc_payloads WHERE model = $1 AND id = $2', [this.model, id]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.query('DELETE FROM oidc_payloads WHERE model = $1 AND grant_id = $2', [this.model, grantId]);
  }

  private async select(where: string, value: string): Promise<AdapterPayload[]> {
    const rows = await this.db.query<Row>(
      `SELECT payload, extract(epoch FROM consumed_at)::float8 AS consumed_epoch,
              consumed_at > now() - $3::float8 * interval '1 second' AS in_grace
         FROM oidc_payloads
        WHERE model = $1 AND ${where} AND (expires_at IS NULL OR expires_at > now())
        LIMIT 1`,
      [this.model, value, REFRESH_REUSE_GRACE_SECONDS],
    );
    return rows.map((r) => this.withConsumption(r));
  }

  private withConsumption(row: Row): AdapterPayload {
    const payload = { ...row.payload };
    delete payload.consumed;
    if (row.consumed_epoch === null) return payload;
    if (this.model === 'RefreshToken' && row.in_grace) return payload;
    return { ...payload, consumed: Math.floor(row.consumed_epoch) };
  }

  private async touchClient(id: string): Promise<void> {
    await this.db.query(
      `UPDATE oidc_payloads SET expires_at = now() + $3::float8 * interval '1 second'
        WHERE model = 'Client' AND id = $1 AND expires_at < now() + $2::float8 * interval '1 second'`,
      [id, UNUSED_CLIENT_TTL_SECONDS - CLIENT_TOUCH_SLACK_SECONDS, UNUSED_CLIENT_TTL_SECONDS],
    );
  }
}

/** oidc-provider calls this once per model name. */
export function adapterFactory(db: Queryable): (model: string) => Adapter {
  return (model) => new PostgresAdapter(model, db);
}

/**
 * Deletes expired artefacts in bounded batches (every instance may run it; it is idempotent).
 * Returns how many rows went.
 */
export async function sweepExpiredPayloads(db: Queryable, batch = 1000): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM oidc_payloads WHERE (model, id) IN (
         SELECT model, id FROM oidc_payloads WHERE expires_at <= now() LIMIT $1)
       RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [batch],
  );
  return rows[0]?.n ?? 0;
}

/** The person's remembered consent for a client: their newest live Grant, if any. */
export async function findGrantId(db: Queryable, accountId: string, clientId: string): Promise<string | undefined> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM oidc_payloads
      WHERE model = 'Grant' AND payload->>'accountId' = $1 AND payload->>'clientId' = $2
        AND (expires_at IS NULL OR expires_at > now())
      ORDER BY created_at DESC LIMIT 1`,
    [accountId, clientId],
  );
  return rows[0]?.id;
}
