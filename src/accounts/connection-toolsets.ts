import type { Toolset } from '../mcp/tool.js';
import { DEFAULT_TOOLSETS, toolsetsFromClaim, withCore } from '../mcp/toolsets.js';
import type { Queryable } from '../store/store.js';

/**
 * The tool sets of one connection (a person's grant to one app), in connection_toolsets
 * (0600_toolsets.sql). The consent page writes the first choice, /account changes it; each write
 * bumps `revision`, which the access tokens carry, so tokens issued before a change are refused
 * and the app refreshes into the new choice (src/resource/access-status.ts).
 */
export interface ConnectionToolsets {
  toolsets: Toolset[];
  /** 0 for a pair that never chose (the default, core only). */
  revision: number;
}

const DEFAULT_CHOICE: ConnectionToolsets = { toolsets: [...DEFAULT_TOOLSETS], revision: 0 };

export async function findConnectionToolsets(db: Queryable, accountId: string, clientId: string): Promise<ConnectionToolsets> {
  const [row] = await db.query<{ toolsets: string[]; revision: number }>(
    'SELECT toolsets, revision FROM connection_toolsets WHERE account_id = $1 AND client_id = $2',
    [accountId, clientId],
  );
  return row ? { toolsets: toolsetsFromClaim(row.toolsets.join(' ')), revision: row.revision } : DEFAULT_CHOICE;
}

/**
 * Stores a choice (core is added) and returns whether it changed. An unchanged choice keeps its
 * revision: re-consenting with the same sets must not sign the app's other tokens out.
 */
export async function saveConnectionToolsets(
  db: Queryable,
  accountId: string,
  clientId: string,
  sets: readonly Toolset[],
): Promise<boolean> {
  const toolsets = withCore(sets);
  const rows = await db.query(
    `INSERT INTO connection_toolsets (account_id, client_id, toolsets) VALUES ($1, $2, $3)
     ON CONFLICT (account_id, client_id) DO UPDATE SET toolsets = EXCLUDED.toolsets, revision = connection_toolsets.revision + 1, updated_at = now()
       WHERE connection_toolsets.toolsets IS DISTINCT FROM EXCLUDED.toolsets
     RETURNING revision`,
    [accountId, clientId, toolsets],
  );
  return rows.length > 0;
}
