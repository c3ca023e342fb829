/** Gear and its maintenance reminders, in km / hours / days for the model. */
import { z } from 'zod';
import { table } from '../format/table.js';
import { DASH, num } from '../format/units.js';
import { cleanText, inline, NAME_MAX } from '../format/untrusted.js';

type Raw = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const km = (m: unknown) => (num(m) === null ? null : Math.round((num(m)! / 1000) * 10) / 10);
const hours = (s: unknown) => (num(s) === null ? null : Math.round((num(s)! / 3600) * 10) / 10);

export const reminderSchema = z.object({
  id: z.number(),
  name: z.string().nullable(),
  every_km: z.number().nullable(),
  every_hours: z.number().nullable(),
  every_days: z.number().nullable(),
  every_activities: z.number().nullable(),
  percent_used: z.number().nullable(),
  last_reset: z.string().nullable(),
  snoozed_until: z.string().nullable(),
});

export const gearSchema = z.object({
  id: z.string(),
  type: z.string().nullable(),
  name: z.string().nullable(),
  distance_km: z.number().nullable(),
  time_hours: z.number().nullable(),
  activities: z.number().nullable(),
  purchased: z.string().nullable(),
  retired: z.string().nullable().describe('Date retired, null while in use'),
  notes: z.string().nullable(),
  reminders: z.array(reminderSchema),
});
export type GearOut = z.infer<typeof gearSchema>;

export function toGear(g: Raw): GearOut {
  const reminders = Array.isArray(g.reminders) ? (g.reminders as Raw[]) : [];
  return {
    id: String(g.id ?? ''),
    type: str(g.type),
    name: cleanText(str(g.name), NAME_MAX),
    distance_km: km(g.distance),
    time_hours: hours(g.time),
    activities: num(g.activities),
    purchased: str(g.purchased)?.slice(0, 10) ?? null,
    retired: str(g.retired)?.slice(0, 10) ?? null,
    notes: cleanText(str(g.notes), 500),
    reminders: reminders.map((r) => ({
      id: num(r.id) ?? -1,
      name: cleanText(str(r.name), NAME_MAX),
      every_km: km(r.distance),
      every_hours: hours(r.time),
      every_days: num(r.days),
      every_activities: num(r.activities),
      percent_used: num(r.percent_used),
      last_reset: str(r.last_reset)?.slice(0, 10) ?? null,
      snoozed_until: str(r.snoozed_until)?.slice(0, 10) ?? null,
    })),
  };
}

function reminderCell(g: GearOut): string {
  if (g.reminders.length === 0) return DASH;
  return g.reminders
    .map(
      (r) =>
        `#${r.id} ${inline(r.name, 40)} ${r.percent_used === null ? '?' : `${Math.round(r.percent_used)}%`} used${r.snoozed_until ? ` (snoozed to ${r.snoozed_until})` : ''}`,
    )
    .join('; ');
}

export function gearTable(items: GearOut[]): string {
  return table(
    ['id', 'type', 'name', 'distance', 'time', 'activities', 'status', 'reminders'],
    items.map((g) => [
      g.id,
      g.type ?? DASH,
      inline(g.name),
      g.distance_km === null ? DASH : `${g.distance_km} km`,
      g.time_hours === null ? DASH : `${g.time_hours} h`,
      g.activities === null ? DASH : String(g.activities),
      g.retired ? `retired ${g.retired}` : 'in use',
      reminderCell(g),
    ]),
  );
}
