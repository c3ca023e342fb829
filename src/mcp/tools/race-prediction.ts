import { z } from 'zod';
import { realAthleteId } from '../athlete-id.js';
import { predict } from '../analysis/race-prediction.js';
import { READ_SCOPE } from '../context.js';
import { sections, table } from '../format/table.js';
import { duration, num } from '../format/units.js';
import { athleteIdInput, athleteOf } from '../inputs.js';
import { records } from '../records.js';
import { defineTool, READ_ONLY, ToolInputError, type AnyToolDef } from '../tool.js';

type Raw = Record<string, unknown>;

const predictRace = defineTool({
  name: 'predict_race',
  title: "Race time prediction from the athlete's pace curve",
  description:
    "Race time for a distance from the athlete's pace curve: by critical speed (CS, D′) and by Riegel from their longest " +
    'best effort, each with basis and caveat.',
  scope: READ_SCOPE,
  toolset: 'analysis',
  annotations: READ_ONLY,
  input: {
    athlete_id: athleteIdInput,
    distance_m: z.number().min(400).max(100_000),
    sport: z.enum(['Run', 'Swim', 'Rowing']).default('Run'),
    curve: z
      .string()
      .regex(/^(s[0-9]|\d{1,4}d|1y|all)$/)
      .default('90d'),
  },
  output: {
    distance_m: z.number(),
    predictions: z.array(z.object({ method: z.string(), time_s: z.number(), basis: z.string(), caveat: z.string().nullable() })),
  },
  async run(args, ctx) {
    const id = await realAthleteId(ctx, athleteOf(args, ctx.athleteId));
    const raw = await ctx.intervals.get<Raw | null>('/athlete/{id}/pace-curves.json', {
      params: { id },
      query: { type: args.sport, curves: [args.curve] },
    });
    const curve = records(raw?.list)[0];
    const cs = records(curve?.paceModels).find((m) => m.type === 'CS');
    const model =
      num(cs?.criticalSpeed) !== null && num(cs?.dPrime) !== null ? { cs: num(cs!.criticalSpeed)!, dPrime: num(cs!.dPrime)! } : null;
    const distances = Array.isArray(curve?.distance) ? (curve.distance as unknown[]).map(num) : [];
    const times = Array.isArray(curve?.values) ? (curve.values as unknown[]).map(num) : [];
    const last = distances.reduce<number>(
      (best, d, i) => (d !== null && times[i] !== null && (best < 0 || d > distances[best]!) ? i : best),
      -1,
    );
    const best = last >= 0 ? { distance_m: distances[last]!, time_s: times[last]! } : null;
    const predictions = predict(args.distance_m, model, best);
    if (predictions.length === 0)
      throw new ToolInputError(`No ${args.sport} pace curve for "${args.curve}" to predict from; try curve "1y" or "all".`);
    const per = args.sport === 'Swim' ? 100 : 1000;
    return {
      structured: { distance_m: args.distance_m, predictions },
      text: sections(
        `Predicted ${args.sport} ${args.distance_m} m from the ${args.curve} pace curve:`,
        table(
          ['method', 'time', `pace /${per === 100 ? '100m' : 'km'}`, 'basis', 'caveat'],
          predictions.map((p) => [p.method, duration(p.time_s), duration((p.time_s * per) / args.distance_m), p.basis, p.caveat ?? '—']),
        ),
      ),
    };
  },
});

export const racePredictionTools: AnyToolDef[] = [predictRace];
