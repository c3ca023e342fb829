import { z } from 'zod';
import { athleteToday } from '../athlete-today.js';
import { READ_SCOPE, type ToolContext } from '../context.js';
import { addedEffect, DEFAULT_ATL_DAYS, DEFAULT_CTL_DAYS, type TimeConstants } from '../fitness/model.js';
import { sections, table } from '../format/table.js';
import { fixed, num } from '../format/units.js';
import { addDays, athleteIdInput, athleteOf, daysBetween, isoDate } from '../inputs.js';
import { records } from '../records.js';
import { defineTool, READ_ONLY, ToolInputError, type AnyToolDef } from '../tool.js';
import { formZone } from './fitness.js';
import { eitherOr } from '../schema-conditions.js';

type Raw = Record<string, unknown>;
const MAX_DAYS = 365;
/** How far back to look for the last value Intervals.icu computed. */
const LOOKBACK_DAYS = 120;
const decay = (x: { ctl: number; atl: number }, c: TimeConstants) => ({
  ctl: x.ctl * Math.exp(-1 / c.ctl_days),
  atl: x.atl * Math.exp(-1 / c.atl_days),
});
const round1 = (n: number) => Math.round(n * 10) / 10;

/** The athlete's CTL/ATL days in force on each date: FITNESS_DAYS events, else 42/7. */
async function timeConstants(ctx: ToolContext, id: string): Promise<{ at: (date: string) => TimeConstants & { source: string } }> {
  const events = records(await ctx.intervals.get<Raw[]>('/athlete/{id}/fitness-model-events', { params: { id } }))
    .filter((e) => e.category === 'FITNESS_DAYS' && typeof e.start_date_local === 'string' && (num(e.ctl_days) ?? num(e.atl_days)) !== null)
    .sort((a, b) => String(a.start_date_local).localeCompare(String(b.start_date_local)));
  return {
    at(date) {
      const e = [...events].reverse().find((x) => String(x.start_date_local).slice(0, 10) <= date);
      return {
        ctl_days: num(e?.ctl_days) ?? DEFAULT_CTL_DAYS,
        atl_days: num(e?.atl_days) ?? DEFAULT_ATL_DAYS,
        source: e ? `FITNESS_DAYS event #${String(e.id)} from ${String(e.start_date_local).slice(0, 10)}` : 'Intervals.icu defaults',
      };
    },
  };
}

const session = z.object({
  date: isoDate,
  load: z
    .number()
    .int()
    .min(-2_000)
    .max(2_000)
    .refine((n) => n !== 0, 'load must not be 0')
    .describe('Negative removes a planned session.'),
});

const ramp = z.object({
  start_date: isoDate,
  weeks: z.number().int().min(1).max(26),
  weekly_load: z.number().int().min(1).max(5_000).describe('Week 1 total.'),
  weekly_increase_pct: z.number().min(-50).max(50).default(0),
  days_per_week: z.number().int().min(1).max(7).default(5).describe('Spread over the first N days of each week.'),
});

const dayOut = z.object({
  date: z.string(),
  added_load: z.number(),
  ctl: z.number(),
  atl: z.number(),
  tsb: z.number(),
  plan_ctl: z.number(),
  plan_tsb: z.number(),
});

/** The ramp as daily sessions. */
function rampSessions(r: z.infer<typeof ramp>): { date: string; load: number }[] {
  const out: { date: string; load: number }[] = [];
  for (let w = 0; w < r.weeks; w++) {
    const weekLoad = r.weekly_load * (1 + r.weekly_increase_pct / 100) ** w;
    for (let d = 0; d < r.days_per_week; d++)
      out.push({ date: addDays(r.start_date, w * 7 + d), load: Math.round(weekLoad / r.days_per_week) });
  }
  return out;
}

const projectFitness = defineTool({
  name: 'project_fitness',
  title: 'What-if fitness: form on a date with sessions added',
  description:
    'What-if: fitness, fatigue and form on `until` (race day) with sessions (date + load) or a weekly ramp added to the plan, ' +
    "using the athlete's time constants. Writes nothing.",
  scope: READ_SCOPE,
  toolset: 'planning',
  annotations: READ_ONLY,
  input: {
    athlete_id: athleteIdInput,
    sessions: z.array(session).max(200).optional(),
    ramp: ramp.optional(),
    until: isoDate.optional().describe('Default: last session + 7 days.'),
  },
  conditions: eitherOr('sessions', ['ramp']),
  output: {
    athlete_id: z.string(),
    today: z.string(),
    time_constants: z.object({ ctl_days: z.number(), atl_days: z.number(), source: z.string() }),
    added_load: z.number(),
    until: dayOut.extend({ form_zone: z.string().nullable(), plan_form_zone: z.string().nullable() }),
    days: z.array(dayOut),
  },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const proposed = [...(args.sessions ?? []), ...(args.ramp ? rampSessions(args.ramp) : [])];
    if (proposed.length === 0)
      throw new ToolInputError('Give sessions ([{date, load}]) or a ramp; for the current plan alone use get_fitness.');
    const last = proposed
      .map((s) => s.date)
      .sort()
      .at(-1)!;
    const until = args.until ?? addDays(last, 7);
    if (until < last) throw new ToolInputError(`until (${until}) is before the last session (${last}); move it to race day or later.`);
    const today = await athleteToday(ctx, id);
    const early = proposed.find((s) => s.date < today);
    if (early)
      throw new ToolInputError(
        `Session on ${early.date} is before the athlete's today (${today}); past fitness is measured, not projected.`,
      );
    if (daysBetween(today, until) > MAX_DAYS)
      throw new ToolInputError(`Project at most ${MAX_DAYS} days ahead (until ${addDays(today, MAX_DAYS)}).`);
    // Intervals.icu's own values up to today and its projection of the planned workouts after it.
    // The list may skip days with no record: the last value before today is carried forward with no
    // load, as the model does on a rest day.
    const [raw, tc] = await Promise.all([
      ctx.intervals.get<Raw[] | null>('/athlete/{id}/wellness', {
        params: { id },
        query: { oldest: addDays(today, -LOOKBACK_DAYS), newest: until, fields: ['ctl', 'atl'] },
      }),
      timeConstants(ctx, id),
    ]);
    const known = records(raw)
      .map((r) => ({ date: String(r.id ?? ''), ctl: num(r.ctl), atl: num(r.atl) }))
      .filter((r): r is { date: string; ctl: number; atl: number } => r.ctl !== null && r.atl !== null)
      .sort((a, b) => a.date.localeCompare(b.date));
    const anchor = [...known].reverse().find((r) => r.date < today);
    if (!anchor)
      throw new ToolInputError(
        `Intervals.icu has no fitness value in the ${LOOKBACK_DAYS} days before ${today} to project from; check get_fitness.`,
      );
    const plan = new Map(known.map((r) => [r.date, r]));
    const dates = Array.from({ length: daysBetween(today, until) + 1 }, (_, i) => addDays(today, i));
    const extra = dates.map((d) => proposed.filter((s) => s.date === d).reduce((a, s) => a + s.load, 0));
    const effect = addedEffect(extra, (i) => tc.at(dates[i]!));
    let prev: { ctl: number; atl: number } = anchor;
    for (let d = addDays(anchor.date, 1); d < today; d = addDays(d, 1)) prev = plan.get(d) ?? decay(prev, tc.at(d));
    const days = dates.map((date, i) => {
      const base = plan.get(date) ?? decay(prev, tc.at(date));
      prev = base;
      const ctl = base.ctl + effect[i]!.ctl;
      const atl = base.atl + effect[i]!.atl;
      return {
        date,
        added_load: extra[i]!,
        ctl: round1(ctl),
        atl: round1(atl),
        tsb: round1(ctl - atl),
        plan_ctl: round1(base.ctl),
        plan_tsb: round1(base.ctl - base.atl),
      };
    });
    const end = days.at(-1)!;
    const constants = tc.at(today);
    const structured = {
      athlete_id: id,
      today,
      time_constants: constants,
      added_load: extra.reduce((a, b) => a + b, 0),
      until: { ...end, form_zone: formZone(end.tsb), plan_form_zone: formZone(end.plan_tsb) },
      days,
    };
    const sampled = days.length <= 21 ? days : days.filter((d, i) => d.added_load !== 0 || (days.length - 1 - i) % 7 === 0);
    const rows = sampled
      .slice(-40)
      .map((d) => [
        d.date,
        d.added_load ? String(d.added_load) : '',
        fixed(d.ctl, 1),
        fixed(d.atl, 1),
        fixed(d.tsb, 1),
        fixed(d.plan_tsb, 1),
      ]);
    return {
      structured,
      text: sections(
        `On ${until}: form ${fixed(end.tsb, 1)} (${formZone(end.tsb)}) with the ${proposed.length} added session(s) (load ${structured.added_load}), ` +
          `vs ${fixed(end.plan_tsb, 1)} (${formZone(end.plan_tsb)}) on the current plan; fitness ${fixed(end.ctl, 1)} vs ${fixed(end.plan_ctl, 1)}.`,
        `Model: CTL ${constants.ctl_days} d, ATL ${constants.atl_days} d (${constants.source}), on top of Intervals.icu's projection of the planned workouts. Nothing was written.`,
        table(['date', 'added load', 'fitness', 'fatigue', 'form', 'plan form'], rows),
        sampled.length < days.length ? 'Days with added load and weekly samples shown; every day is in the structured result.' : '',
      ),
    };
  },
});

export const fitnessWhatIfTools: AnyToolDef[] = [projectFitness];
