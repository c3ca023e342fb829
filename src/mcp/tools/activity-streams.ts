import { z } from 'zod';
import { READ_SCOPE } from '../context.js';
import { sections, table } from '../format/table.js';
import { cleanText } from '../format/untrusted.js';
import { duration, fixed, num, pacePerKm } from '../format/units.js';
import { activityIdInput } from '../inputs.js';
import { records } from '../records.js';
import { defineTool, READ_ONLY, ToolInputError, type AnyToolDef } from '../tool.js';

type Raw = Record<string, unknown>;
type Sample = number | boolean | null;

const DEFAULT_TYPES = ['time', 'watts', 'heartrate', 'cadence', 'velocity_smooth', 'altitude', 'distance'];
const UNITS: Record<string, string> = {
  time: 's',
  watts: 'W',
  heartrate: 'bpm',
  cadence: 'rpm',
  velocity_smooth: 'm/s',
  altitude: 'm',
  distance: 'm',
  temp: '°C',
  grade_smooth: '%',
};
const RAW_CAP = 20_000;

const asSample = (x: unknown): Sample => ((typeof x === 'number' && Number.isFinite(x)) || typeof x === 'boolean' ? x : null);

/**
 * Average each of `target` equal buckets (first and last samples kept as-is), so a 4-hour ride
 * becomes a curve a model can read. Booleans and all-null buckets take their first value.
 */
export function downsample(data: readonly Sample[], target: number): Sample[] {
  if (data.length <= target) return [...data];
  const out: Sample[] = [];
  const size = data.length / target;
  for (let b = 0; b < target; b++) {
    const slice = data.slice(Math.floor(b * size), Math.max(Math.floor((b + 1) * size), Math.floor(b * size) + 1));
    const nums = slice.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    out.push(
      nums.length === 0
        ? (slice[0] ?? null)
        : typeof slice[0] === 'boolean'
          ? slice[0]
          : Math.round((nums.reduce((s, x) => s + x, 0) / nums.length) * 100) / 100,
    );
  }
  out[0] = data[0] ?? null;
  out[out.length - 1] = data[data.length - 1] ?? null;
  return out;
}

function stats(data: readonly Sample[]) {
  const nums = data.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (nums.length === 0) return { min: null, avg: null, max: null };
  return { min: Math.min(...nums), avg: Math.round((nums.reduce((s, x) => s + x, 0) / nums.length) * 10) / 10, max: Math.max(...nums) };
}

const streamOutput = z.object({
  type: z.string(),
  name: z.string().nullable(),
  unit: z.string().nullable(),
  data: z.array(z.union([z.number(), z.boolean(), z.null()])),
  data2: z
    .array(z.union([z.number(), z.boolean(), z.null()]))
    .nullable()
    .describe('latlng: longitude'),
  min: z.number().nullable(),
  avg: z.number().nullable(),
  max: z.number().nullable(),
});

const getActivityStreams = defineTool({
  name: 'get_activity_streams',
  title: 'Time series (power, HR, cadence, speed …) of one activity',
  description:
    'Sample-by-sample data of one activity, downsampled to max_points (bucket averages) with min/avg/max per stream; ' +
    'raw=true for full resolution (large). Use for shape questions (HR drift, pacing, where power dropped). Interval ' +
    'averages: get_activity_intervals; best efforts: get_activity_best_efforts.',
  scope: READ_SCOPE,
  toolset: 'analysis',
  annotations: READ_ONLY,
  input: {
    activity_id: activityIdInput,
    types: z
      .array(z.string().regex(/^[a-z0-9_]{2,40}$/i))
      .min(1)
      .max(12)
      .default(DEFAULT_TYPES)
      .describe('Also latlng, temp, grade_smooth, moving …'),
    max_points: z.number().int().min(10).max(2_000).default(200),
    raw: z.boolean().default(false).describe(`Up to ${RAW_CAP} samples per stream.`),
  },
  output: {
    activity_id: z.string(),
    samples: z.number(),
    returned: z.number(),
    downsampled: z.boolean(),
    streams: z.array(streamOutput),
    missing: z.array(z.string()),
  },
  async run(args, ctx) {
    const raw = await ctx.intervals.get<unknown>('/activity/{id}/streams.json', {
      params: { id: args.activity_id },
      query: { types: args.types },
    });
    // An array of stream objects (the OpenAPI spec's single-object schema is wrong).
    const list = records(raw);
    const samples = Math.max(0, ...list.map((s) => (Array.isArray(s.data) ? s.data.length : 0)));
    const target = args.raw ? Math.min(samples, RAW_CAP) : Math.min(samples, args.max_points);
    const streams = list
      .filter((s) => s.allNull !== true && Array.isArray(s.data))
      .map((s) => {
        const type = String(s.type);
        // Array-valued streams (valueTypeIsArray) and odd values become null rather than break the output schema.
        const data = (s.data as unknown[]).map(asSample);
        return {
          type,
          name: cleanText(s.name, 60),
          unit: UNITS[type] ?? null,
          data: args.raw ? data.slice(0, RAW_CAP) : downsample(data, target),
          data2:
            Array.isArray(s.data2) && s.data2.length > 0
              ? args.raw
                ? s.data2.map(asSample).slice(0, RAW_CAP)
                : downsample(s.data2.map(asSample), target)
              : null,
          ...stats(data),
        };
      });
    const missing = args.types.filter((t) => !streams.some((s) => s.type === t));
    const structured = {
      activity_id: args.activity_id,
      samples,
      returned: target,
      downsampled: !args.raw && target < samples,
      streams,
      missing,
    };
    if (streams.length === 0) return { structured, text: `Activity ${args.activity_id} has none of the streams ${args.types.join(', ')}.` };
    const summary = table(
      ['stream', 'unit', 'min', 'avg', 'max'],
      streams.map((s) => [s.name ? `${s.type} ("${s.name}")` : s.type, s.unit ?? '—', fixed(s.min, 1), fixed(s.avg, 1), fixed(s.max, 1)]),
    );
    // The text shows an evenly spaced preview; the full series is in structuredContent / format=json.
    const rowsWanted = Math.min(target, 24);
    const preview = streams.map((s) => downsample(s.data, rowsWanted));
    const rows = Array.from({ length: rowsWanted }, (_, i) =>
      preview.map((p) => (typeof p[i] === 'number' ? fixed(p[i], (p[i] as number) % 1 === 0 ? 0 : 1) : String(p[i] ?? '—'))),
    );
    const text = sections(
      `Streams of ${args.activity_id}: ${samples} samples${structured.downsampled ? `, downsampled to ${target} points` : ''}.`,
      summary,
      `Preview (${rowsWanted} evenly spaced points; every point is in the structured result, or call with format=json):`,
      table(
        streams.map((s) => s.type),
        rows,
      ),
      missing.length ? `Not recorded: ${missing.join(', ')}.` : '',
    );
    return { structured, text };
  },
});

/** Without durations or distances: the sprint, 1, 5 and 20 minute bests people ask about most. */
const DEFAULT_EFFORT_DURATIONS_S = [5, 60, 300, 1200];

const STREAMS = { power: 'watts', hr: 'heartrate', pace: 'pace', speed: 'velocity_smooth' } as const;

const getActivityBestEfforts = defineTool({
  name: 'get_activity_best_efforts',
  title: 'Best efforts inside one activity',
  description:
    'The best average power, HR or pace one activity holds over given durations or distances, with where they start. Use for ' +
    '"my best 20 minutes in that ride?". All-time/season bests: get_power_curves / get_hr_curves / get_pace_curves.',
  scope: READ_SCOPE,
  toolset: 'analysis',
  annotations: READ_ONLY,
  input: {
    activity_id: activityIdInput,
    metric: z.enum(['power', 'hr', 'pace', 'speed']).default('power'),
    durations_s: z
      .array(z.number().int().min(1).max(36_000))
      .min(1)
      .max(10)
      .optional()
      .describe(`Default ${JSON.stringify(DEFAULT_EFFORT_DURATIONS_S)} unless distances_m.`),
    distances_m: z.array(z.number().min(50).max(200_000)).min(1).max(10).optional().describe('Pace/speed, e.g. [400, 1000, 5000].'),
    count: z.number().int().min(1).max(5).default(1).describe('Non-overlapping efforts per duration.'),
  },
  output: {
    activity_id: z.string(),
    metric: z.string(),
    efforts: z.array(
      z.object({
        target: z.string(),
        rank: z.number(),
        average: z.number().nullable(),
        duration_s: z.number().nullable(),
        distance_m: z.number().nullable(),
        start_index: z.number().nullable(),
      }),
    ),
  },
  async run(args, ctx) {
    if (args.durations_s && args.distances_m) throw new ToolInputError('Give either durations_s or distances_m, not both.');
    const targets = args.distances_m
      ? args.distances_m.map((v) => ({ distance: v }))
      : (args.durations_s ?? DEFAULT_EFFORT_DURATIONS_S).map((v) => ({ duration: v }));
    const answers = await Promise.all(
      targets.map((t) =>
        ctx.intervals.get<Raw | null>('/activity/{id}/best-efforts', {
          params: { id: args.activity_id },
          query: { stream: STREAMS[args.metric], ...t, count: args.count },
        }),
      ),
    );
    const efforts = answers.flatMap((a, i) => {
      const t = targets[i]!;
      const target = 'duration' in t ? duration(t.duration) : `${t.distance} m`;
      const list = records(a?.efforts);
      return list.map((e, rank) => ({
        target,
        rank: rank + 1,
        average: num(e.average),
        duration_s: num(e.duration),
        distance_m: num(e.distance),
        start_index: num(e.start_index),
      }));
    });
    const structured = { activity_id: args.activity_id, metric: args.metric, efforts };
    const show = (v: number | null) =>
      args.metric === 'power'
        ? fixed(v, 0, ' W')
        : args.metric === 'hr'
          ? fixed(v, 0, ' bpm')
          : args.metric === 'pace'
            ? pacePerKm(v)
            : fixed(v === null ? null : v * 3.6, 1, ' km/h');
    if (efforts.length === 0)
      return {
        structured,
        text: `No ${args.metric} efforts found in ${args.activity_id} (the stream may be missing, or the activity is shorter).`,
      };
    const text = sections(
      `Best ${args.metric} efforts in ${args.activity_id}:`,
      table(
        ['target', '#', 'average', 'time', 'distance', 'starts at sample'],
        efforts.map((e) => [
          e.target,
          String(e.rank),
          show(e.average),
          duration(e.duration_s),
          e.distance_m === null ? '—' : `${Math.round(e.distance_m)} m`,
          fixed(e.start_index, 0),
        ]),
      ),
    );
    return { structured, text };
  },
});

export const activityStreamTools: AnyToolDef[] = [getActivityStreams, getActivityBestEfforts];
