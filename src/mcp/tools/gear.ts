import { z } from 'zod';
import { record, records } from '../records.js';
import { READ_SCOPE, WRITE_SCOPE } from '../context.js';
import { sections } from '../format/table.js';
import { inline, QUOTED_NOTE } from '../format/untrusted.js';
import { athleteIdInput, athleteOf, isoDate, todayLatest, addDays } from '../inputs.js';
import { defineTool, READ_ONLY, ToolInputError, UPDATE, type AnyToolDef } from '../tool.js';
import { gearSchema, gearTable, toGear } from './gear-view.js';
import { changeRequired } from '../schema-conditions.js';

type Raw = Record<string, unknown>;

const getGear = defineTool({
  name: 'get_gear',
  title: 'Gear and maintenance reminders',
  description:
    'Bikes, shoes and other gear with id, distance (km), time (h), activity count, retired status and maintenance reminders ' +
    '(how much of each service interval is used). To rename, retire, or add/reset/snooze a reminder: update_gear.',
  scope: READ_SCOPE,
  toolset: 'core',
  annotations: READ_ONLY,
  input: {
    athlete_id: athleteIdInput,
    include_retired: z.boolean().default(false),
  },
  output: { count: z.number(), retired_hidden: z.number(), gear: z.array(gearSchema) },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const raw = await ctx.intervals.get<Raw[]>('/athlete/{id}/gear', { params: { id } });
    const all = records(raw).map(toGear);
    const gear = args.include_retired ? all : all.filter((g) => !g.retired);
    const hidden = all.length - gear.length;
    return {
      structured: { count: gear.length, retired_hidden: hidden, gear },
      text:
        gear.length === 0
          ? `No gear${hidden ? ` in use (${hidden} retired; pass include_retired: true)` : ''}.`
          : sections(
              `Gear of ${id}: ${gear.length} item(s).`,
              gearTable(gear),
              hidden ? `${hidden} retired item(s) hidden; pass include_retired: true to list them.` : '',
              QUOTED_NOTE,
            ),
    };
  },
});

const reminderInput = z
  .object({
    reminder_id: z.number().int().positive().optional().describe('Existing reminder (from get_gear); omit to create one.'),
    name: z.string().trim().min(1).max(100).optional().describe('e.g. "Chain"'),
    // The every_* names say what they are: the service interval in that unit.
    every_km: z.number().positive().max(100_000).optional(),
    every_hours: z.number().positive().max(10_000).optional(),
    every_days: z.number().int().positive().max(3_650).optional(),
    every_activities: z.number().int().positive().max(10_000).optional(),
    reset: z.boolean().default(false).describe('Existing reminder: service done now (restarts the count).'),
    snooze_days: z.number().int().min(0).max(365).default(0).describe('Existing reminder.'),
  })
  .describe('Create a reminder (name + at least one every_* service interval) or change/reset/snooze one (reminder_id).');

function reminderBody(r: z.infer<typeof reminderInput>): Raw {
  const body: Raw = {
    name: r.name,
    distance: r.every_km === undefined ? undefined : r.every_km * 1000,
    time: r.every_hours === undefined ? undefined : r.every_hours * 3600,
    days: r.every_days,
    activities: r.every_activities,
  };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return body;
}

const updateGear = defineTool({
  name: 'update_gear',
  title: 'Change gear or its reminders',
  description:
    'Changes ONE piece of gear (id from get_gear): rename, notes, purchase date, retire or un-retire; and/or create a ' +
    'maintenance reminder, or change, reset ("serviced today") or snooze one. Returns the gear as it now stands. Assigning ' +
    'gear to an activity: update_activity.',
  scope: WRITE_SCOPE,
  toolset: 'planning',
  // Not idempotent: the same call with a new reminder adds a second reminder.
  annotations: { ...UPDATE, destructiveHint: true, idempotentHint: false },
  input: {
    athlete_id: athleteIdInput,
    gear_id: z.string().trim().min(1).max(40).describe('From get_gear, e.g. "71459" or "b1234".'),
    name: z.string().trim().min(1).max(100).optional(),
    notes: z.string().max(2_000).optional(),
    purchased: isoDate.optional(),
    retired: z.boolean().optional().describe('true: retired as of today; false: back in use.'),
    reminder: reminderInput.optional(),
  },
  conditions: changeRequired(['athlete_id', 'gear_id'], 'name'),
  output: { gear: gearSchema, changed: z.array(z.string()) },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const params = { id, gearId: args.gear_id };
    const fields: Raw = {
      name: args.name,
      notes: args.notes,
      purchased: args.purchased === undefined ? undefined : `${args.purchased}T00:00:00`,
      // Un-retiring needs an explicit null: an omitted field is left as it is.
      retired: args.retired === undefined ? undefined : args.retired ? addDays(todayLatest(), -1) : null,
    };
    for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
    const r = args.reminder;
    if (Object.keys(fields).length === 0 && !r)
      throw new ToolInputError('Nothing to change: pass name, notes, purchased, retired or reminder.');
    const changed: string[] = Object.keys(fields);
    let latest: Raw | undefined;
    if (changed.length > 0) latest = await ctx.intervals.put<Raw>('/athlete/{id}/gear/{gearId}', { params, body: fields });
    if (r && r.reminder_id === undefined) {
      const body = reminderBody(r);
      if (!body.name || Object.keys(body).length < 2)
        throw new ToolInputError('A new reminder needs a name and at least one of every_km, every_hours, every_days, every_activities.');
      latest = await ctx.intervals.post<Raw>('/athlete/{id}/gear/{gearId}/reminder', { params, body });
      changed.push('reminder created');
    } else if (r && r.reminder_id !== undefined) {
      latest = await ctx.intervals.put<Raw>('/athlete/{id}/gear/{gearId}/reminder/{reminderId}', {
        params: { ...params, reminderId: r.reminder_id },
        // Both are required by the API, even when only fields change.
        query: { reset: r.reset, snoozeDays: r.snooze_days },
        body: reminderBody(r),
      });
      changed.push(`reminder ${r.reminder_id}${r.reset ? ' reset' : ''}${r.snooze_days ? ` snoozed ${r.snooze_days} d` : ''}`);
    }
    const gear = toGear(record(latest));
    return {
      structured: { gear, changed },
      text: sections(`Updated gear ${gear.id} ${inline(gear.name)}: ${changed.join(', ')}.`, gearTable([gear]), QUOTED_NOTE),
    };
  },
});

export const gearTools: AnyToolDef[] = [getGear, updateGear];
