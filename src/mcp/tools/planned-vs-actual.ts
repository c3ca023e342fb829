import { z } from 'zod';
import { athleteToday } from '../athlete-today.js';
import { ALIGNED_TYPES, alignByTime, type Aligned } from '../analysis/aligned-streams.js';
import { PERIOD_FIELDS, periodTotals, type PeriodTotals } from '../analysis/period-totals.js';
import { isIntervalsError } from '../../intervals/errors.js';
import { compareSteps } from '../calendar/compliance.js';
import { datePart } from '../calendar/local-dates.js';
import { READ_SCOPE, type ToolContext } from '../context.js';
import { sections, table } from '../format/table.js';
import { cleanText, inline, QUOTED_NOTE } from '../format/untrusted.js';
import { distance, duration, fixed, num } from '../format/units.js';
import { toActivityDetail } from './activity-detail.js';
import { activityIdInput, athleteIdInput, athleteOf, isoDate, resolveRange } from '../inputs.js';
import { record, records } from '../records.js';
import { defineTool, READ_ONLY, ToolInputError, type AnyToolDef } from '../tool.js';

type Raw = Record<string, unknown>;
/** Below this Intervals.icu compliance a done workout counts as partial. */
const PARTIAL_BELOW_PCT = 80;
const n = z.number().nullable();
const session = z.object({
  date: z.string().nullable(),
  name: z.string().nullable(),
  event_id: n,
  activity_id: z.string().nullable(),
  compliance_pct: n,
});

async function oneActivity(ctx: ToolContext, activityId: string, athleteId: string) {
  const act = record(await ctx.intervals.get<unknown>('/activity/{id}', { params: { id: activityId }, query: { intervals: true } }));
  const eventId = num(act.paired_event_id);
  const owner = typeof act.icu_athlete_id === 'string' ? act.icu_athlete_id : athleteId;
  if (eventId === null)
    throw new ToolInputError(
      `Activity ${activityId} is not linked to a planned workout; link it with write_activity (action link_event) or compare over a range.`,
    );
  const event = record(await ctx.intervals.get<unknown>('/athlete/{id}/events/{eventId}', { params: { id: owner, eventId } }));
  const intervals = records(act.icu_intervals);
  const steps = compareSteps(event.workout_doc, intervals, num(act.icu_ftp));
  return { act, event, eventId, steps };
}

/** Side by side: what each activity did, and its difference from the first. */
const METRICS = [
  ['moving_time_s', 'time'],
  ['distance_m', 'distance'],
  ['training_load', 'load'],
  ['avg_power_w', 'avg W'],
  ['weighted_power_w', 'NP'],
  ['avg_hr_bpm', 'avg HR'],
  ['avg_speed_mps', 'speed m/s'],
  ['efficiency_factor', 'EF'],
  ['decoupling_pct', 'decoupling %'],
] as const;
type Detail = ReturnType<typeof toActivityDetail>;

/** An activity's streams for the alignment; one Intervals.icu cannot share (a Strava import) has none. */
async function streamsOf(ctx: ToolContext, id: string): Promise<unknown> {
  try {
    return await ctx.intervals.get<unknown>('/activity/{id}/streams.json', { params: { id }, query: { types: ALIGNED_TYPES } });
  } catch (err) {
    if (isIntervalsError(err) && (err.code === 'not_found' || err.status === 422)) return [];
    throw err;
  }
}

/** The aligned segments as rows: each activity's power and HR, and after the first its difference from the first. */
function alignedTable(a: Aligned): string {
  const [first] = a.activities;
  const cell = (x: Aligned['activities'][number], i: number) => {
    const w = x.watts[i] ?? null;
    const hr = x.heartrate[i] ?? null;
    const v = x.speed_mps[i] ?? null;
    const parts = [
      w !== null ? `${fixed(w, 0)} W` : '',
      hr !== null ? `${fixed(hr, 0)} bpm` : '',
      w === null && v !== null ? `${fixed(v, 2)} m/s` : '',
    ].filter(Boolean);
    const dw = x !== first && w !== null && first?.watts[i] != null ? w - first.watts[i]! : null;
    const dhr = x !== first && hr !== null && first?.heartrate[i] != null ? hr - first.heartrate[i]! : null;
    const diff = [
      dw !== null ? `${dw >= 0 ? '+' : '−'}${fixed(Math.abs(dw), 0)} W` : '',
      dhr !== null ? `${dhr >= 0 ? '+' : '−'}${fixed(Math.abs(dhr), 0)} bpm` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return parts.length ? `${parts.join(' ')}${diff ? ` (${diff})` : ''}` : '—';
  };
  const rows = Array.from({ length: first?.watts.length ?? 0 }, (_, i) => [
    `${duration(i * a.segment_s)}–${duration((i + 1) * a.segment_s)}`,
    ...a.activities.map((x) => cell(x, i)),
  ]);
  return sections(
    `Aligned on elapsed time (${duration(a.segment_s)} segments, up to the end of the shortest):`,
    table(['from start', ...a.activities.map((x) => x.id)], rows),
  );
}

async function sideBySide(ctx: ToolContext, ids: string[]) {
  const [details, streams] = await Promise.all([
    Promise.all(ids.map(async (id) => toActivityDetail(record(await ctx.intervals.get<unknown>('/activity/{id}', { params: { id } }))))),
    Promise.all(ids.map((id) => streamsOf(ctx, id))),
  ]);
  const aligned = alignByTime(ids, streams);
  const first = details[0]!;
  const value = (d: Detail, k: (typeof METRICS)[number][0]) => d[k] ?? null;
  const rows = details.map((d) => ({
    id: d.id,
    date: d.start_date_local?.slice(0, 10) ?? null,
    name: d.name,
    metrics: Object.fromEntries(METRICS.map(([k]) => [k, value(d, k)])) as Record<string, number | null>,
    delta: Object.fromEntries(
      METRICS.map(([k]) => {
        const a = value(d, k);
        const b = value(first, k);
        return [k, a !== null && b !== null ? Math.round((a - b) * 100) / 100 : null];
      }),
    ) as Record<string, number | null>,
  }));
  const digits = (k: string) => (k === 'efficiency_factor' || k === 'avg_speed_mps' ? 2 : 0);
  const cell = (k: string, v: number | null) =>
    v === null ? '—' : k === 'moving_time_s' ? duration(v) : k === 'distance_m' ? distance(v) : fixed(v, digits(k));
  const signed = (k: string, d: number) =>
    `${d > 0 ? '+' : '−'}${k === 'moving_time_s' ? duration(Math.abs(d)) : k === 'distance_m' ? distance(Math.abs(d)) : fixed(Math.abs(d), digits(k))}`;
  const column = (r: (typeof rows)[number], k: string, i: number) => {
    const d = r.delta[k] ?? null;
    return `${cell(k, r.metrics[k] ?? null)}${i > 0 && d ? ` (${signed(k, d)})` : ''}`;
  };
  const text = sections(
    table(
      ['', ...rows.map((r) => `${r.id} ${r.date ?? ''}`.trim())],
      METRICS.map(([k, label]) => [label, ...rows.map((r, i) => column(r, k, i))]),
    ),
    aligned ? alignedTable(aligned) : 'No streams to align (fewer than two activities have a time stream).',
  );
  return { rows, aligned, text };
}

/** Two ranges side by side, the second with its difference from the first. */
async function twoPeriods(ctx: ToolContext, athleteId: string, given: { oldest: string; newest: string }[]) {
  const ranges = given.map((r) => resolveRange(r, { defaultDays: 0, maxDays: 366 }));
  const lists = await Promise.all(
    ranges.map((r) =>
      ctx.intervals.get<Raw[]>('/athlete/{id}/activities', { params: { id: athleteId }, query: { ...r, fields: PERIOD_FIELDS } }),
    ),
  );
  const periods = ranges.map((r, i) => periodTotals(r, records(lists[i])));
  const [a, b] = periods as [PeriodTotals, PeriodTotals];
  const delta = (x: number, y: number, show: (v: number) => string) => (y === x ? '±0' : `${y > x ? '+' : '−'}${show(Math.abs(y - x))}`);
  const zones = (pct: number[]) => (pct.length ? pct.map((v, i) => `Z${i + 1} ${fixed(v, 0)}%`).join(' ') : '—');
  const rows: [string, (p: PeriodTotals) => number, (v: number) => string][] = [
    ['activities', (p) => p.activities, String],
    ['moving time', (p) => p.moving_time_s, duration],
    ['distance', (p) => p.distance_m, distance],
    ['load', (p) => p.training_load, String],
    ['load/week', (p) => p.load_per_week, (v) => fixed(v, 1)],
  ];
  const text = sections(
    `Periods of ${athleteId}: ${a.oldest}..${a.newest} vs ${b.oldest}..${b.newest}.`,
    table(
      ['', `${a.oldest}..${a.newest}`, `${b.oldest}..${b.newest}`, 'difference'],
      [
        ...rows.map(([label, get, show]) => [label, show(get(a)), show(get(b)), delta(get(a), get(b), show)]),
        ['power zones', zones(a.power_zones_pct), zones(b.power_zones_pct), ''],
        ['HR zones', zones(a.hr_zones_pct), zones(b.hr_zones_pct), ''],
      ],
    ),
    a.strava_stubs + b.strava_stubs
      ? `Strava imports left out (Intervals.icu shares none of their data): ${a.strava_stubs} + ${b.strava_stubs}.`
      : '',
    'Best efforts over the same ranges: get_power_curves / get_hr_curves / get_pace_curves with ranges.',
  );
  return { periods, text };
}

const compareTraining = defineTool({
  name: 'compare_training',
  title: 'Planned vs actual; activities or periods side by side',
  description:
    'activity_id: a done workout vs its plan, step by step (time, power vs target, compliance). oldest/newest: planned ' +
    'workouts completed, partial (< 80%) or missed, and unplanned ones. activity_ids (2–4): side by side and streams aligned on time, deltas from the first. ' +
    'periods (2 ranges): volume, load and zone split side by side.',
  scope: READ_SCOPE,
  toolset: 'analysis',
  annotations: READ_ONLY,
  input: {
    athlete_id: athleteIdInput,
    activity_id: activityIdInput.optional(),
    activity_ids: z.array(activityIdInput).min(2).max(4).optional(),
    oldest: isoDate.optional(),
    newest: isoDate.optional(),
    periods: z
      .array(z.object({ oldest: isoDate, newest: isoDate }))
      .length(2)
      .optional(),
  },
  output: {
    compliance_pct: n,
    steps: z.array(
      z.object({
        step: z.number(),
        name: z.string().nullable(),
        planned_s: n,
        done_s: n,
        time_pct: n,
        target: z.string().nullable(),
        avg_w: n,
        avg_hr: n,
        power_pct: n,
      }),
    ),
    completed: z.array(session),
    partial: z.array(session),
    missed: z.array(session),
    extra: z.array(session),
    activities: z.array(
      z.object({
        id: z.string(),
        date: z.string().nullable(),
        name: z.string().nullable(),
        metrics: z.record(z.string(), n),
        delta: z.record(z.string(), n),
      }),
    ),
    aligned: z
      .object({
        segment_s: z.number(),
        activities: z.array(z.object({ id: z.string(), watts: z.array(n), heartrate: z.array(n), speed_mps: z.array(n) })),
      })
      .nullable(),
    periods: z.array(
      z.object({
        oldest: z.string(),
        newest: z.string(),
        activities: z.number(),
        strava_stubs: z.number(),
        moving_time_s: z.number(),
        distance_m: z.number(),
        training_load: z.number(),
        load_per_week: z.number(),
        power_zones_pct: z.array(z.number()),
        hr_zones_pct: z.array(z.number()),
      }),
    ),
  },
  async run(args, ctx) {
    const empty = {
      compliance_pct: null,
      steps: [],
      completed: [],
      partial: [],
      missed: [],
      extra: [],
      activities: [],
      aligned: null,
      periods: [],
    };
    const modes = [args.activity_id, args.activity_ids, args.oldest ?? args.newest, args.periods].filter((x) => x !== undefined).length;
    if (modes > 1) throw new ToolInputError('Pass one of activity_id, activity_ids, oldest/newest, or periods.');
    if (args.periods) {
      const { periods, text } = await twoPeriods(ctx, athleteOf(args, ctx.athleteId), args.periods);
      return { structured: { ...empty, periods }, text };
    }
    if (args.activity_ids) {
      const unique = [...new Set(args.activity_ids)];
      if (unique.length < 2) throw new ToolInputError('activity_ids needs two different activities.');
      const { rows, aligned, text } = await sideBySide(ctx, unique);
      return {
        structured: { ...empty, activities: rows.map((r) => ({ ...r, name: cleanText(r.name, 80) })), aligned },
        text: sections(`Side by side (differences from ${unique[0]}):`, text, QUOTED_NOTE),
      };
    }
    if (args.activity_id) {
      const { act, event, eventId, steps } = await oneActivity(ctx, args.activity_id, athleteOf(args, ctx.athleteId));
      const compliance = num(act.compliance);
      const rows = steps.map((s) => [
        String(s.step),
        inline(s.name, 30),
        duration(s.planned_s),
        duration(s.done_s),
        fixed(s.time_pct, 0, '%'),
        s.target ?? '—',
        fixed(s.avg_w, 0, ' W'),
        fixed(s.avg_hr, 0),
        fixed(s.power_pct, 0, '%'),
      ]);
      return {
        structured: {
          ...empty,
          compliance_pct: compliance,
          steps: steps.map(({ target_w: _t, ...s }) => ({ ...s, name: cleanText(s.name, 60) })),
        },
        text: sections(
          `Activity ${args.activity_id} ${inline(cleanText(act.name, 80))} vs planned #${eventId} ${inline(cleanText(event.name, 80))}: compliance ${fixed(compliance, 0, '%')} (Intervals.icu).`,
          table(['step', 'planned step', 'planned', 'done', 'time', 'target', 'avg power', 'avg HR', 'power vs target'], rows),
          steps.some((s) => s.planned_s === null || s.done_s === null)
            ? 'Steps and intervals differ in number: rows without a plan or an interval did not pair.'
            : '',
          QUOTED_NOTE,
        ),
      };
    }
    const id = athleteOf(args, ctx.athleteId);
    const range = resolveRange(args, { defaultDays: 6, maxDays: 92 });
    const [today, events, acts] = await Promise.all([
      athleteToday(ctx, id),
      ctx.intervals.get<Raw[]>('/athlete/{id}/events', { params: { id }, query: { ...range, category: 'WORKOUT' } }),
      ctx.intervals.get<Raw[]>('/athlete/{id}/activities', {
        params: { id },
        query: { ...range, fields: ['id', 'name', 'start_date_local', 'paired_event_id', 'compliance'] },
      }),
    ]);
    const activities = records(acts);
    const byId = new Map(activities.map((a) => [String(a.id), a]));
    // The link may be recorded on either side: the event's paired_activity_id or the activity's paired_event_id.
    const byEvent = new Map(activities.filter((a) => num(a.paired_event_id) !== null).map((a) => [num(a.paired_event_id)!, String(a.id)]));
    const out = {
      ...empty,
      completed: [] as z.infer<typeof session>[],
      partial: [] as z.infer<typeof session>[],
      missed: [] as z.infer<typeof session>[],
      extra: [] as z.infer<typeof session>[],
    };
    for (const e of records(events)) {
      const pairedId =
        e.paired_activity_id === undefined || e.paired_activity_id === null
          ? (byEvent.get(num(e.id) ?? -1) ?? null)
          : String(e.paired_activity_id);
      const done = pairedId ? byId.get(pairedId) : undefined;
      const compliance = num(done?.compliance);
      const row = {
        date: datePart(e.start_date_local),
        name: cleanText(e.name, 60),
        event_id: num(e.id),
        activity_id: pairedId,
        compliance_pct: compliance,
      };
      if (pairedId) (compliance !== null && compliance < PARTIAL_BELOW_PCT ? out.partial : out.completed).push(row);
      else if ((row.date ?? today) < today) out.missed.push(row);
    }
    for (const a of activities) {
      if (num(a.paired_event_id) === null)
        out.extra.push({
          date: datePart(a.start_date_local),
          name: cleanText(a.name, 60),
          event_id: null,
          activity_id: String(a.id),
          compliance_pct: null,
        });
    }
    const line = (s: z.infer<typeof session>) =>
      `${s.date ?? '—'} ${inline(s.name, 40)}${s.compliance_pct !== null ? ` ${s.compliance_pct}%` : ''}${s.event_id ? ` (event ${s.event_id})` : ''}${s.activity_id ? ` (activity ${s.activity_id})` : ''}`;
    const list = (label: string, xs: z.infer<typeof session>[]) =>
      xs.length ? `${label} (${xs.length}):\n${xs.slice(0, 30).map(line).join('\n')}` : '';
    return {
      structured: out,
      text: sections(
        `Plan vs done ${range.oldest}..${range.newest} (athlete's today ${today}): ${out.completed.length} completed, ${out.partial.length} partial, ${out.missed.length} missed, ${out.extra.length} unplanned.`,
        list('Partial (compliance < 80%)', out.partial),
        list('Missed', out.missed),
        list('Unplanned activities', out.extra),
        list('Completed', out.completed),
        QUOTED_NOTE,
      ),
    };
  },
});

export const plannedVsActualTools: AnyToolDef[] = [compareTraining];
