import type { ToolContext } from './context.js';

/**
 * `0` means "the owner of these credentials" in Intervals.icu paths, but some endpoints refuse it
 * (403 on `activity-pace-curves` with `0`). Resolve it to the real id once; the answer
 * is cached per person by the client, so the extra call is paid at most once per cache window.
 */
export async function realAthleteId(ctx: ToolContext, id: string): Promise<string> {
  if (id !== '0') return id;
  const me = await ctx.intervals.get<{ id?: unknown } | null>('/athlete/{id}', { params: { id: '0' } });
  return typeof me?.id === 'string' && me.id.length > 0 ? me.id : id;
}
