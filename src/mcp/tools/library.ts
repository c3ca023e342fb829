import { z } from 'zod';
import { record, records } from '../records.js';
import { READ_SCOPE, WRITE_SCOPE } from '../context.js';
import { sportType } from '../calendar/enums.js';
import { LIBRARY_TEXT_REF } from '../calendar/event-fields.js';
import { eventsTable, workoutReportText } from '../calendar/event-text.js';
import { eventSummarySchema, SHOWN_DESCRIPTION_CHARS, summarizeEvent } from '../calendar/event-view.js';
import {
  childrenOf,
  detailWorkout,
  folderSummarySchema,
  foldersTable,
  summarizeFolder,
  summarizeWorkout,
  workoutDetailSchema,
  workoutsTable,
  workoutSummarySchema,
} from '../calendar/library-view.js';
import { toStartDateLocal } from '../calendar/local-dates.js';
import { sections } from '../format/table.js';
import { fenced, inline, QUOTED_NOTE } from '../format/untrusted.js';
import { addDays, athleteIdInput, athleteOf, isoDate, limitInput } from '../inputs.js';
import { APPEND, defineTool, READ_ONLY, ToolInputError, type AnyToolDef } from '../tool.js';
import { checkWorkoutText, workoutWarnings } from '../workout/check.js';
import { libraryManageTools } from './library-manage.js';
import { trainingPlanTools } from './training-plan.js';
import { dryRunInput, previewOutput, previewText, type PreviewItem } from '../calendar/write-preview.js';

type Raw = Record<string, unknown>;
const folderIdInput = z.number().int().positive().describe('Folder or plan id from get_workout_library.');

const getWorkoutLibrary = defineTool({
  name: 'get_workout_library',
  title: 'Workout library: folders, plans and workouts',
  description:
    'The workout library. No arguments: every folder and training plan with id and size. folder_id: the workouts in that ' +
    "folder or plan (with each workout's plan day). workout_id: one workout with its steps and workout text. Use to find a " +
    'plan for apply_training_plan or a workout to put on the calendar.',
  scope: READ_SCOPE,
  toolset: 'planning',
  annotations: READ_ONLY,
  input: {
    athlete_id: athleteIdInput,
    folder_id: folderIdInput.optional(),
    workout_id: z.number().int().positive().optional().describe('From a folder listing.'),
    limit: limitInput(100, 40),
  },
  output: {
    folders: z.array(folderSummarySchema),
    folder: folderSummarySchema.nullable(),
    workouts: z.array(workoutSummarySchema),
    truncated: z.boolean(),
    workout: workoutDetailSchema.nullable(),
  },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    if (args.workout_id !== undefined) {
      const raw = await ctx.intervals.get<unknown>('/athlete/{id}/workouts/{workoutId}', { params: { id, workoutId: args.workout_id } });
      const workout = detailWorkout({ id: args.workout_id, ...record(raw) });
      const structured = { folders: [], folder: null, workouts: [], truncated: false, workout };
      return {
        structured,
        text: sections(
          `Workout #${workout.id} ${inline(workout.name)} (${workout.type ?? 'no sport'}), folder ${workout.folder_id ?? '—'}`,
          workoutReportText(workout.workout, true),
          workout.description ? fenced('Workout text', workout.description, SHOWN_DESCRIPTION_CHARS) : '',
          (workout.description?.length ?? 0) > SHOWN_DESCRIPTION_CHARS ? 'The workout text was cut; pass format "json" for all of it.' : '',
          QUOTED_NOTE,
        ),
      };
    }
    const rawFolders = await ctx.intervals.get<Raw[]>('/athlete/{id}/folders', { params: { id } });
    const list = records(rawFolders);
    const folders = list.map(summarizeFolder);
    if (args.folder_id === undefined) {
      const structured = { folders, folder: null, workouts: [], truncated: false, workout: null };
      const text =
        folders.length === 0
          ? 'The workout library is empty. create_workout adds workouts to a folder (manage_library creates folders).'
          : sections(
              `Workout library of ${id}: ${folders.length} folder(s)/plan(s).`,
              foldersTable(folders),
              QUOTED_NOTE,
              'Pass folder_id to list its workouts.',
            );
      return { structured, text };
    }
    const rawFolder = list.find((f) => f.id === args.folder_id);
    if (!rawFolder)
      throw new ToolInputError(`No folder ${args.folder_id} in the library; folder ids: ${folders.map((f) => f.id).join(', ') || 'none'}.`);
    const folder = summarizeFolder(rawFolder);
    const all = childrenOf(rawFolder)
      .map((w) => summarizeWorkout(w))
      .sort((a, b) => (a.day ?? 0) - (b.day ?? 0));
    const workouts = all.slice(0, args.limit);
    const truncated = all.length > workouts.length;
    const isPlan = folder.type === 'PLAN';
    return {
      structured: { folders: [], folder, workouts, truncated, workout: null },
      text: sections(
        `${isPlan ? 'Plan' : 'Folder'} #${folder.id} ${inline(folder.name)}: ${all.length} workout(s)${folder.duration_weeks ? `, ${folder.duration_weeks} weeks` : ''}.`,
        workouts.length ? workoutsTable(workouts, isPlan) : '',
        truncated ? `Showing ${workouts.length} of ${all.length}; raise limit (max 100) to see more.` : '',
        QUOTED_NOTE,
        "Pass workout_id for one workout's steps and text.",
      ),
    };
  },
});

const createWorkout = defineTool({
  name: 'create_workout',
  title: 'Add a workout to the library',
  description:
    'Saves ONE workout (workout text in `description`) into a library folder or plan. Reports whether the text parsed into ' +
    'steps. To put a workout on a date: create_event; a whole plan onto the calendar: apply_training_plan.',
  scope: WRITE_SCOPE,
  toolset: 'planning',
  annotations: APPEND,
  input: {
    athlete_id: athleteIdInput,
    folder_id: folderIdInput,
    name: z.string().trim().min(1).max(200),
    type: sportType,
    description: z.string().min(1).max(20_000).describe(LIBRARY_TEXT_REF),
    day: z.number().int().min(0).max(730).optional().describe('Plans only: day offset, 0 = first day.'),
    moving_time_s: z.number().int().min(0).max(172_800).optional().describe('Computed from parsed text when omitted.'),
    load: z.number().int().min(0).max(2_000).optional().describe('Training load; computed from parsed text when omitted.'),
    indoor: z.boolean().optional(),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  },
  output: { workout: workoutSummarySchema },
  async run(args, ctx) {
    const checked = checkWorkoutText(args.description, args.type);
    const body: Raw = {
      folder_id: args.folder_id,
      name: args.name,
      type: args.type,
      description: args.description,
      day: args.day,
      moving_time: args.moving_time_s,
      icu_training_load: args.load,
      indoor: args.indoor,
      tags: args.tags,
    };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    const raw = await ctx.intervals.post<unknown>('/athlete/{id}/workouts', { params: { id: athleteOf(args, ctx.athleteId) }, body });
    const workout = summarizeWorkout(record(raw), true);
    return {
      structured: { workout },
      text: sections(
        `Saved workout #${workout.id} ${inline(workout.name)} in folder ${workout.folder_id ?? args.folder_id}.`,
        workoutReportText(workout.workout, true),
        workoutWarnings(checked),
        QUOTED_NOTE,
      ),
    };
  },
});

const applyTrainingPlan = defineTool({
  name: 'apply_training_plan',
  title: 'Put a library plan on the calendar',
  description:
    'Copies every workout of a library plan (or folder) onto the calendar from `start_date` (each on start + its day offset). ' +
    'Returns the planned events afterwards, with ids. Applying a plan twice creates duplicates: check get_events first, or ' +
    'dry_run: true to list the events it would create. ' +
    'Single workouts: create_event; repeating calendar events: duplicate_events.',
  scope: WRITE_SCOPE,
  toolset: 'planning',
  annotations: APPEND,
  input: {
    athlete_id: athleteIdInput,
    folder_id: folderIdInput,
    start_date: isoDate.describe('Day 0 of the plan (often a Monday).'),
    dry_run: dryRunInput,
  },
  output: {
    folder_id: z.number(),
    start_date: z.string(),
    last_date: z.string(),
    count: z.number(),
    events: z.array(eventSummarySchema),
    preview: previewOutput,
  },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const folders = await ctx.intervals.get<Raw[]>('/athlete/{id}/folders', { params: { id } });
    const folder = records(folders).find((f) => f.id === args.folder_id);
    if (!folder) throw new ToolInputError(`No folder or plan ${args.folder_id} in the library; get_workout_library lists them.`);
    const lastDay = Math.max(0, ...childrenOf(folder).map((w) => (typeof w.day === 'number' ? w.day : 0)));
    const lastDate = addDays(args.start_date, lastDay);
    const base = { folder_id: args.folder_id, start_date: args.start_date, last_date: lastDate };
    if (args.dry_run) {
      const preview = childrenOf(folder)
        .map((w): PreviewItem => ({
          action: 'create',
          date: addDays(args.start_date, typeof w.day === 'number' ? w.day : 0),
          name: summarizeWorkout(w).name,
          event_id: null,
        }))
        .sort((a, b) => String(a.date).localeCompare(String(b.date)));
      // Already on the calendar from this plan: applying again would duplicate them.
      const listed = await ctx.intervals.get<Raw[]>('/athlete/{id}/events', {
        params: { id },
        query: { oldest: args.start_date, newest: lastDate },
      });
      const already = records(listed).filter((e) => e.plan_folder_id === args.folder_id).length;
      const note = already
        ? `${already} event(s) from this plan are already in ${args.start_date}..${lastDate}: applying again duplicates them.`
        : '';
      return { structured: { ...base, count: 0, events: [], preview }, text: previewText(preview, note) };
    }
    await ctx.intervals.post('/athlete/{id}/events/apply-plan', {
      params: { id },
      body: { start_date_local: toStartDateLocal(args.start_date), folder_id: args.folder_id },
    });
    // The answer's shape is not documented; read the calendar back so the model gets event ids.
    const raw = await ctx.intervals.get<Raw[]>('/athlete/{id}/events', {
      params: { id },
      query: { oldest: args.start_date, newest: lastDate },
    });
    const mine = records(raw).filter(
      (e) => e.plan_folder_id === undefined || e.plan_folder_id === null || e.plan_folder_id === args.folder_id,
    );
    const events = mine.map((e) => summarizeEvent(e)).slice(0, 100);
    return {
      structured: { ...base, count: events.length, events, preview: null },
      text: sections(
        `Applied ${inline(summarizeFolder(folder).name)} (#${args.folder_id}) from ${args.start_date}; calendar ${args.start_date}..${lastDate} now holds ${events.length} event(s):`,
        events.length ? eventsTable(events) : '',
        QUOTED_NOTE,
      ),
    };
  },
});

export const libraryTools: AnyToolDef[] = [
  getWorkoutLibrary,
  createWorkout,
  ...libraryManageTools,
  applyTrainingPlan,
  ...trainingPlanTools,
];
