import { z } from 'zod';
import { realAthleteId } from '../athlete-id.js';
import { READ_SCOPE } from '../context.js';
import { sections, table } from '../format/table.js';
import { inline } from '../format/untrusted.js';
import { duration, fixed, num } from '../format/units.js';
import { athleteIdInput, athleteOf, isoDate } from '../inputs.js';
import { records } from '../records.js';
import { defineTool, READ_ONLY, ToolInputError, type AnyToolDef } from '../tool.js';

type Raw = Record<string, unknown>;
type Kind = 'power' | 'hr' | 'pace';

/** Curve ids Intervals.icu understands: seasons, rolling windows, all time. */
const curveId = z.string().regex(/^(s[0-9]|\d{1,4}d|1y|all)$/, 'a curve id such as s0 (this season), s1, 42d, 90d, 1y or all');

const DEFAULT_SECS = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];
const DEFAULT_METRES = [400, 800, 1000, 1609, 3000, 5000, 10000, 21097, 42195];

const pointOutput = z.object({
  secs: z.number().nullable(),
  distance_m: z.number().nullable(),
  value: z.number().nullable().describe('power: W; hr: bpm; pace: seconds to cover distance_m'),
  watts_per_kg: z.number().nullable(),
  activity_id: z.string().nullable(),
});
const curveOutput = z.object({
  id: z.string(),
  label: z.string().nullable(),
  start: z.string().nullable(),
  end: z.string().nullable(),
  days: z.number().nullable(),
  points: z.array(pointOutput),
});

/**
 * The curve point for each wanted x: exact match, else the first point beyond it (curves are
 * monotone); each point once. A curve that ends before every wanted x (a short pace curve) shows
 * what it has, evenly sampled, rather than nothing.
 */
export function pick(xs: readonly number[], wanted: readonly number[]): number[] {
  const hits = [...new Set(wanted.map((w) => xs.findIndex((x) => x >= w - 0.5)).filter((i) => i >= 0))];
  if (hits.length > 0 || xs.length === 0) return hits;
  const n = Math.min(xs.length, 12);
  return [...new Set(Array.from({ length: n }, (_, k) => Math.round((k * (xs.length - 1)) / Math.max(n - 1, 1))))];
}

const SPEC: Record<Kind, { name: string; path: string; title: string; defaultType: string; unit: string; what: string }> = {
  power: {
    name: 'get_power_curves',
    path: '/athlete/{id}/power-curves.json',
    title: 'Best power for each duration (power curve)',
    defaultType: 'Ride',
    unit: 'W',
    what: 'best average power (W, and W/kg) for durations from 5 s to hours',
  },
  hr: {
    name: 'get_hr_curves',
    path: '/athlete/{id}/hr-curves.json',
    title: 'Best sustained heart rate for each duration',
    defaultType: 'Ride',
    unit: 'bpm',
    what: 'highest average heart rate (bpm) sustained for each duration',
  },
  pace: {
    name: 'get_pace_curves',
    path: '/athlete/{id}/pace-curves.json',
    title: 'Best pace for each distance (pace curve)',
    defaultType: 'Run',
    unit: '/km',
    what: 'fastest time and pace for distances from 400 m to the marathon, with critical speed',
  },
};

function curveTool(kind: Kind): AnyToolDef {
  const spec = SPEC[kind];
  const byDistance = kind === 'pace';
  return defineTool({
    name: spec.name,
    title: spec.title,
    description:
      `The athlete's ${spec.what}, over seasons, rolling windows, all time or custom date ranges; up to 4 curves side by side. ` +
      `Use for all-time/season bests, progress between seasons, or to estimate thresholds. Inside one activity: get_activity_best_efforts.`,
    scope: READ_SCOPE,
    toolset: 'analysis',
    annotations: READ_ONLY,
    input: {
      athlete_id: athleteIdInput,
      sport: z
        .string()
        .regex(/^[A-Za-z]{2,40}$/)
        .default(spec.defaultType)
        .describe('E.g. Ride, VirtualRide, Run, Swim.'),
      curves: z
        .array(curveId)
        .min(1)
        .max(4)
        .optional()
        .describe('s0 this season, s1 last, 42d/90d last N days, 1y, all. Default s0 unless ranges are given.'),
      ranges: z
        .array(z.object({ oldest: isoDate, newest: isoDate }))
        .max(4)
        .optional()
        .describe('Custom date ranges, one curve each.'),
      ...(byDistance
        ? {
            distances_m: z
              .array(z.number().min(50).max(100_000))
              .min(1)
              .max(20)
              .optional()
              .describe(`Default ${DEFAULT_METRES.join(', ')}.`),
            gap: z.boolean().default(false).describe('Grade-adjusted pace.'),
          }
        : {
            durations_s: z
              .array(z.number().int().min(1).max(86_400))
              .min(1)
              .max(20)
              .optional()
              .describe(`Default ${DEFAULT_SECS.join(', ')}.`),
          }),
    },
    output: {
      athlete_id: z.string(),
      sport: z.string(),
      curves: z.array(curveOutput),
      critical_speed_mps: z.number().nullable(),
      d_prime_m: z.number().nullable(),
    },
    async run(args, ctx) {
      const a = args as typeof args & { gap?: boolean; distances_m?: number[]; durations_s?: number[] };
      const ranges = a.ranges ?? [];
      for (const r of ranges)
        if (r.oldest > r.newest) throw new ToolInputError(`Range ${r.oldest}..${r.newest} is reversed; swap oldest and newest.`);
      const ids = [...(a.curves ?? (ranges.length > 0 ? [] : ['s0'])), ...ranges.map((r) => `r.${r.oldest}.${r.newest}`)];
      if (ids.length > 4) throw new ToolInputError('At most 4 curves at once (curves + ranges).');
      const id = await realAthleteId(ctx, athleteOf(args, ctx.athleteId));
      const raw = await ctx.intervals.get<Raw | null>(spec.path, {
        params: { id },
        query: { type: args.sport, curves: ids, ...(byDistance && a.gap ? { gap: true } : {}) },
      });
      const list = records(raw?.list);
      const wanted = byDistance ? (a.distances_m ?? DEFAULT_METRES) : (a.durations_s ?? DEFAULT_SECS);
      const curves = list.map((c) => {
        const xs = ((byDistance ? c.distance : c.secs) as number[] | null) ?? [];
        const values = (c.values as number[] | null) ?? [];
        const acts = (c.activity_id as string[] | null) ?? [];
        const wkg = (c.watts_per_kg as number[] | null) ?? [];
        return {
          id: String(c.id),
          label: typeof c.label === 'string' ? c.label : null,
          start: typeof c.start_date_local === 'string' ? c.start_date_local.slice(0, 10) : null,
          end: typeof c.end_date_local === 'string' ? c.end_date_local.slice(0, 10) : null,
          days: num(c.days),
          points: pick(xs, wanted).map((i) => ({
            secs: byDistance ? null : num(xs[i]),
            distance_m: byDistance ? num(xs[i]) : null,
            value: num(values[i]),
            watts_per_kg: kind === 'power' ? num(wkg[i]) : null,
            activity_id: acts[i] ?? null,
          })),
        };
      });
      const model = ((list[0]?.paceModels as Raw[] | null) ?? []).find((m) => m.type === 'CS');
      const structured = {
        athlete_id: id,
        sport: args.sport,
        curves,
        critical_speed_mps: num(model?.criticalSpeed),
        d_prime_m: num(model?.dPrime),
      };
      if (curves.every((c) => c.points.length === 0))
        return { structured, text: `No ${kind} curve data for ${args.sport} in ${ids.join(', ')}.` };
      return { structured, text: render(kind, structured) };
    },
  });
}

function render(
  kind: Kind,
  s: {
    athlete_id: string;
    sport: string;
    curves: { id: string; label: string | null; start: string | null; end: string | null; points: z.infer<typeof pointOutput>[] }[];
    critical_speed_mps: number | null;
    d_prime_m: number | null;
  },
): string {
  const xs = [...new Set(s.curves.flatMap((c) => c.points.map((p) => (kind === 'pace' ? p.distance_m : p.secs))))]
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);
  const cell = (p: z.infer<typeof pointOutput> | undefined) => {
    if (!p || p.value === null) return '—';
    if (kind === 'power') return `${fixed(p.value, 0)} W${p.watts_per_kg !== null ? ` (${fixed(p.watts_per_kg, 2)})` : ''}`;
    if (kind === 'hr') return `${fixed(p.value, 0)} bpm`;
    return `${duration(p.value)} (${p.distance_m ? duration((p.value / p.distance_m) * 1000) : '—'}/km)`;
  };
  const rows = xs.map((x) => [
    kind === 'pace' ? `${x >= 1000 ? `${fixed(x / 1000, x % 1000 === 0 ? 0 : 1)} km` : `${Math.round(x)} m`}` : duration(x),
    ...s.curves.map((c) => cell(c.points.find((p) => (kind === 'pace' ? p.distance_m : p.secs) === x))),
  ]);
  const headers = [
    kind === 'pace' ? 'distance' : 'duration',
    ...s.curves.map((c) => `${c.id} ${inline(c.label, 30)} ${c.start ?? ''}..${c.end ?? ''}`),
  ];
  return sections(
    `${kind === 'power' ? 'Power' : kind === 'hr' ? 'Heart-rate' : 'Pace'} curves for ${s.athlete_id}, ${s.sport}${kind === 'power' ? ' (W/kg in brackets)' : ''}:`,
    table(headers, rows),
    s.critical_speed_mps !== null
      ? `Critical speed ${fixed(s.critical_speed_mps, 2)} m/s (${duration(1000 / s.critical_speed_mps)}/km), D′ ${fixed(s.d_prime_m, 0)} m.`
      : '',
    'The activity behind each best is in the structured result (activity_id), or call with format=json.',
  );
}

export const curveTools: AnyToolDef[] = [curveTool('power'), curveTool('hr'), curveTool('pace')];
