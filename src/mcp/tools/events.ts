import { z } from 'zod';
import { record, records } from '../records.js';
import { READ_SCOPE, WRITE_SCOPE } from '../context.js';
import { athleteToday } from '../athlete-today.js';
import { eventCategory } from '../calendar/enums.js';
import {
  checkEventFields,
  createTypeInput,
  eventFieldShape,
  eventFieldsObject,
  toEventBody,
  WORKOUT_TEXT_REF,
  type EventFields,
} from '../calendar/event-fields.js';
import { eventCard, eventLine, eventsTable, workoutReportText } from '../calendar/event-text.js';
import { detailEvent, eventDetailSchema, eventSummarySchema, summarizeEvent } from '../calendar/event-view.js';
import { datePart } from '../calendar/local-dates.js';
import { sections } from '../format/table.js';
import { QUOTED_NOTE } from '../format/untrusted.js';
import { addDays, athleteIdInput, athleteOf, isoDate, limitInput, resolveRange } from '../inputs.js';
import { APPEND, defineTool, READ_ONLY, ToolInputError, UPDATE, type AnyToolDef } from '../tool.js';
import { checkWorkoutText, workoutWarnings } from '../workout/check.js';
import { eventBulkTools } from './event-bulk.js';
import { eventDeleteTools } from './event-deletes.js';
import { changeRequired } from '../schema-conditions.js';

type Raw = Record<string, unknown>;

const MAX_RANGE_DAYS = 366;
const eventIdInput = z.number().int().positive().describe('From get_events.');

/** Throw the first cross-field problem as a ToolInputError (raw input shapes cannot refine). */
function assertEventFields(fields: EventFields, creating: boolean): void {
  const result = eventFieldsObject.superRefine((f, c) => checkEventFields(f, c, creating)).safeParse(fields);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ToolInputError(`${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
  }
}

const getEvents = defineTool({
  name: 'get_events',
  title: 'Calendar events in a date range',
  description:
    'Planned workouts, races, notes, targets, holidays and sick days on the calendar in a date range, optionally by category. ' +
    'One row per event: id, date, sport, planned duration and load, whether its workout text parsed. Use to get ids before ' +
    "update/delete/duplicate. Not for completed activities (get_activities) or one event's full workout (get_event).",
  scope: READ_SCOPE,
  toolset: 'core',
  annotations: READ_ONLY,
  input: {
    athlete_id: athleteIdInput,
    oldest: isoDate.optional().describe("Default: the athlete's today."),
    newest: isoDate.optional().describe(`Inclusive; default oldest + 13 days, at most ${MAX_RANGE_DAYS} days.`),
    categories: z.array(eventCategory).min(1).max(14).optional().describe('Only these, e.g. ["WORKOUT"].'),
    limit: limitInput(200, 60),
  },
  output: {
    athlete_id: z.string(),
    oldest: z.string(),
    newest: z.string(),
    count: z.number(),
    truncated: z.boolean(),
    events: z.array(eventSummarySchema),
  },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    // "Today" is the athlete's: a server-side UTC date would hide today's workouts in the evening west of Greenwich.
    const oldest = args.oldest ?? (args.newest ? addDays(args.newest, -13) : await athleteToday(ctx, id));
    const range = resolveRange({ oldest, newest: args.newest ?? addDays(oldest, 13) }, { defaultDays: 13, maxDays: MAX_RANGE_DAYS });
    // One more than asked tells us whether there is more, without a second call.
    const raw = await ctx.intervals.get<Raw[]>('/athlete/{id}/events', {
      params: { id },
      query: { oldest: range.oldest, newest: range.newest, category: args.categories, limit: args.limit + 1 },
    });
    const all = records(raw);
    const events = all.slice(0, args.limit).map((e) => summarizeEvent(e));
    const truncated = all.length > args.limit;
    const structured = { athlete_id: id, ...range, count: events.length, truncated, events };
    const head = `Calendar ${id}, ${range.oldest}..${range.newest}: ${events.length}${truncated ? '+' : ''} event(s)${args.categories ? ` in ${args.categories.join(', ')}` : ''}.`;
    const text =
      events.length === 0
        ? `${head} Nothing planned; widen the range or drop the category filter.`
        : sections(
            head,
            eventsTable(events),
            truncated
              ? `More events exist after the last row. Ask for a later oldest date (the day after ${events.at(-1)?.date ?? range.oldest}) or a higher limit.`
              : '',
            QUOTED_NOTE,
            'Use get_event with an id for the workout steps and description.',
          );
    return { structured, text };
  },
});

const getEvent = defineTool({
  name: 'get_event',
  title: 'One calendar event in full',
  description:
    'One calendar event by id: date, category, sport, planned duration/distance/load, targets, the parsed workout steps and the ' +
    'description (workout text or note). Use to check a workout before editing it. Not for listing (get_events) or ' +
    'what was actually done (get_activity with the paired activity id).',
  scope: READ_SCOPE,
  toolset: 'core',
  annotations: READ_ONLY,
  input: { athlete_id: athleteIdInput, event_id: eventIdInput },
  output: { event: eventDetailSchema },
  async run(args, ctx) {
    const raw = await ctx.intervals.get<unknown>('/athlete/{id}/events/{eventId}', {
      params: { id: athleteOf(args, ctx.athleteId), eventId: args.event_id },
    });
    const event = detailEvent({ id: args.event_id, ...record(raw) });
    return { structured: { event }, text: eventCard(event) };
  },
});

const writeOutput = { event: eventSummarySchema };

function writeResult(verb: string, raw: unknown, warnings = '') {
  const event = summarizeEvent(record(raw), { withOutline: true });
  const text = sections(`${verb} ${eventLine(event)}.`, workoutReportText(event.workout, true), warnings, QUOTED_NOTE);
  return { structured: { event }, text };
}

const { category: _category, date: _date, name: _name, ...optionalFields } = eventFieldShape;

const createEvent = defineTool({
  name: 'create_event',
  title: 'Add an event to the calendar',
  description:
    'Adds ONE calendar item: a planned WORKOUT (workout text in `description`), a race (RACE_A/B/C), a NOTE, a TARGET, or a ' +
    'multi-day HOLIDAY/SICK/INJURED block (`last_date`). For a workout the answer says whether the text parsed, with the steps; ' +
    'if not, fix it with update_event. Several events or re-runnable imports: bulk_create_events; repeating existing events: ' +
    'duplicate_events; a library plan: apply_training_plan.',
  scope: WRITE_SCOPE,
  toolset: 'core',
  annotations: APPEND,
  input: {
    athlete_id: athleteIdInput,
    category: eventCategory.default('WORKOUT').describe('See resource intervals://docs/event-categories.'),
    date: isoDate,
    name: z.string().trim().min(1).max(200),
    ...optionalFields,
    type: createTypeInput,
  },
  output: writeOutput,
  async run(args, ctx) {
    const { athlete_id: _a, ...fields } = args;
    assertEventFields(fields, true);
    const checked = fields.category === 'WORKOUT' && fields.description ? checkWorkoutText(fields.description, fields.type) : null;
    const raw = await ctx.intervals.post<Raw>('/athlete/{id}/events', {
      params: { id: athleteOf(args, ctx.athleteId) },
      body: toEventBody(fields),
    });
    return writeResult('Created', raw, checked ? workoutWarnings(checked) : '');
  },
});

const updateEvent = defineTool({
  name: 'update_event',
  title: 'Change a calendar event',
  description:
    'Changes ONE calendar event (id from get_events): move it (`date`, `time`), rename it, replace its workout text, change ' +
    'planned load, colour, tags, etc. Only the fields passed change (a new `time` alone keeps the day). Reports whether new ' +
    'workout text parsed. Not for creating (create_event) or removing (delete_event).',
  scope: WRITE_SCOPE,
  toolset: 'core',
  annotations: { ...UPDATE, destructiveHint: true },
  input: {
    athlete_id: athleteIdInput,
    event_id: eventIdInput,
    ...eventFieldShape,
    description: eventFieldShape.description.describe(WORKOUT_TEXT_REF),
  },
  conditions: changeRequired(['athlete_id', 'event_id'], 'name'),
  output: writeOutput,
  async run(args, ctx) {
    const { athlete_id: _a, event_id, ...fields } = args;
    const params = { id: athleteOf(args, ctx.athleteId), eventId: event_id };
    if (Object.values(fields).every((v) => v === undefined))
      throw new ToolInputError('Nothing to change: pass at least one field such as date, name or description.');
    // A new start time alone keeps the event's day (start_date_local carries both); new text is
    // checked as a workout when the event is one, which only the stored event may say.
    const needsCurrent = (fields.time && !fields.date) || (fields.description && !fields.category);
    const current = needsCurrent ? record(await ctx.intervals.get<unknown>('/athlete/{id}/events/{eventId}', { params })) : {};
    if (fields.time && !fields.date) fields.date = datePart(current.start_date_local) ?? undefined;
    assertEventFields(fields, false);
    const category = fields.category ?? current.category;
    const sport = fields.type ?? (typeof current.type === 'string' ? current.type : null);
    const checked = category === 'WORKOUT' && fields.description ? checkWorkoutText(fields.description, sport) : null;
    const raw = await ctx.intervals.put<Raw>('/athlete/{id}/events/{eventId}', { params, body: toEventBody(fields) });
    return writeResult('Updated', raw, checked ? workoutWarnings(checked) : '');
  },
});

/** Every calendar tool, in the order tools/list shows them. */
export const eventsTools: AnyToolDef[] = [getEvents, getEvent, createEvent, updateEvent, ...eventBulkTools, ...eventDeleteTools];
