/**
 * The event fields a model may set, with units in the names, and their mapping onto the
 * Intervals.icu `EventEx` body. Only fields the caller gave are sent: an omitted field must not
 * turn into an explicit `null` that wipes what is stored.
 */
import { z } from 'zod';
import { eventCategory, RACE_CATEGORIES, sportType, TRAINING_AVAILABILITY, WORKOUT_TARGETS } from './enums.js';
import { addDays, isoDate } from '../inputs.js';
import { localTimeInput, toStartDateLocal } from './local-dates.js';

/** Short: text with errors is refused before saving with each bad line and its fix (src/mcp/workout/check.ts). */
export const WORKOUT_TEXT_HELP =
  'WORKOUT: Intervals.icu workout text, one step per line, duration first: "- 10m 60%", "- 20m ramp 50-75%", "- 3km Z2 Pace", ' +
  '"- 10m 70-80% HR"; a "4x" line repeats the block below it; m = minutes, mtr/km = distance. Checked before saving; guide: ' +
  'resource intervals://docs/workout-syntax. Else free text.';

/**
 * The other event writes' `description`: the syntax is spelled out once, in create_event, which is in
 * the core toolset and so in every tools/list that carries them (src/mcp/toolsets.ts).
 */
export const WORKOUT_TEXT_REF = 'WORKOUT: workout text as in create_event (resource intervals://docs/workout-syntax). Else free text.';
/** The same pointer for library workouts, which are always workout text. */
export const LIBRARY_TEXT_REF = 'Workout text as in create_event (resource intervals://docs/workout-syntax).';

/** Field shapes shared by create, update and bulk items (every field optional here). */
export const eventFieldShape = {
  // The enum lists the categories; the resource explains them.
  category: eventCategory.optional().describe('See resource intervals://docs/event-categories.'),
  // Dates are local YYYY-MM-DD (server instructions; the pattern shows the form).
  date: isoDate.optional(),
  time: localTimeInput.optional(),
  last_date: isoDate.optional().describe('Last day (inclusive) of a multi-day item.'),
  name: z.string().trim().min(1).max(200).optional(),
  type: sportType.optional(),
  description: z.string().max(20_000).optional().describe(WORKOUT_TEXT_HELP),
  moving_time_s: z.number().int().min(0).max(172_800).optional().describe('Planned; default: from the workout text.'),
  distance_m: z.number().min(0).max(1_000_000).optional(),
  load: z.number().int().min(0).max(2_000).optional().describe('Planned load (TSS-like); default: from the workout text.'),
  indoor: z.boolean().optional(),
  color: z.string().max(30).optional().describe('Colour name or #rrggbb'),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  external_id: z.string().trim().min(1).max(200).optional().describe('Your own id; bulk_create_events upserts on it.'),
  // The enums list the values; the descriptions say when they apply.
  training_availability: z.enum(TRAINING_AVAILABILITY).optional().describe('HOLIDAY/SICK/INJURED only.'),
  target: z.enum(WORKOUT_TARGETS).optional().describe('WORKOUT: the target a device follows.'),
  // Goals of a TARGET item; the names say so.
  load_target: z.number().int().min(0).max(10_000).optional(),
  time_target_s: z.number().int().min(0).max(2_000_000).optional(),
  distance_target_m: z.number().min(0).max(10_000_000).optional(),
} as const;

/**
 * `type` as creating takes it: named in the schema's `required` list, because WORKOUT (the default
 * category) and races need a sport and a model fills required fields first; null says "no sport"
 * for the items that have none.
 */
export const createTypeInput = sportType.nullable().describe('Sport, e.g. Ride, Run, Swim; null for a note, holiday or target');

/** Every field a create or update may carry, for the cross-field check. */
export const eventFieldsObject = z.object({ ...eventFieldShape, type: createTypeInput.optional() });
export type EventFields = z.infer<typeof eventFieldsObject>;

/** Cross-field rules, phrased as what to do. */
export function checkEventFields(f: EventFields, ctx: z.RefinementCtx, creating: boolean): void {
  const category = f.category ?? (creating ? 'WORKOUT' : undefined);
  if (creating && !f.date) ctx.addIssue({ code: 'custom', path: ['date'], message: 'date is required (YYYY-MM-DD, local)' });
  if (creating && !f.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'name is required' });
  if (creating && category && (category === 'WORKOUT' || RACE_CATEGORIES.has(category)) && !f.type) {
    ctx.addIssue({ code: 'custom', path: ['type'], message: `type (the sport, e.g. Ride or Run) is required for ${category}` });
  }
  if (f.time && !f.date) ctx.addIssue({ code: 'custom', path: ['time'], message: 'time needs date as well' });
  if (f.last_date && f.date && f.last_date < f.date) {
    ctx.addIssue({ code: 'custom', path: ['last_date'], message: 'last_date must be on or after date' });
  }
  if (f.last_date && !f.date && creating) ctx.addIssue({ code: 'custom', path: ['last_date'], message: 'last_date needs date' });
}

/** Our field names → the Intervals.icu body (EventEx). Undefined stays out. */
export function toEventBody(f: EventFields): Record<string, unknown> {
  const body: Record<string, unknown> = {
    category: f.category,
    start_date_local: f.date ? toStartDateLocal(f.date, f.time) : undefined,
    // Intervals.icu end dates are exclusive (a one-day item ends at the next midnight).
    end_date_local: f.last_date ? `${addDays(f.last_date, 1)}T00:00:00` : undefined,
    name: f.name,
    // null ("no sport") is left out like an omitted field.
    type: f.type ?? undefined,
    description: f.description,
    moving_time: f.moving_time_s,
    distance: f.distance_m,
    icu_training_load: f.load,
    indoor: f.indoor,
    color: f.color,
    tags: f.tags,
    external_id: f.external_id,
    training_availability: f.training_availability,
    target: f.target,
    load_target: f.load_target,
    time_target: f.time_target_s,
    distance_target: f.distance_target_m,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body;
}
