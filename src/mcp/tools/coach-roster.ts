import { z } from 'zod';
import { realAthleteId } from '../athlete-id.js';
import { READ_SCOPE, type ToolContext } from '../context.js';
import { wellnessFlags } from '../coach/roster-flags.js';
import { todayIn } from '../calendar/local-dates.js';
import { sections, table } from '../format/table.js';
import { cleanText, inline, QUOTED_NOTE } from '../format/untrusted.js';
import { fixed, num } from '../format/units.js';
import { isIntervalsError } from '../../intervals/errors.js';
import { addDays, limitInput } from '../inputs.js';
import { records } from '../records.js';
import { defineTool, READ_ONLY, type AnyToolDef } from '../tool.js';
import { formZone } from './fitness.js';

type Raw = Record<string, unknown>;
const WELLNESS_FIELDS = ['ctl', 'atl', 'restingHR', 'hrv', 'hrvSDNN', 'sleepSecs', 'soreness', 'fatigue', 'stress', 'injury'];
const ACTIVITY_FIELDS = ['id', 'name', 'type', 'start_date_local', 'icu_training_load'];

const ref = z.object({ date: z.string().nullable(), name: z.string().nullable() });
const rowSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  today: z.string(),
  ctl: z.number().nullable(),
  tsb: z.number().nullable(),
  form_zone: z.string().nullable(),
  last_activity: ref.extend({ type: z.string().nullable() }).nullable(),
  planned_this_week: z.number(),
  done_this_week: z.number(),
  missed: z.array(ref),
  flags: z.array(z.string()),
  error: z.string().nullable().describe('why this athlete could not be read'),
});
type Row = z.infer<typeof rowSchema>;

const dayOf = (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : null);

/** Monday of the week holding `date` (Intervals.icu weeks start on Monday by default). */
function monday(date: string): string {
  return addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
}

/** One athlete's row: three reads in parallel; a refusal becomes the row's error, not the roster's. */
async function rowOf(ctx: ToolContext, a: Raw): Promise<Row> {
  const id = String(a.id);
  const today = todayIn(typeof a.timezone === 'string' ? a.timezone : null);
  const week = monday(today);
  const base = { id, name: cleanText(a.name, 80), today };
  try {
    const [well, acts, events] = await Promise.all([
      ctx.intervals.get<Raw[]>('/athlete/{id}/wellness', {
        params: { id },
        query: { oldest: addDays(today, -7), newest: today, fields: WELLNESS_FIELDS },
      }),
      ctx.intervals.get<Raw[]>('/athlete/{id}/activities', {
        params: { id },
        query: { oldest: addDays(today, -13), newest: today, fields: ACTIVITY_FIELDS },
      }),
      ctx.intervals.get<Raw[]>('/athlete/{id}/events', { params: { id }, query: { oldest: week, newest: today, category: 'WORKOUT' } }),
    ]);
    const days = records(well)
      .filter((d) => typeof d.id === 'string')
      .sort((x, y) => String(x.id).localeCompare(String(y.id)));
    const lastFit = [...days].reverse().find((d) => num(d.ctl) !== null);
    const ctl = num(lastFit?.ctl);
    const atl = num(lastFit?.atl);
    const tsb = ctl !== null && atl !== null ? Math.round((ctl - atl) * 10) / 10 : null;
    const latest = records(acts).sort((x, y) => String(y.start_date_local).localeCompare(String(x.start_date_local)))[0];
    const planned = records(events);
    // Today's workout may still happen: only earlier days count as missed.
    const missed = planned
      .filter((e) => !e.paired_activity_id && (dayOf(e.start_date_local) ?? today) < today)
      .map((e) => ({ date: dayOf(e.start_date_local), name: cleanText(e.name, 60) }));
    const flags = wellnessFlags(days, tsb);
    const lastDate = dayOf(latest?.start_date_local);
    if (!lastDate || lastDate < addDays(today, -6)) flags.push(lastDate ? `no activity since ${lastDate}` : 'no activity in 14 days');
    if (missed.length) flags.push(`${missed.length} missed this week`);
    return {
      ...base,
      ctl,
      tsb,
      form_zone: formZone(tsb),
      last_activity: latest
        ? { date: lastDate, name: cleanText(latest.name, 60), type: typeof latest.type === 'string' ? latest.type : null }
        : null,
      planned_this_week: planned.length,
      done_this_week: planned.filter((e) => e.paired_activity_id).length,
      missed,
      flags,
      error: null,
    };
  } catch (err) {
    if (!isIntervalsError(err)) throw err;
    return {
      ...base,
      ctl: null,
      tsb: null,
      form_zone: null,
      last_activity: null,
      planned_this_week: 0,
      done_this_week: 0,
      missed: [],
      flags: [],
      error: cleanText(`${err.code}: ${err.message}`, 200),
    };
  }
}

const getCoachRoster = defineTool({
  name: 'get_coach_roster',
  title: 'Coach roster: every athlete at a glance',
  description:
    "Every athlete you coach, neediest first: form, last activity, this week's done/planned and missed workouts, and flags " +
    '(resting HR, HRV, sleep, soreness/fatigue/stress/injury, form, inactivity).',
  scope: READ_SCOPE,
  toolset: 'coach',
  annotations: READ_ONLY,
  input: { limit: limitInput(100, 50), include_self: z.boolean().default(false) },
  output: { count: z.number(), truncated: z.boolean(), athletes: z.array(rowSchema) },
  async run(args, ctx) {
    const [raw, self] = await Promise.all([ctx.intervals.get<Raw[] | null>('/athletes'), realAthleteId(ctx, ctx.athleteId)]);
    const all = records(raw).filter((a) => a.id !== undefined && (args.include_self || String(a.id) !== self));
    const chosen = all.slice(0, args.limit);
    // All athletes at once: the client's per-account and global throttles pace the calls.
    const rows = await Promise.all(chosen.map((a) => rowOf(ctx, a)));
    rows.sort(
      (x, y) => Number(y.error !== null) - Number(x.error !== null) || y.flags.length - x.flags.length || (x.tsb ?? 0) - (y.tsb ?? 0),
    );
    const structured = { count: rows.length, truncated: all.length > chosen.length, athletes: rows };
    if (rows.length === 0)
      return {
        structured,
        text: 'No coached or followed athletes share their data with this account (list_athletes shows who is visible).',
      };
    const cells = rows.map((r) => [
      `${r.id} ${inline(r.name, 30)}`,
      fixed(r.tsb, 1),
      r.form_zone ?? '—',
      r.last_activity ? `${r.last_activity.date} ${r.last_activity.type ?? ''}`.trim() : '—',
      `${r.done_this_week}/${r.planned_this_week}`,
      r.error ? `could not read: ${r.error}` : r.flags.join('; ') || 'ok',
    ]);
    return {
      structured,
      text: sections(
        `Roster: ${rows.length} athlete(s)${structured.truncated ? ` (first ${rows.length} of ${all.length}; raise limit)` : ''}, most in need of attention first.`,
        table(['athlete', 'form', 'zone', 'last activity', 'done/planned this week', 'flags'], cells),
        QUOTED_NOTE,
      ),
    };
  },
});

export const coachRosterTools: AnyToolDef[] = [getCoachRoster];
