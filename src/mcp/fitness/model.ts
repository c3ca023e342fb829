/**
 * Intervals.icu's fitness model: each day fitness (CTL) and fatigue (ATL) move towards that day's
 * training load by a fixed share, x += (load − x)·(1 − e^(−1/τ)), with τ = 42 days for CTL and 7 for
 * ATL unless the athlete set their own (a FITNESS_DAYS calendar event); form (TSB) = CTL − ATL.
 * test/unit/mcp/fitness-model.test.ts replays Intervals.icu's own captured series with it.
 *
 * The model is linear, so the effect of extra (or removed) sessions can be added to Intervals.icu's
 * own projection of the current plan: the what-if then differs from the plan by exactly the sessions.
 */
export const DEFAULT_CTL_DAYS = 42;
export const DEFAULT_ATL_DAYS = 7;

export interface TimeConstants {
  ctl_days: number;
  atl_days: number;
}

export interface Load {
  ctl: number;
  atl: number;
}

const share = (days: number) => 1 - Math.exp(-1 / days);

/** One day forward: yesterday's values and today's loads (CTL and ATL may use different loads). */
export function nextDay(prev: Load, load: Load, tc: TimeConstants): Load {
  return { ctl: prev.ctl + (load.ctl - prev.ctl) * share(tc.ctl_days), atl: prev.atl + (load.atl - prev.atl) * share(tc.atl_days) };
}

/** Values after each day of `loads`, starting from `start` (the day before the first load). */
export function replay(start: Load, loads: readonly Load[], constants: (dayIndex: number) => TimeConstants): Load[] {
  const out: Load[] = [];
  let x = start;
  loads.forEach((load, i) => {
    x = nextDay(x, load, constants(i));
    out.push(x);
  });
  return out;
}

/**
 * What `extra` load per day (0 where none; negative removes a planned session) adds to CTL and ATL
 * on each day, starting from no difference: the response of the linear model to the extra alone.
 */
export function addedEffect(extra: readonly number[], constants: (dayIndex: number) => TimeConstants): Load[] {
  return replay(
    { ctl: 0, atl: 0 },
    extra.map((l) => ({ ctl: l, atl: l })),
    constants,
  );
}
