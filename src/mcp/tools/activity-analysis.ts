import { z } from 'zod';
import { READ_SCOPE } from '../context.js';
import { activitySummaryOutput, renderActivityTable, toActivitySummary } from '../format/activity.js';
import { sections, table, truncationNote } from '../format/table.js';
import { cleanText, inline, QUOTED_NOTE } from '../format/untrusted.js';
import { bpm, distance, duration, fixed, num, pacePerKm, watts } from '../format/units.js';
import { activityIdInput, athleteIdInput, athleteOf, limitInput } from '../inputs.js';
import { defineTool, READ_ONLY, ToolInputError, type AnyToolDef } from '../tool.js';
import { activityStreamTools } from './activity-streams.js';
import { records } from '../records.js';
import { repFade, type RepFade } from '../analysis/rep-fade.js';

type Raw = Record<string, unknown>;

const intervalOutput = z.object({
  id: z.number().nullable(),
  type: z.string().nullable().describe('WORK or RECOVERY'),
  label: z.string().nullable(),
  start_s: z.number().nullable().describe('seconds from the start'),
  duration_s: z.number().nullable(),
  distance_m: z.number().nullable(),
  avg_power_w: z.number().nullable(),
  weighted_power_w: z.number().nullable(),
  avg_hr_bpm: z.number().nullable(),
  max_hr_bpm: z.number().nullable(),
  avg_cadence: z.number().nullable(),
  avg_speed_mps: z.number().nullable(),
  intensity_pct: z.number().nullable(),
  training_load: z.number().nullable(),
  zone: z.number().nullable(),
  group_id: z.string().nullable().describe('similar intervals share a group'),
});

function toInterval(r: Raw): z.infer<typeof intervalOutput> {
  return {
    id: num(r.id),
    type: typeof r.type === 'string' ? r.type : null,
    label: cleanText(r.label, 60),
    start_s: num(r.start_time),
    duration_s: num(r.moving_time) ?? num(r.elapsed_time),
    distance_m: num(r.distance),
    avg_power_w: num(r.average_watts),
    weighted_power_w: num(r.weighted_average_watts),
    avg_hr_bpm: num(r.average_heartrate),
    max_hr_bpm: num(r.max_heartrate),
    avg_cadence: num(r.average_cadence),
    avg_speed_mps: num(r.average_speed),
    intensity_pct: num(r.intensity),
    training_load: num(r.training_load),
    zone: num(r.zone),
    group_id: typeof r.group_id === 'string' ? cleanText(r.group_id, 60) : null,
  };
}

/** The reps to judge: the WORK intervals of the largest group Intervals.icu formed, else every WORK interval. */
function mainSet(list: z.infer<typeof intervalOutput>[]): z.infer<typeof intervalOutput>[] {
  const work = list.filter((i) => i.type === 'WORK');
  const groups = new Map<string, number>();
  for (const i of work) if (i.group_id) groups.set(i.group_id, (groups.get(i.group_id) ?? 0) + 1);
  const [biggest] = [...groups].sort((a, b) => b[1] - a[1]);
  return biggest && biggest[1] >= 3 ? work.filter((i) => i.group_id === biggest[0]) : work;
}

function fadeLine(f: RepFade | null): string {
  if (!f) return '';
  const show = (v: number) => (f.metric === 'power_w' ? `${Math.round(v)} W` : pacePerKm(v));
  const sign = (n: number) => `${n >= 0 ? '+' : ''}${n}`;
  return (
    `Rep fade over ${f.reps} work reps: ${show(f.first)} → ${show(f.last)} (${sign(f.fade_pct)}% ${f.metric === 'power_w' ? 'power' : 'speed'}); ` +
    `second half of the reps ${sign(f.split_pct)}% vs the first${f.hr_drift_bpm !== null ? `; HR ${sign(f.hr_drift_bpm)} bpm first to last` : ''}.`
  );
}

const getActivityIntervals = defineTool({
  name: 'get_activity_intervals',
  title: 'Intervals (laps) of one activity',
  description:
    'The intervals (laps) of one activity, detected or edited: work/recovery, duration, power (avg/weighted), HR, cadence, ' +
    'speed, intensity and load per interval, and rep fade. Use to review a structured session ("how were my 3×12 min?"). Whole-activity ' +
    'summary: get_activity; raw samples: get_activity_streams.',
  scope: READ_SCOPE,
  toolset: 'analysis',
  annotations: READ_ONLY,
  input: {
    activity_id: activityIdInput,
    work_only: z.boolean().default(false).describe('Only WORK intervals.'),
    limit: limitInput(200, 60),
  },
  output: {
    activity_id: z.string(),
    count: z.number(),
    total: z.number(),
    intervals: z.array(intervalOutput),
    rep_fade: z
      .object({
        reps: z.number(),
        metric: z.string(),
        first: z.number(),
        last: z.number(),
        fade_pct: z.number(),
        split_pct: z.number(),
        hr_drift_bpm: z.number().nullable(),
      })
      .nullable(),
  },
  async run(args, ctx) {
    const raw = await ctx.intervals.get<Raw | null>('/activity/{id}/intervals', { params: { id: args.activity_id } });
    // The endpoint returns a wrapper (IntervalsDTO), and `icu_intervals` may be an explicit null.
    const list = records(raw?.icu_intervals)
      .map(toInterval)
      .filter((i) => !args.work_only || i.type === 'WORK');
    const shown = list.slice(0, args.limit);
    const structured = {
      activity_id: args.activity_id,
      count: shown.length,
      total: list.length,
      intervals: shown,
      rep_fade: repFade(mainSet(list)),
    };
    if (shown.length === 0) return { structured, text: `Activity ${args.activity_id} has no${args.work_only ? ' work' : ''} intervals.` };
    const rows = shown.map((i, n) => [
      String(n + 1),
      i.type ?? '—',
      inline(i.label, 30),
      duration(i.start_s),
      duration(i.duration_s),
      distance(i.distance_m),
      i.avg_power_w !== null ? `${fixed(i.avg_power_w, 0)}/${fixed(i.weighted_power_w, 0)}` : pacePerKm(i.avg_speed_mps),
      `${fixed(i.avg_hr_bpm, 0)}/${fixed(i.max_hr_bpm, 0)}`,
      fixed(i.avg_cadence, 0),
      fixed(i.intensity_pct, 0),
      fixed(i.training_load, 0),
      fixed(i.zone, 0),
    ]);
    const text = sections(
      `Intervals of ${args.activity_id}: ${shown.length}${list.length > shown.length ? ` of ${list.length}` : ''}`,
      table(['#', 'type', 'label', 'start', 'time', 'dist', 'W avg/wtd or pace', 'HR avg/max', 'cad', 'int %', 'load', 'zone'], rows),
      fadeLine(structured.rep_fade),
      QUOTED_NOTE,
      truncationNote(shown.length, list.length, 'Raise limit (max 200) or set work_only.'),
    );
    return { structured, text };
  },
});

const KINDS = { power: 'power-histogram', hr: 'hr-histogram', pace: 'pace-histogram', gap: 'gap-histogram' } as const;

const getActivityHistogram = defineTool({
  name: 'get_activity_histogram',
  title: 'Time spent per power / HR / pace band in one activity',
  description:
    'How long one activity spent in each band of power (W), heart rate (bpm), pace or grade-adjusted pace (m/s). Use for ' +
    'distribution questions ("how much time above 300 W?"). Zone totals: get_activity; across activities: get_training_summary.',
  scope: READ_SCOPE,
  toolset: 'analysis',
  annotations: READ_ONLY,
  input: {
    activity_id: activityIdInput,
    kind: z.enum(['power', 'hr', 'pace', 'gap']),
    bucket_size: z.number().int().min(1).max(100).optional().describe('Band width: W for power, bpm for hr (pace bands are fixed).'),
  },
  output: {
    activity_id: z.string(),
    kind: z.string(),
    total_s: z.number(),
    buckets: z.array(z.object({ min: z.number().nullable(), max: z.number().nullable(), secs: z.number() })),
  },
  async run(args, ctx) {
    if (args.bucket_size !== undefined && (args.kind === 'pace' || args.kind === 'gap')) {
      throw new ToolInputError('bucket_size applies to power and hr only; leave it out for pace/gap.');
    }
    const raw = await ctx.intervals.get<unknown>(`/activity/{id}/${KINDS[args.kind]}`, {
      params: { id: args.activity_id },
      query: { bucketSize: args.bucket_size },
    });
    // Live answers are a bare array of {min,max,secs}; the OpenAPI spec claims an object.
    const arr = Array.isArray(raw) ? raw : Array.isArray((raw as Raw | null)?.buckets) ? ((raw as Raw).buckets as unknown[]) : [];
    const buckets = records(arr)
      .map((b) => ({ min: num(b.min), max: num(b.max), secs: num(b.secs) ?? 0 }))
      .filter((b) => b.secs > 0);
    const total = buckets.reduce((s, b) => s + b.secs, 0);
    const structured = { activity_id: args.activity_id, kind: args.kind, total_s: total, buckets };
    if (buckets.length === 0) return { structured, text: `No ${args.kind} data for ${args.activity_id}.` };
    const label = (v: number | null) => (args.kind === 'power' ? watts(v) : args.kind === 'hr' ? bpm(v) : pacePerKm(v));
    const shown = buckets.slice(0, 40);
    const text = sections(
      `${args.kind} histogram of ${args.activity_id} (total ${duration(total)}):`,
      table(
        ['band', 'time', '%'],
        shown.map((b) => [`${label(b.min)}–${label(b.max)}`, duration(b.secs), fixed((b.secs / total) * 100, 1)]),
      ),
      truncationNote(shown.length, buckets.length, 'Use a larger bucket_size, or format=json for every band.'),
    );
    return { structured, text };
  },
});

const searchIntervals = defineTool({
  name: 'search_intervals',
  title: 'Find past efforts by duration and intensity',
  description:
    'Search all activities for intervals of a given duration (seconds) and intensity (% of threshold power/HR/pace), e.g. ' +
    '5–8 min at 105–120%; matching activities, newest first. Use to track a kind of session over time. Best efforts in one ' +
    'activity: get_activity_best_efforts; all-time bests: get_power_curves.',
  scope: READ_SCOPE,
  toolset: 'analysis',
  annotations: READ_ONLY,
  input: {
    athlete_id: athleteIdInput,
    min_secs: z.number().int().min(5).max(36_000),
    max_secs: z.number().int().min(5).max(36_000),
    min_intensity: z.number().min(0).max(300).describe('% of threshold'),
    max_intensity: z.number().min(0).max(300),
    type: z.enum(['AUTO', 'POWER', 'HR', 'PACE']).default('AUTO').describe('Which threshold intensity refers to.'),
    min_reps: z.number().int().min(1).max(50).optional(),
    max_reps: z.number().int().min(1).max(50).optional(),
    limit: limitInput(50, 10),
  },
  output: { athlete_id: z.string(), count: z.number(), truncated: z.boolean(), activities: z.array(activitySummaryOutput) },
  async run(args, ctx) {
    if (args.min_secs > args.max_secs) throw new ToolInputError('min_secs is larger than max_secs; swap them.');
    if (args.min_intensity > args.max_intensity) throw new ToolInputError('min_intensity is larger than max_intensity; swap them.');
    const id = athleteOf(args, ctx.athleteId);
    const raw = await ctx.intervals.get<Raw[] | null>('/athlete/{id}/activities/interval-search', {
      params: { id },
      query: {
        minSecs: args.min_secs,
        maxSecs: args.max_secs,
        minIntensity: args.min_intensity,
        maxIntensity: args.max_intensity,
        type: args.type,
        minReps: args.min_reps,
        maxReps: args.max_reps,
        limit: args.limit + 1,
      },
    });
    const all = records(raw).map(toActivitySummary);
    const shown = all.slice(0, args.limit);
    const structured = { athlete_id: id, count: shown.length, truncated: all.length > shown.length, activities: shown };
    const head = `Activities of ${id} with ${args.min_reps ?? 1}+ intervals of ${duration(args.min_secs)}–${duration(args.max_secs)} at ${args.min_intensity}–${args.max_intensity}% (${args.type}): ${shown.length}${structured.truncated ? '+' : ''}`;
    const more = structured.truncated ? 'More exist: raise limit (max 50) or narrow the search.' : '';
    return {
      structured,
      text: sections(
        head,
        shown.length ? renderActivityTable(shown) : 'No matching activities.',
        more,
        shown.length ? 'Per-interval numbers: get_activity_intervals with an id above.' : '',
      ),
    };
  },
});

export const activityAnalysisTools: AnyToolDef[] = [getActivityIntervals, ...activityStreamTools, getActivityHistogram, searchIntervals];
