import type { Toolset } from '../mcp/tool.js';
import { DEFAULT_TOOLSETS, toolsetsFromClaim } from '../mcp/toolsets.js';
import type { Queryable, Store } from '../store/store.js';

/**
 * The MCP clients a person has authorized, read from the authorization server's storage
 * (`oidc_payloads`, src/store/migrations/0100_oauth.sql): one Grant row per (person, client)
 * consent; refresh tokens and codes carry its `grant_id`. Access tokens are JWTs and are not
 * stored, so "last used" is the newest token the grant issued (each refresh rotates the token).
 */
export interface AuthorizedClient {
  grantId: string;
  clientId: string;
  name: string;
  scopes: string[];
  grantedAt: Date;
  lastUsedAt: Date | null;
  /** The connection's tool sets (connection_toolsets, 0600_toolsets.sql); core only when it never chose. */
  toolsets: Toolset[];
}

interface Row extends Record<string, unknown> {
  grant_id: string;
  client_id: string;
  client_name: string | null;
  granted_at: Date;
  last_used_at: Date | null;
  toolsets: string[] | null;
  payload: { openid?: { scope?: string }; resources?: Record<string, string> };
}

async function oidcTableExists(db: Queryable): Promise<boolean> {
  const rows = await db.query<{ t: string | null }>(`SELECT to_regclass('oidc_payloads')::text AS t`);
  return rows[0]?.t != null;
}

function displayName(clientId: string, clientName: string | null): string {
  if (clientName && clientName.trim() !== '') return clientName.trim().slice(0, 120);
  // Client ID Metadata Document clients are identified by an https URL: its host names them.
  const url = URL.parse(clientId);
  return url?.protocol === 'https:' ? url.host : 'An unnamed app';
}

export async function listAuthorizedClients(db: Queryable, accountId: string): Promise<AuthorizedClient[]> {
  if (!(await oidcTableExists(db))) return [];
  const rows = await db.query<Row>(
    `SELECT g.id AS grant_id, g.payload->>'clientId' AS client_id, c.payload->>'client_name' AS client_name,
            g.created_at AS granted_at, g.payload AS payload,
            (SELECT max(t.created_at) FROM oidc_payloads t WHERE t.grant_id = g.id) AS last_used_at,
            (SELECT ts.toolsets FROM connection_toolsets ts WHERE ts.account_id = $1 AND ts.client_id = g.payload->>'clientId') AS toolsets
       FROM oidc_payloads g
       LEFT JOIN oidc_payloads c ON c.model = 'Client' AND c.id = g.payload->>'clientId'
      WHERE g.model = 'Grant' AND g.payload->>'accountId' = $1 AND (g.expires_at IS NULL OR g.expires_at > now())
      ORDER BY g.created_at DESC`,
    [accountId],
  );
  return rows.map((r) => {
    const scopes = new Set<string>();
    for (const s of [r.payload.openid?.scope, ...Object.values(r.payload.resources ?? {})]) {
      for (const one of (s ?? '').split(' ')) if (one) scopes.add(one);
    }
    return {
      grantId: r.grant_id,
      clientId: r.client_id,
      name: displayName(r.client_id, r.client_name),
      scopes: [...scopes],
      grantedAt: r.granted_at,
      lastUsedAt: r.last_used_at,
      toolsets: r.toolsets ? toolsetsFromClaim(r.toolsets.join(' ')) : [...DEFAULT_TOOLSETS],
    };
  });
}

/**
 * Revokes one of the person's grants: the Grant row and everything issued under it (refresh
 * tokens, codes), the same rows oidc-provider's `revokeByGrantId` removes for each model. The
 * client must ask for consent again. Returns false when the grant is not this person's.
 */
export async function revokeAuthorizedClient(store: Store, accountId: string, grantId: string): Promise<boolean> {
  if (!(await oidcTableExists(store))) return false;
  return store.transaction(async (tx) => {
    const owned = await tx.query(`SELECT 1 FROM oidc_payloads WHERE model = 'Grant' AND id = $1 AND payload->>'accountId' = $2`, [
      grantId,
      accountId,
    ]);
    if (owned.length === 0) return false;
    await tx.query(`DELETE FROM oidc_payloads WHERE grant_id = $1 OR (model = 'Grant' AND id = $1)`, [grantId]);
    return true;
  });
}
