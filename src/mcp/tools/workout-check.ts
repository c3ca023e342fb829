import { z } from 'zod';
import { READ_SCOPE } from '../context.js';
import { sportType } from '../calendar/enums.js';
import { sections } from '../format/table.js';
import { distance, duration } from '../format/units.js';
import { defineTool, READ_ONLY, type AnyToolDef } from '../tool.js';
import { isRepeat, parseWorkout, problemLines } from '../workout/parser.js';

const checkWorkout = defineTool({
  name: 'check_workout',
  title: 'Check workout text without saving',
  description:
    'Checks workout text locally, saving nothing: its steps, time and distance, and each line that would not parse with ' +
    'the fix. Workout writes run the same check and refuse errors.',
  scope: READ_SCOPE,
  toolset: 'planning',
  // Nothing leaves the server: not an open-world call.
  annotations: { ...READ_ONLY, openWorldHint: false },
  input: {
    text: z.string().min(1).max(20_000),
    type: sportType.optional().describe('Sport, for sport checks'),
  },
  output: {
    ok: z.boolean(),
    step_count: z.number(),
    repeats: z.number(),
    duration_s: z.number(),
    distance_m: z.number(),
    problems: z.array(
      z.object({ line: z.number(), severity: z.enum(['error', 'warning']), text: z.string(), message: z.string(), fix: z.string() }),
    ),
  },
  async run(args) {
    const parsed = parseWorkout(args.text, args.type ?? null);
    const repeats = parsed.items.filter(isRepeat).length;
    const structured = {
      ok: parsed.ok,
      step_count: parsed.step_count,
      repeats,
      duration_s: parsed.duration_s,
      distance_m: parsed.distance_m,
      problems: parsed.problems,
    };
    const size = [parsed.duration_s ? duration(parsed.duration_s) : '', parsed.distance_m ? distance(parsed.distance_m) : '']
      .filter(Boolean)
      .join(' + ');
    const head =
      parsed.step_count === 0 && parsed.ok
        ? 'No step lines: Intervals.icu keeps this as a plain description (no steps, no planned load).'
        : `${parsed.ok ? 'Parses' : 'Does NOT parse'}: ${parsed.step_count} step(s)${repeats ? ` (${repeats} repeat block(s) expanded)` : ''}${size ? `, ${size}` : ''}.`;
    return { structured, text: sections(head, parsed.problems.length ? problemLines(parsed.problems) : '') };
  },
});

export const workoutCheckTools: AnyToolDef[] = [checkWorkout];
