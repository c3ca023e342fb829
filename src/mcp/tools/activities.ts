import { z } from 'zod';
import { READ_SCOPE, WRITE_SCOPE } from '../context.js';
import {
  activitySummaryOutput,
  isStravaStub,
  renderActivityTable,
  STRAVA_FIX,
  SUMMARY_FIELDS,
  toActivitySummary,
} from '../format/activity.js';
import { sections, truncationNote } from '../format/table.js';
import { inline } from '../format/untrusted.js';
import { activityIdInput, athleteIdInput, athleteOf, isoDate, limitInput, resolveRange } from '../inputs.js';
import { defineTool, READ_ONLY, ToolInputError, UPDATE, type AnyToolDef } from '../tool.js';
import { activityDetailOutput, renderActivityDetail, toActivityDetail } from './activity-detail.js';
import { activityAnalysisTools } from './activity-analysis.js';
import { activityMessageTools } from './activity-messages.js';
import { activityWritebackTools } from './activity-writeback.js';
import { records } from '../records.js';
import { changeRequired } from '../schema-conditions.js';

type Raw = Record<string, unknown>;

const listOutput = {
  athlete_id: z.string(),
  oldest: z.string(),
  newest: z.string(),
  count: z.number(),
  truncated: z.boolean(),
  activities: z.array(activitySummaryOutput),
};

const getActivities = defineTool({
  name: 'get_activities',
  title: 'List activities in a date range',
  description:
    'Completed activities (newest first) in a date range with id, time, distance, load, HR and power/pace. Use it to find ' +
    'activities, then get_activity / get_activity_intervals for one. Search by name or tag: search_activities; planned ' +
    'workouts: get_events.',
  scope: READ_SCOPE,
  toolset: 'core',
  annotations: READ_ONLY,
  input: {
    athlete_id: athleteIdInput,
    oldest: isoDate.optional().describe('Default: 14 days before newest.'),
    newest: isoDate.optional().describe('Inclusive; default today.'),
    type: z
      .string()
      .regex(/^[A-Za-z]{2,40}$/, 'a sport type such as Ride, Run, Swim')
      .optional()
      .describe('Only this sport, e.g. Ride, Run.'),
    limit: limitInput(200, 30),
  },
  output: listOutput,
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const { oldest, newest } = resolveRange(args, { defaultDays: 14, maxDays: 366 });
    // Ask for one more than shown so we can say honestly whether the list was cut. With a type
    // filter the upstream limit would cut before filtering, so the range bounds the fetch instead.
    const raw = await ctx.intervals.get<Raw[] | null>('/athlete/{id}/activities', {
      params: { id },
      query: { oldest, newest, limit: args.type ? undefined : args.limit + 1, fields: SUMMARY_FIELDS },
    });
    const all = records(raw)
      .map(toActivitySummary)
      .filter((a) => !args.type || a.type === args.type || a.strava_stub);
    const shown = all.slice(0, args.limit);
    const structured = { athlete_id: id, oldest, newest, count: shown.length, truncated: all.length > shown.length, activities: shown };
    const head = `Activities for ${id}, ${oldest}..${newest}${args.type ? `, type ${args.type}` : ''} (newest first): ${shown.length}${structured.truncated ? '+' : ''}`;
    const more = structured.truncated ? `More activities exist: narrow the date range (oldest/newest) or raise limit (max 200).` : '';
    return { structured, text: sections(head, shown.length ? renderActivityTable(shown) : 'No activities in this range.', more) };
  },
});

const getActivity = defineTool({
  name: 'get_activity',
  title: 'One activity in detail',
  description:
    'One completed activity in full: time, distance, load, intensity, HR/power/pace, decoupling, efficiency, zone times, ' +
    'RPE/feel, gear, the planned workout it matched, and its description. Laps/intervals: get_activity_intervals; ' +
    'second-by-second data: get_activity_streams.',
  scope: READ_SCOPE,
  toolset: 'core',
  annotations: READ_ONLY,
  input: { activity_id: activityIdInput },
  output: activityDetailOutput,
  async run(args, ctx) {
    const raw = await ctx.intervals.get<Raw>('/activity/{id}', { params: { id: args.activity_id } });
    const detail = toActivityDetail(raw);
    return { structured: detail, text: renderActivityDetail(detail) };
  },
});

const searchActivities = defineTool({
  name: 'search_activities',
  title: 'Search activities by name or tag',
  description:
    'Completed activities whose name or tag matches a text, across all history; newest first. Use when the person names an ' +
    'activity ("the Alpe d\'Huez ride", "parkrun"). By date range: get_activities; by effort duration/intensity: search_intervals.',
  scope: READ_SCOPE,
  toolset: 'analysis',
  annotations: READ_ONLY,
  input: {
    athlete_id: athleteIdInput,
    query: z.string().trim().min(2).max(100).describe('Text in the name, or a tag.'),
    limit: limitInput(100, 20),
  },
  output: {
    athlete_id: z.string(),
    query: z.string(),
    count: z.number(),
    truncated: z.boolean(),
    activities: z.array(activitySummaryOutput),
  },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const raw = await ctx.intervals.get<Raw[] | null>('/athlete/{id}/activities/search', {
      params: { id },
      query: { q: args.query, limit: args.limit + 1 },
    });
    const all = records(raw).map(toActivitySummary);
    const shown = all.slice(0, args.limit);
    const structured = { athlete_id: id, query: args.query, count: shown.length, truncated: all.length > shown.length, activities: shown };
    const head = `Activities of ${id} matching ${inline(args.query)}: ${shown.length}${structured.truncated ? '+' : ''}`;
    const more = structured.truncated
      ? truncationNote(shown.length, all.length, 'Raise limit (max 100) or use a more specific query.')
      : '';
    return { structured, text: sections(head, shown.length ? renderActivityTable(shown) : 'No matches.', more) };
  },
});

/** Intervals.icu feel: 1 strong … 5 weak (its own scale). */
const FEEL = ['strong', 'good', 'normal', 'poor', 'weak'] as const;

const updateActivity = defineTool({
  name: 'update_activity',
  title: 'Update an activity (name, description, RPE, feel, gear, type)',
  description:
    'Change fields of a completed activity: name, description, RPE, feel, gear, sport type, commute/race/trainer flags, tags. ' +
    'Only the fields given change. Use to rename or annotate an activity. To comment in its chat: add_activity_message; ' +
    'planned workouts are events (update_event).',
  scope: WRITE_SCOPE,
  toolset: 'analysis',
  annotations: UPDATE,
  input: {
    activity_id: activityIdInput,
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(10_000).optional().describe('Replaces the whole description; "" clears it.'),
    rpe: z.number().int().min(1).max(10).optional().describe('1 very easy – 10 max.'),
    feel: z.enum(FEEL).optional(),
    gear_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/)
      .optional()
      .describe('From get_gear (cannot be cleared here).'),
    type: z
      .string()
      .regex(/^[A-Za-z]{2,40}$/)
      .optional()
      .describe('Sport, e.g. Ride, Run.'),
    commute: z.boolean().optional(),
    race: z.boolean().optional(),
    trainer: z.boolean().optional(),
    tags: z.array(z.string().trim().min(1).max(40)).max(20).optional().describe('Replaces the tag list.'),
  },
  conditions: changeRequired(['activity_id'], 'name'),
  output: { updated_fields: z.array(z.string()), activity: z.object(activityDetailOutput) },
  async run(args, ctx) {
    const body: Raw = {};
    if (args.name !== undefined) body.name = args.name;
    if (args.description !== undefined) body.description = args.description;
    if (args.rpe !== undefined) body.icu_rpe = args.rpe;
    if (args.feel !== undefined) body.feel = FEEL.indexOf(args.feel) + 1;
    if (args.gear_id !== undefined) body.gear = { id: args.gear_id };
    if (args.type !== undefined) body.type = args.type;
    for (const k of ['commute', 'race', 'trainer', 'tags'] as const) if (args[k] !== undefined) body[k] = args[k];
    const fields = Object.keys(body);
    if (fields.length === 0)
      throw new ToolInputError(
        'Nothing to change: give at least one of name, description, rpe, feel, gear_id, type, commute, race, trainer, tags.',
      );
    const raw = await ctx.intervals.put<Raw>('/activity/{id}', { params: { id: args.activity_id }, body });
    if (isStravaStub(raw))
      throw new ToolInputError(`Activity ${args.activity_id} is a Strava import and cannot be changed through the API. ${STRAVA_FIX}`);
    const activity = toActivityDetail(raw);
    return {
      structured: { updated_fields: fields, activity },
      text: `Updated ${fields.join(', ')} on ${activity.id}.\n\n${renderActivityDetail(activity)}`,
    };
  },
});

export const activityTools: AnyToolDef[] = [
  getActivities,
  getActivity,
  searchActivities,
  updateActivity,
  ...activityWritebackTools,
  ...activityAnalysisTools,
  ...activityMessageTools,
];
