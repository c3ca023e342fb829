import type { Queryable } from '../store/store.js';

/** A stream not refreshed for this long belongs to an instance that died (heartbeats every 15 s). */
export const STALE_AFTER_S = 60;

export interface SseSessionRow {
  owner: string;
  instance_id: string;
}

/** The shared table of open legacy SSE streams (0500_sse_sessions.sql). */
export function sseSessionStore(db: Queryable) {
  return {
    async open(id: string, owner: string, instanceId: string): Promise<void> {
      await db.query('INSERT INTO sse_sessions (id, owner, instance_id) VALUES ($1, $2, $3)', [id, owner, instanceId]);
    },
    /** Live streams of one person, on every instance. */
    async countOpen(owner: string): Promise<number> {
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM sse_sessions WHERE owner = $1 AND seen_at > now() - $2::int * interval '1 second'`,
        [owner, STALE_AFTER_S],
      );
      return rows[0]?.n ?? 0;
    },
    async find(id: string): Promise<SseSessionRow | undefined> {
      const rows = await db.query<SseSessionRow & Record<string, unknown>>(
        `SELECT owner, instance_id FROM sse_sessions WHERE id = $1 AND seen_at > now() - $2::int * interval '1 second'`,
        [id, STALE_AFTER_S],
      );
      return rows[0];
    },
    /** One query for all of an instance's streams (its heartbeat). */
    async touch(ids: readonly string[]): Promise<void> {
      if (ids.length > 0) await db.query('UPDATE sse_sessions SET seen_at = now() WHERE id = ANY($1::text[])', [ids]);
    },
    async close(ids: readonly string[]): Promise<void> {
      if (ids.length > 0) await db.query('DELETE FROM sse_sessions WHERE id = ANY($1::text[])', [ids]);
    },
    async sweep(): Promise<void> {
      await db.query(`DELETE FROM sse_sessions WHERE seen_at < now() - $1::int * interval '1 second'`, [STALE_AFTER_S]);
    },
  };
}
export type SseSessionStore = ReturnType<typeof sseSessionStore>;
