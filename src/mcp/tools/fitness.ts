import { z } from 'zod';
import { athleteToday } from '../athlete-today.js';
import { READ_SCOPE } from '../context.js';
import { sections, table } from '../format/table.js';
import { fixed, num } from '../format/units.js';
import { addDays, athleteIdInput, athleteOf, daysBetween, isoDate } from '../inputs.js';
import { defineTool, READ_ONLY, ToolInputError, type AnyToolDef } from '../tool.js';
import { records } from '../records.js';

type Raw = Record<string, unknown>;

/** Intervals.icu's form (TSB) zones, as its fitness chart labels them. */
export function formZone(tsb: number | null): string | null {
  if (tsb === null) return null;
  if (tsb > 25) return 'transition (detraining)';
  if (tsb > 5) return 'fresh';
  if (tsb >= -10) return 'grey zone';
  if (tsb >= -30) return 'optimal training';
  return 'high risk';
}

const dayOutput = z.object({
  date: z.string(),
  ctl: z.number().nullable(),
  atl: z.number().nullable(),
  tsb: z.number().nullable(),
  ramp_rate: z.number().nullable(),
  load: z.number().nullable().describe('training load that day'),
  projected: z.boolean().describe('after today: Intervals.icu projection from planned workouts'),
});

export function toFitnessDay(r: Raw, today: string): z.infer<typeof dayOutput> {
  const ctl = num(r.ctl);
  const atl = num(r.atl);
  const date = String(r.id ?? '');
  return {
    date,
    ctl,
    atl,
    tsb: ctl !== null && atl !== null ? Math.round((ctl - atl) * 10) / 10 : null,
    ramp_rate: num(r.rampRate),
    load: num(r.ctlLoad),
    projected: date > today,
  };
}

const getFitness = defineTool({
  name: 'get_fitness',
  title: 'Fitness, fatigue and form (CTL / ATL / TSB) over time',
  description:
    "Daily fitness (CTL), fatigue (ATL), form (TSB = CTL − ATL) and ramp rate over a range, with Intervals.icu's projection for " +
    'future days from planned workouts. Use for load/freshness questions and taper planning. Other recovery data: get_wellness.',
  scope: READ_SCOPE,
  toolset: 'core',
  annotations: READ_ONLY,
  input: {
    athlete_id: athleteIdInput,
    oldest: isoDate.optional().describe('Default: 42 days before today.'),
    newest: isoDate.optional().describe('Future dates give the projection; default 14 days after today.'),
  },
  output: {
    athlete_id: z.string(),
    today: z.string().describe("the athlete's local date"),
    current: dayOutput.extend({ form_zone: z.string().nullable() }).nullable(),
    days: z.array(dayOutput),
  },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const today = await athleteToday(ctx, id);
    const oldest = args.oldest ?? addDays(today, -42);
    const newest = args.newest ?? addDays(args.oldest ?? today, args.oldest ? 56 : 14);
    if (oldest > newest) throw new ToolInputError(`oldest (${oldest}) is after newest (${newest}); swap them.`);
    if (daysBetween(oldest, newest) > 730) throw new ToolInputError('Ask for at most 2 years at a time.');
    const raw = await ctx.intervals.get<Raw[] | null>('/athlete/{id}/wellness', {
      params: { id },
      query: { oldest, newest, fields: ['ctl', 'atl', 'rampRate', 'ctlLoad', 'atlLoad'] },
    });
    const days = records(raw)
      .map((r) => toFitnessDay(r, today))
      .sort((a, b) => a.date.localeCompare(b.date));
    const todays = [...days].reverse().find((d) => d.date <= today && d.ctl !== null) ?? null;
    const current = todays ? { ...todays, form_zone: formZone(todays.tsb) } : null;
    const structured = { athlete_id: id, today, current, days };
    if (days.length === 0) return { structured, text: `No fitness data for ${id} in ${oldest}..${newest}.` };
    // Up to 5 weeks every day reads fine; longer ranges show weekly samples (all days stay in structured).
    const sampled = days.length <= 35 ? days : days.filter((d, i) => (days.length - 1 - i) % 7 === 0 || d.date === current?.date);
    const rows = sampled.map((d) => [
      d.date + (d.projected ? ' (proj.)' : ''),
      fixed(d.ctl, 1),
      fixed(d.atl, 1),
      fixed(d.tsb, 1),
      fixed(d.ramp_rate, 1),
      fixed(d.load, 0),
    ]);
    const head = current
      ? `Fitness for ${id} on ${current.date}: CTL ${fixed(current.ctl, 1)}, ATL ${fixed(current.atl, 1)}, form ${fixed(current.tsb, 1)} (${current.form_zone}), ramp ${fixed(current.ramp_rate, 1)}/week.`
      : `Fitness for ${id}: no value yet for today (${today}).`;
    return {
      structured,
      text: sections(
        head,
        table(['date', 'fitness CTL', 'fatigue ATL', 'form TSB', 'ramp', 'load'], rows),
        sampled.length < days.length ? `Weekly samples of ${days.length} days; every day is in the structured result (format=json).` : '',
      ),
    };
  },
});

export const fitnessTools: AnyToolDef[] = [getFitness];
