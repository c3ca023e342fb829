import { z } from 'zod';
import { withAthleteToday } from '../athlete-today.js';
import { READ_SCOPE } from '../context.js';
import { SUMMARY_FIELDS, STRAVA_FIX, toActivitySummary } from '../format/activity.js';
import { sections, table } from '../format/table.js';
import { cleanText, inline, QUOTED_NOTE } from '../format/untrusted.js';
import { distance, duration, fixed, num } from '../format/units.js';
import { addDays, athleteIdInput, athleteOf } from '../inputs.js';
import { defineTool, READ_ONLY, type AnyToolDef } from '../tool.js';
import { formZone } from './fitness.js';
import { records } from '../records.js';

type Raw = Record<string, unknown>;

const sportOutput = z.object({
  type: z.string(),
  count: z.number(),
  moving_time_s: z.number(),
  distance_m: z.number(),
  training_load: z.number(),
});
const eventRef = z.object({
  id: z.number().nullable(),
  date: z.string().nullable(),
  name: z.string().nullable(),
  training_load: z.number().nullable(),
});
const trend = z.object({ first_week: z.number().nullable(), last_week: z.number().nullable() });

const sum = (xs: (number | null)[]) => xs.reduce<number>((s, x) => s + (x ?? 0), 0);
const avg = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.round((v.reduce((s, x) => s + x, 0) / v.length) * 10) / 10 : null;
};
/** Add per-zone seconds; `icu_zone_times` is [{id, secs}], `icu_hr_zone_times` a plain array. */
function addZones(into: number[], zones: unknown): void {
  if (!Array.isArray(zones)) return;
  zones.forEach((z, i) => {
    const secs = typeof z === 'number' ? z : num((z as Raw | null)?.secs);
    into[i] = (into[i] ?? 0) + (secs ?? 0);
  });
}

const getTrainingSummary = defineTool({
  name: 'get_training_summary',
  title: 'Training overview: load, zones, plan adherence, wellness trend',
  description:
    'Overview of the last N days: fitness/fatigue/form now, volume and load by sport and by week, time in ' +
    "power and HR zones, planned workouts done vs missed, the next 7 days' plan, and the trend of resting HR, HRV, sleep and " +
    'weight. Use first for "how is my training going?" or before giving advice, then drill down.',
  scope: READ_SCOPE,
  toolset: 'core',
  annotations: READ_ONLY,
  input: { athlete_id: athleteIdInput, days: z.number().int().min(7).max(90).default(28).describe('Days back, today included.') },
  output: {
    athlete_id: z.string(),
    today: z.string(),
    oldest: z.string(),
    fitness: z.object({
      ctl: z.number().nullable(),
      atl: z.number().nullable(),
      tsb: z.number().nullable(),
      form_zone: z.string().nullable(),
      ramp_rate: z.number().nullable(),
      ctl_change: z.number().nullable(),
    }),
    totals: z.object({
      activities: z.number(),
      moving_time_s: z.number(),
      distance_m: z.number(),
      training_load: z.number(),
      strava_stubs: z.number(),
    }),
    by_sport: z.array(sportOutput),
    weekly: z.array(z.object({ week_start: z.string(), count: z.number(), moving_time_s: z.number(), training_load: z.number() })),
    time_in_zones: z.object({ power_s: z.array(z.number()), hr_s: z.array(z.number()) }),
    plan: z.object({ planned: z.number(), completed: z.number(), missed: z.array(eventRef), upcoming: z.array(eventRef) }),
    wellness_trend: z.object({ resting_hr_bpm: trend, hrv_ms: trend, sleep_s: trend, weight_kg: trend }),
  },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    // The three reads depend on the athlete's today; with their time zone remembered they start
    // with the profile, not after it (src/mcp/athlete-today.ts).
    const {
      today,
      data: [acts, well, events],
    } = await withAthleteToday(ctx, id, (day) => {
      const from = addDays(day, -(args.days - 1));
      return Promise.all([
        ctx.intervals.get<Raw[] | null>('/athlete/{id}/activities', {
          params: { id },
          query: { oldest: from, newest: day, fields: [...SUMMARY_FIELDS, 'icu_zone_times', 'icu_hr_zone_times'] },
        }),
        ctx.intervals.get<Raw[] | null>('/athlete/{id}/wellness', { params: { id }, query: { oldest: from, newest: day } }),
        ctx.intervals.get<Raw[] | null>('/athlete/{id}/events', {
          params: { id },
          query: { oldest: from, newest: addDays(day, 7), category: 'WORKOUT' },
        }),
      ]);
    });
    const oldest = addDays(today, -(args.days - 1));
    const activities = records(acts).map((raw) => ({ raw, a: toActivitySummary(raw) }));
    const real = activities.filter((x) => !x.a.strava_stub);
    const bySport = new Map<string, z.infer<typeof sportOutput>>();
    const weeks = new Map<string, { week_start: string; count: number; moving_time_s: number; training_load: number }>();
    const power: number[] = [];
    const hr: number[] = [];
    for (const { raw, a } of real) {
      const s = bySport.get(a.type ?? 'Other') ?? { type: a.type ?? 'Other', count: 0, moving_time_s: 0, distance_m: 0, training_load: 0 };
      s.count += 1;
      s.moving_time_s += a.moving_time_s ?? 0;
      s.distance_m += a.distance_m ?? 0;
      s.training_load += a.training_load ?? 0;
      bySport.set(s.type, s);
      const day = (a.start_date_local ?? today).slice(0, 10);
      const week = addDays(oldest, Math.floor((Date.parse(day) - Date.parse(oldest)) / (7 * 86_400_000)) * 7);
      const w = weeks.get(week) ?? { week_start: week, count: 0, moving_time_s: 0, training_load: 0 };
      w.count += 1;
      w.moving_time_s += a.moving_time_s ?? 0;
      w.training_load += a.training_load ?? 0;
      weeks.set(week, w);
      addZones(power, raw.icu_zone_times);
      addZones(hr, raw.icu_hr_zone_times);
    }
    const wdays = records(well)
      .filter((d) => typeof d.id === 'string')
      .sort((x, y) => String(x.id).localeCompare(String(y.id)));
    const last = [...wdays].reverse().find((d) => num(d.ctl) !== null);
    const first = wdays.find((d) => num(d.ctl) !== null);
    const ctl = num(last?.ctl);
    const atl = num(last?.atl);
    const tsb = ctl !== null && atl !== null ? Math.round((ctl - atl) * 10) / 10 : null;
    const trendOf = (key: string) => ({
      first_week: avg(wdays.slice(0, 7).map((d) => num(d[key]))),
      last_week: avg(wdays.slice(-7).map((d) => num(d[key]))),
    });
    const ref = (e: Raw) => ({
      id: num(e.id),
      date: typeof e.start_date_local === 'string' ? e.start_date_local.slice(0, 10) : null,
      name: cleanText(e.name, 80),
      training_load: num(e.icu_training_load),
    });
    const planned = records(events).filter((e) => String(e.start_date_local ?? '').slice(0, 10) <= today);
    const structured = {
      athlete_id: id,
      today,
      oldest,
      fitness: {
        ctl,
        atl,
        tsb,
        form_zone: formZone(tsb),
        ramp_rate: num(last?.rampRate),
        ctl_change: ctl !== null && num(first?.ctl) !== null ? Math.round((ctl - num(first?.ctl)!) * 10) / 10 : null,
      },
      totals: {
        activities: real.length,
        moving_time_s: sum(real.map((x) => x.a.moving_time_s)),
        distance_m: sum(real.map((x) => x.a.distance_m)),
        training_load: sum(real.map((x) => x.a.training_load)),
        strava_stubs: activities.length - real.length,
      },
      by_sport: [...bySport.values()].sort((x, y) => y.training_load - x.training_load),
      weekly: [...weeks.values()].sort((x, y) => x.week_start.localeCompare(y.week_start)),
      time_in_zones: { power_s: power, hr_s: hr },
      plan: {
        planned: planned.length,
        completed: planned.filter((e) => e.paired_activity_id).length,
        // Today's workout may still happen: only earlier days count as missed.
        missed: planned.filter((e) => !e.paired_activity_id && String(e.start_date_local ?? '').slice(0, 10) < today).map(ref),
        upcoming: records(events)
          .filter((e) => String(e.start_date_local ?? '').slice(0, 10) > today)
          .map(ref),
      },
      wellness_trend: {
        resting_hr_bpm: trendOf('restingHR'),
        hrv_ms: trendOf(wdays.some((d) => num(d.hrv) !== null) ? 'hrv' : 'hrvSDNN'),
        sleep_s: trendOf('sleepSecs'),
        weight_kg: trendOf('weight'),
      },
    };
    return { structured, text: render(structured) };
  },
});

function render(s: {
  athlete_id: string;
  today: string;
  oldest: string;
  fitness: {
    ctl: number | null;
    atl: number | null;
    tsb: number | null;
    form_zone: string | null;
    ramp_rate: number | null;
    ctl_change: number | null;
  };
  totals: { activities: number; moving_time_s: number; distance_m: number; training_load: number; strava_stubs: number };
  by_sport: z.infer<typeof sportOutput>[];
  weekly: { week_start: string; count: number; moving_time_s: number; training_load: number }[];
  time_in_zones: { power_s: number[]; hr_s: number[] };
  plan: { planned: number; completed: number; missed: z.infer<typeof eventRef>[]; upcoming: z.infer<typeof eventRef>[] };
  wellness_trend: Record<string, { first_week: number | null; last_week: number | null }>;
}): string {
  const f = s.fitness;
  const zones = (label: string, secs: number[]) => {
    const total = secs.reduce((a, b) => a + b, 0);
    return total > 0
      ? `${label}: ${secs.map((x, i) => `Z${i + 1} ${Math.round((x / total) * 100)}%`).join(' ')} (of ${duration(total)})`
      : null;
  };
  const t = s.wellness_trend;
  const tr = (label: string, v: { first_week: number | null; last_week: number | null }, show: (n: number | null) => string) =>
    v.first_week === null && v.last_week === null ? null : `${label} ${show(v.first_week)} → ${show(v.last_week)}`;
  const list = (xs: z.infer<typeof eventRef>[]) =>
    xs
      .slice(0, 10)
      .map((e) => `${e.date} ${inline(e.name, 50)} (event ${e.id}, load ${fixed(e.training_load, 0)})`)
      .join('; ');
  return sections(
    `Training summary for ${s.athlete_id}, ${s.oldest}..${s.today} (athlete local dates):`,
    `Now: fitness ${fixed(f.ctl, 1)} (${f.ctl_change !== null ? `${f.ctl_change >= 0 ? '+' : ''}${f.ctl_change} over the period` : 'change unknown'}), fatigue ${fixed(f.atl, 1)}, form ${fixed(f.tsb, 1)} (${f.form_zone ?? 'unknown'}), ramp ${fixed(f.ramp_rate, 1)}/week.`,
    `Volume: ${s.totals.activities} activities, ${duration(s.totals.moving_time_s)}, ${distance(s.totals.distance_m)}, load ${fixed(s.totals.training_load, 0)}.` +
      (s.totals.strava_stubs ? ` ${s.totals.strava_stubs} Strava-imported activities are not counted: ${STRAVA_FIX}` : ''),
    s.by_sport.length
      ? table(
          ['sport', 'count', 'time', 'distance', 'load'],
          s.by_sport.map((x) => [x.type, String(x.count), duration(x.moving_time_s), distance(x.distance_m), fixed(x.training_load, 0)]),
        )
      : null,
    s.weekly.length
      ? table(
          ['week from', 'count', 'time', 'load'],
          s.weekly.map((w) => [w.week_start, String(w.count), duration(w.moving_time_s), fixed(w.training_load, 0)]),
        )
      : null,
    [zones('Power zones', s.time_in_zones.power_s), zones('HR zones', s.time_in_zones.hr_s)].filter(Boolean).join('\n'),
    `Plan: ${s.plan.completed} of ${s.plan.planned} planned workouts done.` +
      (s.plan.missed.length ? ` Missed: ${list(s.plan.missed)}.` : '') +
      (s.plan.upcoming.length ? `\nNext 7 days: ${list(s.plan.upcoming)}.` : '\nNothing planned for the next 7 days.'),
    [
      tr('Resting HR', t.resting_hr_bpm!, (n) => fixed(n, 0, ' bpm')),
      tr('HRV', t.hrv_ms!, (n) => fixed(n, 0, ' ms')),
      tr('Sleep', t.sleep_s!, duration),
      tr('Weight', t.weight_kg!, (n) => fixed(n, 1, ' kg')),
    ]
      .filter(Boolean)
      .join('; ')
      .replace(/^(.)/, 'Wellness (first week → last week): $1'),
    s.plan.missed.length || s.plan.upcoming.length ? QUOTED_NOTE : null,
  );
}

export const trainingSummaryTools: AnyToolDef[] = [getTrainingSummary];
