import { sweepExpiredSessions } from '../accounts/sessions.js';
import { sweepExpiredPayloads } from '../auth/adapter.js';
import { LONGEST_WINDOW_MS, sweepRateLimits } from '../limits/rate-limit.js';
import type { Store } from '../store/store.js';
import { EXIT, type AdminContext } from './context.js';

/**
 * Housekeeping of expired rows, one entry per part that keeps expiring state. Each part owns its
 * sweep function; this list only calls them. A part adds one line here when it lands.
 */
export interface Sweeper {
  name: string;
  /** Resolves with the number of rows deleted when the part reports it. */
  sweep(db: Store): Promise<number | void>;
}

export const SWEEPERS: Sweeper[] = [
  {
    name: 'OAuth artefacts (oidc_payloads)',
    // The part's sweep works in batches; repeat until a batch comes back short (bounded).
    async sweep(db) {
      let total = 0;
      for (let i = 0; i < 1000; i += 1) {
        const n = await sweepExpiredPayloads(db, 1000);
        total += n;
        if (n < 1000) break;
      }
      return total;
    },
  },
  // Every limiter (tool calls, per-IP limits of registration, token, sign-in and CIMD fetches)
  // counts in rate_limit_hits; none has a window longer than LONGEST_WINDOW_MS.
  { name: 'rate-limit buckets (rate_limit_hits)', sweep: (db) => sweepRateLimits(db, LONGEST_WINDOW_MS) },
  { name: 'account page sessions (account_sessions)', sweep: sweepExpiredSessions },
  {
    name: 'sign-in flows (signin_flows)',
    // The sign-in part sweeps these inline when a flow starts and exports no function; same condition.
    async sweep(db) {
      return (await db.query('DELETE FROM signin_flows WHERE expires_at < now() RETURNING 1 AS gone')).length;
    },
  },
];

/** `sweep`: runs every sweeper, reports each, and fails (exit 1) if any failed. */
export async function sweepCommand(ctx: AdminContext, sweepers: readonly Sweeper[] = SWEEPERS): Promise<number> {
  await ctx.requireMigrated();
  let failed = 0;
  for (const s of sweepers) {
    try {
      const n = await s.sweep(ctx.store);
      ctx.out(`${s.name}: ${typeof n === 'number' ? `${n} expired row(s) deleted` : 'expired rows deleted'}.`);
    } catch (err) {
      failed += 1;
      ctx.err(`${s.name}: failed (${(err as Error).message}).`);
    }
  }
  if (sweepers.length === 0) ctx.out('Nothing to sweep: no part with expiring rows is installed.');
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
