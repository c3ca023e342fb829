import { onAccountChange } from '../accounts/events.js';
import type { Queryable } from '../store/store.js';
import { ExpiringLru } from '../limits/expiring-lru.js';
import { liveGrantSinceSql } from '../store/oidc-grants.js';

/**
 * The revocable part of a token's validity, per (person, app): is the account active, and does the
 * person's grant for the app still exist? A signature stays valid until `exp`; this does not, so
 * it is read from the store — the one place every instance shares — and remembered only briefly
 * (ACCESS_STATUS_CACHE_SECONDS). A revocation or deletion on another instance is enforced here
 * within that time, access tokens already issued included; one made on this instance (an
 * onAccountChange event) at the next call.
 */

export type Refusal = 'account_inactive' | 'grant_revoked';

/** What the store said about a (person, app) pair at `checkedAt` (seconds). */
export interface AccessStatus {
  refusal: Refusal | null;
  /** When the pair's oldest live grant was created (seconds): older JWTs belong to a revoked grant. */
  grantSince: number;
  /** The pair's tool-set choice (connection_toolsets.revision, 0 = never chose): JWTs carrying an older one predate a change. */
  toolsetsRevision: number;
  checkedAt: number;
}

export interface AccessStatusCache {
  /** The remembered status: one Map lookup; past half its time it is also read again in the background. */
  get(key: string): AccessStatus | undefined;
  /** Reads a JWT's pair from the store (concurrent calls for one key share the query); store errors propagate. */
  load(key: string, accountId: string, clientId: string): Promise<AccessStatus>;
  /** Take before a store read whose result goes to remember(). */
  ticket(): number;
  /** Remembers a status read elsewhere (a PAT lookup), unless a local change came after `ticket`. */
  remember(key: string, status: AccessStatus, ticket: number): void;
  /** Stops listening for account changes. */
  close(): void;
}

/** `<account>\n<client>`: built once per verified token, so a warm request does no string work. */
export const statusKey = (accountId: string, clientId: string): string => `${accountId}\n${clientId}`;

const MAX_ENTRIES = 10_000;

/**
 * One round trip, three index lookups: the accounts primary key, the person's live grant for the
 * app as the authorization server's storage keeps it (src/auth/adapter.ts knows that layout), and the
 * connection_toolsets primary key (0600_toolsets.sql).
 */
const ACCESS_STATUS_SQL = `SELECT (SELECT disabled_at IS NULL FROM accounts WHERE id = $1) AS active,
  ${liveGrantSinceSql('$1', '$2')} AS grant_since,
  (SELECT revision FROM connection_toolsets WHERE account_id = $1 AND client_id = $2) AS toolsets_revision`;

interface Row extends Record<string, unknown> {
  active: boolean | null;
  grant_since: number | null;
  toolsets_revision: number | null;
}

export function createAccessStatusCache(opts: { store: Queryable; ttlMs: number; now: () => number }): AccessStatusCache {
  const { store, ttlMs, now } = opts;
  const statuses = new ExpiringLru<string, AccessStatus>(MAX_ENTRIES, now);
  // Concurrent misses for one pair share one query (a client's parallel calls after expiry).
  const loading = new Map<string, Promise<AccessStatus>>();
  // A read that started before a local change must not be remembered: it may predate the change.
  let generation = 0;
  const unsubscribe = onAccountChange((accountId) => {
    generation += 1;
    const prefix = `${accountId}\n`;
    statuses.deleteWhere((key) => key.startsWith(prefix));
    for (const key of loading.keys()) if (key.startsWith(prefix)) loading.delete(key);
  });

  const remember = (key: string, status: AccessStatus, ticket: number): void => {
    if (ttlMs > 0 && ticket === generation) statuses.set(key, status, now() + ttlMs);
  };

  async function read(key: string, accountId: string, clientId: string): Promise<AccessStatus> {
    const ticket = generation;
    const [row] = await store.query<Row>(ACCESS_STATUS_SQL, [accountId, clientId]);
    const refusal = row?.active !== true ? 'account_inactive' : row.grant_since === null ? 'grant_revoked' : null;
    const status: AccessStatus = {
      refusal,
      grantSince: row?.grant_since ?? 0,
      toolsetsRevision: row?.toolsets_revision ?? 0,
      checkedAt: now() / 1000,
    };
    remember(key, status, ticket);
    return status;
  }

  async function load(key: string, accountId: string, clientId: string): Promise<AccessStatus> {
    const pending = loading.get(key);
    if (pending) return pending;
    const look = read(key, accountId, clientId);
    loading.set(key, look);
    try {
      return await look;
    } finally {
      if (loading.get(key) === look) loading.delete(key);
    }
  }

  return {
    close: unsubscribe,
    get(key) {
      const status = statuses.get(key);
      // Past half its time, a status in use is read again in the background, so a busy person's
      // calls do not wait for the database each time it expires (10–40 ms away on Fly). The answer
      // still never relies on a look older than ttlMs. PAT statuses come from their own lookup.
      if (status && now() / 1000 - status.checkedAt > ttlMs / 2000 && !loading.has(key)) {
        const cut = key.indexOf('\n');
        const clientId = key.slice(cut + 1);
        if (!clientId.startsWith('pat:')) load(key, key.slice(0, cut), clientId).catch(() => undefined);
      }
      return status;
    },
    load,
    ticket: () => generation,
    remember,
  };
}
