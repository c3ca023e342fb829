import { z } from 'zod';
import { WRITE_SCOPE, type ToolContext } from '../context.js';
import { sportType } from '../calendar/enums.js';
import { localTimeInput, toStartDateLocal } from '../calendar/local-dates.js';
import { isStravaStub, STRAVA_FIX } from '../format/activity.js';
import { sections } from '../format/table.js';
import { cleanText, inline, QUOTED_NOTE } from '../format/untrusted.js';
import { duration } from '../format/units.js';
import { activityIdInput, athleteIdInput, athleteOf, isoDate } from '../inputs.js';
import { record, records } from '../records.js';
import { defineTool, DESTRUCTIVE, ToolInputError, type AnyToolDef } from '../tool.js';
import { requiredBy } from '../schema-conditions.js';

type Raw = Record<string, unknown>;
const ACTIONS = ['create_manual', 'mark_done', 'link_event', 'set_intervals'] as const;
type Args = {
  athlete_id?: string | undefined;
  action: (typeof ACTIONS)[number];
  activity_id?: string | undefined;
  event_id?: number | undefined;
  date?: string | undefined;
  time?: string | undefined;
  type?: string | undefined;
  name?: string | undefined;
  moving_time_s?: number | undefined;
  distance_m?: number | undefined;
  load?: number | undefined;
  rpe?: number | undefined;
  description?: string | undefined;
  intervals?: { start_s: number; end_s: number; label?: string | undefined; type: 'WORK' | 'RECOVERY' }[] | undefined;
  dry_run: boolean;
};

function need<T>(v: T | undefined, what: string, action: string): T {
  if (v === undefined) throw new ToolInputError(`${action} needs ${what}.`);
  return v;
}

const activityRef = (a: Raw) => ({
  id: a.id === undefined || a.id === null ? null : String(a.id),
  name: cleanText(a.name, 80),
  date: typeof a.start_date_local === 'string' ? a.start_date_local.slice(0, 10) : null,
  paired_event_id: typeof a.paired_event_id === 'number' ? a.paired_event_id : null,
});

/** Each action as one upstream write; set_intervals reads the current intervals first so the answer shows what it replaced. */
async function perform(ctx: ToolContext, a: Args) {
  const id = athleteOf(a, ctx.athleteId);
  switch (a.action) {
    case 'create_manual': {
      const body: Raw = {
        start_date_local: toStartDateLocal(need(a.date, 'date', a.action), a.time),
        type: need(a.type, 'type (the sport)', a.action),
        name: need(a.name, 'name', a.action),
        moving_time: need(a.moving_time_s, 'moving_time_s', a.action),
        distance: a.distance_m,
        icu_training_load: a.load,
        icu_rpe: a.rpe,
        description: a.description,
      };
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      if (a.dry_run) return { summary: 'Would create a manual activity.', activity: null, intervals_before: null, intervals_after: null };
      const raw = record(await ctx.intervals.post<unknown>('/athlete/{id}/activities/manual', { params: { id }, body }));
      return {
        summary: `Created manual activity ${String(raw.id)} (${duration(a.moving_time_s)}).`,
        activity: activityRef(raw),
        intervals_before: null,
        intervals_after: null,
      };
    }
    case 'mark_done': {
      const eventId = need(a.event_id, 'event_id', a.action);
      if (a.dry_run)
        return {
          summary: `Would create a manual activity matching planned workout ${eventId}.`,
          activity: null,
          intervals_before: null,
          intervals_after: null,
        };
      const raw = record(await ctx.intervals.post<unknown>('/athlete/{id}/events/{eventId}/mark-done', { params: { id, eventId } }));
      return {
        summary: `Marked planned workout ${eventId} done: manual activity ${String(raw.id)}.`,
        activity: activityRef(raw),
        intervals_before: null,
        intervals_after: null,
      };
    }
    case 'link_event': {
      const activityId = need(a.activity_id, 'activity_id', a.action);
      const eventId = need(a.event_id, 'event_id', a.action);
      if (a.dry_run)
        return {
          summary: `Would link activity ${activityId} to planned workout ${eventId}.`,
          activity: null,
          intervals_before: null,
          intervals_after: null,
        };
      const raw = record(
        await ctx.intervals.put<unknown>('/activity/{id}', { params: { id: activityId }, body: { paired_event_id: eventId } }),
      );
      if (isStravaStub(raw))
        throw new ToolInputError(`Activity ${activityId} is a Strava import and cannot be changed through the API. ${STRAVA_FIX}`);
      return {
        summary: `Linked activity ${activityId} to planned workout ${eventId}.`,
        activity: activityRef(raw),
        intervals_before: null,
        intervals_after: null,
      };
    }
    case 'set_intervals': {
      const activityId = need(a.activity_id, 'activity_id', a.action);
      const list = need(a.intervals, 'intervals', a.action);
      const bad = list.find((iv) => iv.end_s <= iv.start_s);
      if (bad) throw new ToolInputError(`An interval ends at or before it starts (${bad.start_s}..${bad.end_s} s); give end_s > start_s.`);
      const sorted = [...list].sort((x, y) => x.start_s - y.start_s);
      const overlap = sorted.find((iv, i) => i > 0 && iv.start_s < sorted[i - 1]!.end_s);
      if (overlap)
        throw new ToolInputError(`Intervals overlap at ${overlap.start_s} s; each must start at or after the previous one ends.`);
      const current = record(await ctx.intervals.get<unknown>('/activity/{id}/intervals', { params: { id: activityId } }));
      const before = records(current.icu_intervals).length;
      // Indices are samples of the 1-per-second streams Intervals.icu keeps, so seconds map onto them.
      const body = sorted.map((iv) => ({ start_index: iv.start_s, end_index: iv.end_s, type: iv.type, label: iv.label ?? null }));
      if (a.dry_run)
        return {
          summary: `Would replace ${before} interval(s) with ${body.length}.`,
          activity: null,
          intervals_before: before,
          intervals_after: body.length,
        };
      const raw = record(
        await ctx.intervals.put<unknown>('/activity/{id}/intervals', { params: { id: activityId }, query: { all: true }, body }),
      );
      return {
        summary: `Replaced ${before} interval(s) of ${activityId} with ${records(raw.icu_intervals).length}.`,
        activity: null,
        intervals_before: before,
        intervals_after: records(raw.icu_intervals).length,
      };
    }
  }
}

const writeActivity = defineTool({
  name: 'write_activity',
  title: 'Record activities: manual, done, linked, intervals',
  description:
    'create_manual (date, type, name, moving_time_s), mark_done (event_id: a manual activity matching the plan), link_event ' +
    '(activity_id to event_id), set_intervals (replaces all; seconds from the start). dry_run previews. RPE: update_activity.',
  scope: WRITE_SCOPE,
  toolset: 'analysis',
  annotations: { ...DESTRUCTIVE, idempotentHint: false },
  input: {
    athlete_id: athleteIdInput,
    action: z.enum(ACTIONS),
    activity_id: activityIdInput.optional(),
    event_id: z.number().int().positive().optional(),
    date: isoDate.optional(),
    time: localTimeInput.optional(),
    type: sportType.optional().describe('Sport, e.g. Run'),
    name: z.string().trim().min(1).max(200).optional(),
    moving_time_s: z.number().int().min(1).max(172_800).optional(),
    distance_m: z.number().min(0).max(1_000_000).optional(),
    load: z.number().int().min(0).max(2_000).optional(),
    rpe: z.number().int().min(1).max(10).optional(),
    description: z.string().max(10_000).optional(),
    intervals: z
      .array(
        z.object({
          start_s: z.number().int().min(0),
          end_s: z.number().int().min(1),
          label: z.string().max(80).optional(),
          type: z.enum(['WORK', 'RECOVERY']).default('WORK'),
        }),
      )
      .max(200)
      .optional(),
    dry_run: z.boolean().default(false),
  },
  conditions: requiredBy('action', [
    [['create_manual'], ['date', 'type', 'name', 'moving_time_s']],
    [['mark_done'], ['event_id']],
    [['link_event'], ['activity_id', 'event_id']],
    [['set_intervals'], ['activity_id', 'intervals']],
  ]),
  output: {
    action: z.string(),
    applied: z.boolean(),
    activity: z
      .object({
        id: z.string().nullable(),
        name: z.string().nullable(),
        date: z.string().nullable(),
        paired_event_id: z.number().nullable(),
      })
      .nullable(),
    intervals_before: z.number().nullable(),
    intervals_after: z.number().nullable(),
  },
  async run(args, ctx) {
    const r = await perform(ctx, args);
    const structured = {
      action: args.action,
      applied: !args.dry_run,
      activity: r.activity,
      intervals_before: r.intervals_before,
      intervals_after: r.intervals_after,
    };
    const head = args.dry_run ? `Dry run, nothing written. ${r.summary}` : r.summary;
    return {
      structured,
      text: sections(
        head,
        r.activity ? `Activity ${r.activity.id} ${inline(r.activity.name)} on ${r.activity.date ?? '—'}.` : '',
        r.activity ? QUOTED_NOTE : '',
      ),
    };
  },
});

export const activityWritebackTools: AnyToolDef[] = [writeActivity];
