import { z } from 'zod';
import { record, records } from '../records.js';
import { WRITE_SCOPE, type ToolContext } from '../context.js';
import {
  candidateOf,
  planDeletes,
  skip,
  SKIP_HINTS,
  type DeleteCandidate,
  type SkipReason,
  type Skipped,
} from '../calendar/delete-policy.js';
import { eventCategory } from '../calendar/enums.js';
import { athleteToday } from '../athlete-today.js';
import { consentFor } from '../confirmation.js';
import { weekday } from '../calendar/local-dates.js';
import { sections } from '../format/table.js';
import { inline, QUOTED_NOTE } from '../format/untrusted.js';
import { isIntervalsError } from '../../intervals/errors.js';
import { athleteIdInput, athleteOf, isoDate, resolveRange } from '../inputs.js';
import { defineTool, DESTRUCTIVE, ToolInputError, type AnyToolDef } from '../tool.js';
import { eitherOr } from '../schema-conditions.js';

type Raw = Record<string, unknown>;

/** A range delete looks at most this many events; more means the range is too wide to review. */
const MAX_RANGE_EVENTS = 200;

const candidateSchema = z.object({
  id: z.number(),
  date: z.string().nullable(),
  name: z.string().nullable(),
  category: z.string().nullable(),
});
const output = {
  today: z.string().describe("The athlete's today (future-only rule)"),
  dry_run: z.boolean(),
  deleted: z.array(candidateSchema),
  skipped: z.array(candidateSchema.extend({ reason: z.enum(['not_future', 'no_date', 'not_found', 'dry_run', 'declined']) })),
  // The text explains both; the names say enough in the schema every tools/list carries.
  hints: z.record(z.string(), z.string()),
  upstream_deleted_count: z.number().nullable(),
};

/** Lines of each list shown in the text; the structured result always has all of them. */
const MAX_LINES = 40;

const confirmInput = z.boolean().default(false).describe('Needed for items dated today or earlier; ask the athlete first.');
const dryRunInput = z.boolean().default(false).describe('Report what would be deleted, delete nothing.');

/** Fetch one event for the date check; a 404 becomes a "not_found" skip rather than an error. */
async function lookup(ctx: ToolContext, athleteId: string, eventId: number): Promise<DeleteCandidate | Skipped> {
  try {
    return candidateOf({
      id: eventId,
      ...record(await ctx.intervals.get<unknown>('/athlete/{id}/events/{eventId}', { params: { id: athleteId, eventId } })),
    });
  } catch (err) {
    if (isIntervalsError(err) && err.code === 'not_found')
      return skip({ id: eventId, date: null, name: null, category: null }, 'not_found');
    throw err;
  }
}

const line = (c: DeleteCandidate) => `#${c.id} ${c.date ? `${c.date} ${weekday(c.date)}` : '—'} ${c.category ?? '—'} ${inline(c.name)}`;
const list = <T extends DeleteCandidate>(items: T[], fmt: (c: T) => string) =>
  [
    ...items.slice(0, MAX_LINES).map(fmt),
    ...(items.length > MAX_LINES
      ? [`… and ${items.length - MAX_LINES} more (all are in the structured result; format "json" shows them)`]
      : []),
  ].join('\n');

/** The question the person sees: everything that would go, with the items that need their yes marked. */
function question(athleteId: string, today: string, found: DeleteCandidate[]): string {
  const marked = (c: DeleteCandidate) => `${line(c)}${c.date !== null && c.date > today ? '' : ' (today or earlier)'}`;
  return `Delete ${found.length} calendar item(s) of athlete ${athleteId} from Intervals.icu? This cannot be undone.\n${list(found, marked)}`;
}

function render(result: {
  today: string;
  deleted: DeleteCandidate[];
  skipped: Skipped[];
  hints: Record<string, string>;
  upstream_deleted_count: number | null;
}): string {
  const list = <T extends DeleteCandidate>(items: T[], fmt: (c: T) => string) =>
    [
      ...items.slice(0, MAX_LINES).map(fmt),
      ...(items.length > MAX_LINES
        ? [`… and ${items.length - MAX_LINES} more (all are in the structured result; format "json" shows them)`]
        : []),
    ].join('\n');
  const deleted = result.deleted.length ? `Deleted ${result.deleted.length}:\n${list(result.deleted, line)}` : 'Deleted nothing.';
  const skipped = result.skipped.length
    ? `Skipped ${result.skipped.length}:\n${list(result.skipped, (s) => `${line(s)} — ${s.reason}`)}`
    : '';
  const why = Object.entries(result.hints)
    .map(([reason, hint]) => `${reason}: ${hint}`)
    .join('\n');
  const count = result.upstream_deleted_count;
  const mismatch =
    count !== null && count !== result.deleted.length
      ? `Intervals.icu reports ${count} deleted, not ${result.deleted.length}: some may have been removed meanwhile; check with get_events.`
      : '';
  return sections(
    `${deleted} (athlete's today: ${result.today})`,
    mismatch,
    skipped,
    why,
    result.deleted.length + result.skipped.length ? QUOTED_NOTE : '',
  );
}

interface DeleteRun {
  athleteId: string;
  candidates: (DeleteCandidate | Skipped)[];
  confirm: boolean;
  dryRun: boolean;
  /** Deletes the allowed events; resolves with Intervals.icu's own count when it reports one. */
  remove: (allowed: DeleteCandidate[]) => Promise<number | null>;
}

async function runDeletes(ctx: ToolContext, r: DeleteRun) {
  const today = await athleteToday(ctx, r.athleteId);
  const missing = r.candidates.filter((c): c is Skipped => 'reason' in c);
  const found = r.candidates.filter((c) => !('reason' in c));
  // Only a delete that reaches back to today or earlier needs a yes (delete-policy.ts); a dry run asks no one.
  const needsYes = !r.dryRun && planDeletes(found, today, false).skipped.length > 0;
  const consent = needsYes
    ? consentFor(ctx, r.confirm, () => question(r.athleteId, today, found), `delete events ${found.map((c) => c.id).join(',')}`)
    : 'unconfirmed';
  const plan = planDeletes(consent === 'declined' ? [] : found, today, consent === 'confirmed');
  const skipped = [...missing, ...plan.skipped];
  let upstreamCount: number | null = null;
  if (consent === 'declined') {
    skipped.push(...found.map((c) => skip(c, 'declined')));
  } else if (r.dryRun) {
    skipped.push(...plan.allowed.map((c) => skip(c, 'dry_run')));
  } else if (plan.allowed.length > 0) {
    upstreamCount = await r.remove(plan.allowed);
  }
  const reasons = new Set<SkipReason>(skipped.map((x) => x.reason));
  const hints = Object.fromEntries([...reasons].map((reason) => [reason, SKIP_HINTS[reason]]));
  const structured = {
    today,
    dry_run: r.dryRun,
    deleted: r.dryRun ? [] : plan.allowed,
    skipped,
    hints,
    upstream_deleted_count: upstreamCount,
  };
  return { structured, text: render(structured) };
}

const deleteEvent = defineTool({
  name: 'delete_event',
  title: 'Delete one calendar event',
  description:
    "Deletes ONE calendar event by id. Only events after the athlete's today are deleted unless confirm: true (ask the " +
    'athlete first). Returns what was deleted or skipped and why. Several events or a range: delete_events. Completed ' +
    'activities are not calendar events and are never touched.',
  scope: WRITE_SCOPE,
  toolset: 'core',
  annotations: DESTRUCTIVE,
  input: {
    athlete_id: athleteIdInput,
    event_id: z.number().int().positive().describe('From get_events.'),
    confirm: confirmInput,
    dry_run: dryRunInput,
  },
  output,
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    return runDeletes(ctx, {
      athleteId: id,
      candidates: [await lookup(ctx, id, args.event_id)],
      confirm: args.confirm,
      dryRun: args.dry_run,
      remove: async ([only]) => {
        if (only) await ctx.intervals.delete('/athlete/{id}/events/{eventId}', { params: { id, eventId: only.id } });
        return null;
      },
    });
  },
});

const deleteEvents = defineTool({
  name: 'delete_events',
  title: 'Delete several calendar events',
  description:
    'Deletes calendar events given by `event_ids` or by a date range (`oldest`..`newest`, optional `categories`). Only events ' +
    "after the athlete's today are deleted unless confirm: true. Returns every deleted and skipped event with the reason. " +
    'dry_run: true previews a range. One event: delete_event.',
  scope: WRITE_SCOPE,
  toolset: 'planning',
  annotations: DESTRUCTIVE,
  input: {
    athlete_id: athleteIdInput,
    event_ids: z.array(z.number().int().positive()).min(1).max(50).optional().describe('From get_events.'),
    oldest: isoDate.optional().describe('Range start (instead of event_ids).'),
    newest: isoDate.optional().describe('Range end, inclusive.'),
    categories: z.array(eventCategory).min(1).max(14).optional().describe('With a range: only these.'),
    confirm: confirmInput,
    dry_run: dryRunInput,
  },
  conditions: eitherOr('event_ids', ['oldest', 'newest'], { exclusive: true }),
  output,
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const byRange = args.oldest !== undefined || args.newest !== undefined;
    if (args.event_ids && byRange) throw new ToolInputError('Pass either event_ids or oldest/newest, not both.');
    if (!args.event_ids && !(args.oldest && args.newest))
      throw new ToolInputError('Pass event_ids, or both oldest and newest (YYYY-MM-DD).');
    let candidates: (DeleteCandidate | Skipped)[];
    if (args.event_ids) {
      const unique = [...new Set(args.event_ids)];
      candidates = await Promise.all(unique.map((eventId) => lookup(ctx, id, eventId)));
    } else {
      // Listed first, then deleted by id: the range DELETE endpoint would take past items too,
      // and would not tell us which ones it removed.
      const range = resolveRange({ oldest: args.oldest, newest: args.newest }, { defaultDays: 0, maxDays: 366 });
      const listed = await ctx.intervals.get<Raw[]>('/athlete/{id}/events', {
        params: { id },
        query: { oldest: range.oldest, newest: range.newest, category: args.categories, limit: MAX_RANGE_EVENTS + 1 },
      });
      const events = records(listed);
      if (events.length > MAX_RANGE_EVENTS) {
        throw new ToolInputError(
          `More than ${MAX_RANGE_EVENTS} events in ${range.oldest}..${range.newest}; use a shorter range or categories.`,
        );
      }
      candidates = events.map(candidateOf);
    }
    return runDeletes(ctx, {
      athleteId: id,
      candidates,
      confirm: args.confirm,
      dryRun: args.dry_run,
      remove: async (allowed) => {
        const answer = await ctx.intervals.put<{ eventsDeleted?: unknown } | null>('/athlete/{id}/events/bulk-delete', {
          params: { id },
          body: allowed.map((c) => ({ id: c.id })),
        });
        return typeof answer?.eventsDeleted === 'number' ? answer.eventsDeleted : null;
      },
    });
  },
});

export const eventDeleteTools: AnyToolDef[] = [deleteEvent, deleteEvents];
