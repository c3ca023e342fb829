import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Person } from '../mcp/context.js';
import type { Queryable } from '../store/store.js';
import { ExpiringLru } from '../limits/expiring-lru.js';

/**
 * How long an instance trusts its last look at a declaration: every 2025-era tools/list asks, and a
 * database round trip per list would undo the fast lane. An initialize on another instance reaches
 * this one within this time; one on this instance at once.
 */
const REMEMBER_MS = 10_000;

/**
 * Remembers, per (account, OAuth client), whether the client declared the MCP Apps extension at its
 * last `initialize` (table mcp_ui_clients, 0400_mcp_ui_clients.sql): 2025-era clients say so only
 * there, and every /mcp request may land on another instance.
 */
export interface UiClients {
  remember(authInfo: AuthInfo, declared: boolean): Promise<void>;
  declared(authInfo: AuthInfo): Promise<boolean>;
}

/** The pair a declaration belongs to; requests without an account fall back to the token fingerprint. */
function keyOf(authInfo: AuthInfo): [string, string] {
  const person = authInfo.extra?.person as Person | undefined;
  return [person?.accountId ?? authInfo.token, authInfo.clientId];
}

export function createUiClients(store: Queryable): UiClients {
  const known = new ExpiringLru<string, boolean>(10_000);
  const cacheKey = (key: [string, string]) => `${key[0]}\n${key[1]}`;
  return {
    async remember(authInfo, declared) {
      const key = keyOf(authInfo);
      known.set(cacheKey(key), declared, Date.now() + REMEMBER_MS);
      if (declared) {
        await store.query(
          'INSERT INTO mcp_ui_clients (account_id, client_id) VALUES ($1, $2) ON CONFLICT (account_id, client_id) DO UPDATE SET declared_at = now()',
          key,
        );
      } else {
        await store.query('DELETE FROM mcp_ui_clients WHERE account_id = $1 AND client_id = $2', key);
      }
    },
    async declared(authInfo) {
      const key = keyOf(authInfo);
      const cached = known.get(cacheKey(key));
      if (cached !== undefined) return cached;
      const declared = (await store.query('SELECT 1 FROM mcp_ui_clients WHERE account_id = $1 AND client_id = $2', key)).length > 0;
      known.set(cacheKey(key), declared, Date.now() + REMEMBER_MS);
      return declared;
    },
  };
}
