import { z } from 'zod';
import { athleteToday } from '../athlete-today.js';
import { datePart, weekday } from '../calendar/local-dates.js';
import { childrenOf, summarizeFolder } from '../calendar/library-view.js';
import { READ_SCOPE } from '../context.js';
import { sections } from '../format/table.js';
import { cleanText, inline, QUOTED_NOTE } from '../format/untrusted.js';
import { num } from '../format/units.js';
import { addDays, athleteIdInput, athleteOf } from '../inputs.js';
import { record, records } from '../records.js';
import { defineTool, READ_ONLY, type AnyToolDef } from '../tool.js';

type Raw = Record<string, unknown>;
/** What shapes a season on the calendar: races, goals and the season's start. */
const SEASON_CATEGORIES = ['RACE_A', 'RACE_B', 'RACE_C', 'TARGET', 'SEASON_START'];
const SEASON_DAYS = 365;

const getTrainingPlan = defineTool({
  name: 'get_training_plan',
  title: "The athlete's plan and season",
  description:
    "The training plan the athlete follows (start, weeks, last applied) and the next 12 months' races, targets and season " +
    'starts. Library plans: get_workout_library.',
  scope: READ_SCOPE,
  toolset: 'planning',
  annotations: READ_ONLY,
  input: { athlete_id: athleteIdInput },
  output: {
    plan: z
      .object({
        id: z.number(),
        name: z.string().nullable(),
        start_date: z.string().nullable(),
        weeks: z.number().nullable(),
        workouts: z.number(),
        last_applied: z.string().nullable(),
      })
      .nullable(),
    season: z.array(
      z.object({ id: z.number().nullable(), date: z.string().nullable(), category: z.string(), name: z.string().nullable() }),
    ),
  },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const today = await athleteToday(ctx, id);
    const [rawPlan, rawEvents] = await Promise.all([
      ctx.intervals.get<unknown>('/athlete/{id}/training-plan', { params: { id } }),
      ctx.intervals.get<Raw[]>('/athlete/{id}/events', {
        params: { id },
        query: { oldest: today, newest: addDays(today, SEASON_DAYS), category: SEASON_CATEGORIES },
      }),
    ]);
    const p = record(rawPlan);
    const folder = p.training_plan ? record(p.training_plan) : null;
    const planId = num(p.training_plan_id) ?? num(folder?.id);
    const plan =
      planId === null
        ? null
        : {
            id: planId,
            name: cleanText(p.training_plan_alias, 120) ?? (folder ? summarizeFolder(folder).name : null),
            start_date:
              datePart(p.training_plan_start_date) ?? (typeof p.training_plan_start_date === 'string' ? p.training_plan_start_date : null),
            weeks: num(folder?.duration_weeks),
            workouts: folder ? childrenOf(folder).length : 0,
            last_applied: typeof p.training_plan_last_applied === 'string' ? p.training_plan_last_applied : null,
          };
    const season = records(rawEvents)
      .map((e) => ({ id: num(e.id), date: datePart(e.start_date_local), category: String(e.category ?? ''), name: cleanText(e.name, 80) }))
      .sort((a, b) => String(a.date).localeCompare(String(b.date)));
    const head = plan
      ? `Plan #${plan.id} ${inline(plan.name)}: from ${plan.start_date ?? '—'}${plan.weeks ? `, ${plan.weeks} weeks` : ''}, ${plan.workouts} workout(s); last applied ${plan.last_applied?.slice(0, 10) ?? 'never'}.`
      : 'No training plan is set for this athlete (apply_training_plan puts a library plan on the calendar).';
    const lines = season
      .slice(0, 40)
      .map((e) => `${e.date ?? '—'} ${e.date ? weekday(e.date) : ''} ${e.category} ${inline(e.name)} (event ${e.id})`);
    return {
      structured: { plan, season },
      text: sections(
        head,
        season.length
          ? `Season ahead (${today}..${addDays(today, SEASON_DAYS)}):\n${lines.join('\n')}`
          : `No races, targets or season starts in the next ${SEASON_DAYS} days.`,
        QUOTED_NOTE,
      ),
    };
  },
});

export const trainingPlanTools: AnyToolDef[] = [getTrainingPlan];
