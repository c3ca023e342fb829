import { EXIT, type AdminContext } from './context.js';
import type { Queryable } from '../store/store.js';

/**
 * Housekeeping of expired rows, one entry per part that keeps expiring state. Each part owns its
 * sweep function; this list only calls them. A part adds one line here when it lands.
 */
export interface Sweeper {
  name: string;
  /** Resolves with the number of rows deleted when the part reports it. */
  sweep(db: Queryable): Promise<number | void>;
}

export const SWEEPERS: Sweeper[] = [];

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
