import { z } from 'zod';
import { records } from '../records.js';
import { WRITE_SCOPE } from '../context.js';
import { eventCategory } from '../calendar/enums.js';
import { checkEventFields, createTypeInput, eventFieldShape, toEventBody, WORKOUT_TEXT_REF } from '../calendar/event-fields.js';
import { eventsTable } from '../calendar/event-text.js';
import { eventSummarySchema, summarizeEvent, type EventSummary } from '../calendar/event-view.js';
import { sections } from '../format/table.js';
import { QUOTED_NOTE } from '../format/untrusted.js';
import { athleteIdInput, athleteOf, isoDate } from '../inputs.js';
import { APPEND, defineTool, DESTRUCTIVE, ToolInputError, type AnyToolDef } from '../tool.js';
import { checkWorkoutText, workoutWarnings } from '../workout/check.js';
import { dryRunInput, previewOutput, previewText, type PreviewItem } from '../calendar/write-preview.js';
import { datePart } from '../calendar/local-dates.js';
import { record } from '../records.js';
import { cleanText } from '../format/untrusted.js';
import { addDays } from '../inputs.js';

const { category: _c, date: _d, name: _n, external_id: _x, ...optionalFields } = eventFieldShape;

const bulkItem = z
  .object({
    category: eventCategory.default('WORKOUT'),
    date: isoDate,
    name: z.string().trim().min(1).max(200),
    external_id: z.string().trim().min(1).max(200).describe('Your stable id; sending it again updates that event.'),
    ...optionalFields,
    description: optionalFields.description.describe(WORKOUT_TEXT_REF),
    type: createTypeInput,
  })
  .superRefine((f, c) => checkEventFields(f, c, true));

const listOutput = {
  count: z.number(),
  events: z.array(eventSummarySchema),
  unparsed_workouts: z.array(z.number()).describe('WORKOUT events whose text did not parse'),
  preview: previewOutput,
};

/** How far either side of the items' dates a dry run looks for events with the same external_id. */
const UPSERT_WINDOW_DAYS = 28;

function previewResult(items: PreviewItem[], note = '') {
  return { structured: { count: 0, events: [], unparsed_workouts: [], preview: items }, text: previewText(items, note) };
}

function listResult(head: string, raw: unknown) {
  const events: EventSummary[] = records(raw).map((e) => summarizeEvent(e));
  const unparsed = events.filter((e) => e.workout && !e.workout.parsed).map((e) => e.id);
  const structured = { count: events.length, events, unparsed_workouts: unparsed, preview: null };
  const warn = unparsed.length
    ? `Workout text did NOT parse for event(s) ${unparsed.join(', ')}: write steps as "- 10m 60%" lines (resource intervals://docs/workout-syntax) and fix them with update_event.`
    : '';
  return {
    structured,
    text: sections(`${head}: ${events.length} event(s).`, events.length ? eventsTable(events) : '', warn, events.length ? QUOTED_NOTE : ''),
  };
}

const bulkCreateEvents = defineTool({
  name: 'bulk_create_events',
  title: 'Create or update many calendar events',
  description:
    'Writes up to 100 calendar items, upserting on `external_id`: an item whose external_id matches an event this connection ' +
    'created updates it, else a new one is created, so re-running a plan is safe (events made elsewhere are never overwritten). ' +
    'Use to load a week or block of planned workouts (workout text in `description`). dry_run: true lists what would be ' +
    'created or updated. One item: create_event; copies of existing events: duplicate_events.',
  scope: WRITE_SCOPE,
  toolset: 'planning',
  annotations: DESTRUCTIVE,
  input: {
    athlete_id: athleteIdInput,
    // The items' `required` says that each needs date, name and external_id.
    events: z.array(bulkItem).min(1).max(100),
    dry_run: dryRunInput,
  },
  output: listOutput,
  async run(args, ctx) {
    const ids = args.events.map((e) => e.external_id);
    const dup = ids.find((x, i) => ids.indexOf(x) !== i);
    if (dup) throw new ToolInputError(`external_id "${dup}" appears twice; each item needs its own.`);
    // Every item is checked before the one request, so one bad line writes nothing at all.
    const checked = args.events.flatMap((e, i) =>
      e.category === 'WORKOUT' && e.description ? [checkWorkoutText(e.description, e.type, `events[${i}] (${e.external_id})`)] : [],
    );
    const id = athleteOf(args, ctx.athleteId);
    if (args.dry_run) {
      const dates = args.events.map((e) => e.date).sort();
      const oldest = addDays(dates[0]!, -UPSERT_WINDOW_DAYS);
      const newest = addDays(dates.at(-1)!, UPSERT_WINDOW_DAYS);
      const existing = records(await ctx.intervals.get<unknown>('/athlete/{id}/events', { params: { id }, query: { oldest, newest } }));
      const byExternal = new Map(existing.filter((e) => typeof e.external_id === 'string').map((e) => [e.external_id as string, e]));
      const items = args.events.map((e): PreviewItem => {
        const hit = byExternal.get(e.external_id);
        return { action: hit ? 'update' : 'create', date: e.date, name: e.name, event_id: typeof hit?.id === 'number' ? hit.id : null };
      });
      const preview = previewResult(items, `(Matched on external_id among events ${oldest}..${newest}.)`);
      return { ...preview, text: sections(preview.text, workoutWarnings(checked)) };
    }
    const raw = await ctx.intervals.post<unknown>('/athlete/{id}/events/bulk', {
      params: { id },
      query: { upsert: true },
      body: args.events.map(toEventBody),
    });
    const result = listResult('Created or updated', raw);
    return { ...result, text: sections(result.text, workoutWarnings(checked)) };
  },
});

const duplicateEvents = defineTool({
  name: 'duplicate_events',
  title: 'Repeat calendar events in later weeks',
  description:
    'Copies calendar events (ids from get_events) forward: `copies` copies, each `weeks_between` weeks after the previous one ' +
    "(e.g. repeat this week's three workouts for the next 3 weeks). Returns the new events with ids; dry_run: true lists the " +
    'copies instead. From scratch: ' +
    'create_event, bulk_create_events; library plans: apply_training_plan.',
  scope: WRITE_SCOPE,
  toolset: 'planning',
  annotations: APPEND,
  input: {
    athlete_id: athleteIdInput,
    event_ids: z.array(z.number().int().positive()).min(1).max(50),
    copies: z.number().int().min(1).max(52).default(1).describe('Copies of each event.'),
    weeks_between: z.number().int().min(1).max(52).default(1),
    dry_run: dryRunInput,
  },
  output: listOutput,
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    if (args.dry_run) {
      const sources = await Promise.all(
        [...new Set(args.event_ids)].map(async (eventId) =>
          record(await ctx.intervals.get<unknown>('/athlete/{id}/events/{eventId}', { params: { id, eventId } })),
        ),
      );
      const items = sources.flatMap((e) => {
        const date = datePart(e.start_date_local);
        return Array.from({ length: args.copies }, (_, k): PreviewItem => ({
          action: 'create',
          date: date ? addDays(date, 7 * args.weeks_between * (k + 1)) : null,
          name: cleanText(e.name, 80),
          event_id: null,
        }));
      });
      return previewResult(items.sort((a, b) => String(a.date).localeCompare(String(b.date))));
    }
    const raw = await ctx.intervals.post<unknown>('/athlete/{id}/duplicate-events', {
      params: { id },
      body: { numCopies: args.copies, weeksBetween: args.weeks_between, eventIds: args.event_ids },
    });
    return listResult('Created copies', raw);
  },
});

export const eventBulkTools: AnyToolDef[] = [bulkCreateEvents, duplicateEvents];
