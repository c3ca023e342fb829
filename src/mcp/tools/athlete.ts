import { z } from 'zod';
import { realAthleteId } from '../athlete-id.js';
import { READ_SCOPE } from '../context.js';
import { renderSportSettings, sportSettingsOutput, toSportSettings } from '../format/sport.js';
import { sections } from '../format/table.js';
import { cleanText, inline } from '../format/untrusted.js';
import { fixed } from '../format/units.js';
import { athleteIdInput, athleteOf } from '../inputs.js';
import { defineTool, READ_ONLY, type AnyToolDef } from '../tool.js';
import { fitnessTools } from './fitness.js';
import { trainingSummaryTools } from './training-summary.js';
import { records } from '../records.js';
import { customItemsOf } from '../custom/custom-items.js';

type Raw = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const getAthlete = defineTool({
  name: 'get_athlete',
  title: 'Athlete profile, thresholds and zones',
  description:
    "The athlete's profile (name, time zone, weight, resting HR) and per-sport settings: FTP, LTHR, max HR, threshold pace and power/HR/pace zones. " +
    'Use to interpret zones and % of FTP in other tools, or before planning workouts. Fitness/form: get_fitness.',
  scope: READ_SCOPE,
  toolset: 'core',
  annotations: READ_ONLY,
  input: { athlete_id: athleteIdInput },
  output: {
    id: z.string(),
    name: z.string().nullable(),
    timezone: z.string().nullable(),
    sex: z.string().nullable(),
    weight_kg: z.number().nullable(),
    resting_hr_bpm: z.number().nullable(),
    measurement_preference: z.string().nullable(),
    sport_settings: z.array(sportSettingsOutput),
    custom_items: z.array(
      z.object({ id: z.number().nullable(), type: z.string().nullable(), name: z.string().nullable(), code: z.string().nullable() }),
    ),
  },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const raw = await ctx.intervals.get<Raw>('/athlete/{id}', { params: { id } });
    const settings = Array.isArray(raw.sportSettings) ? (raw.sportSettings as Raw[]).map(toSportSettings) : [];
    const structured = {
      id: str(raw.id) ?? id,
      name: cleanText(raw.name, 120),
      timezone: str(raw.timezone),
      sex: str(raw.sex),
      weight_kg: num(raw.icu_weight) ?? num(raw.weight),
      resting_hr_bpm: num(raw.icu_resting_hr),
      measurement_preference: str(raw.measurement_preference),
      sport_settings: settings,
      custom_items: customItemsOf(raw.custom_items),
    };
    const head = [
      `Athlete ${structured.id} ${inline(structured.name)}`,
      `time zone ${structured.timezone ?? 'unknown'}; weight ${fixed(structured.weight_kg, 1, ' kg')}; resting HR ${fixed(structured.resting_hr_bpm, 0, ' bpm')}`,
    ].join('\n');
    const body = settings.length > 0 ? settings.map(renderSportSettings).join('\n') : 'No sport settings configured.';
    const fields = structured.custom_items.filter((c) => c.code);
    const custom = fields.length
      ? `Custom fields (code: name, type): ${fields.map((c) => `${c.code}: ${inline(c.name)} ${c.type}`).join('; ')}`
      : '';
    return { structured, text: sections(head, `Sport settings:\n${body}`, custom) };
  },
});

const listAthletes = defineTool({
  name: 'list_athletes',
  title: 'Athletes you coach or follow',
  description:
    'The athletes this account can see, with ids: yourself first, then athletes who share their data with you (coaching or ' +
    'following). Use when the person is a coach or mentions another athlete; pass the id as athlete_id to other tools.',
  scope: READ_SCOPE,
  toolset: 'coach',
  annotations: READ_ONLY,
  input: {},
  output: {
    athletes: z.array(
      z.object({
        id: z.string(),
        name: z.string().nullable(),
        timezone: z.string().nullable(),
        is_self: z.boolean(),
        tags: z.array(z.string()).nullable(),
      }),
    ),
  },
  async run(_args, ctx) {
    const [raw, self] = await Promise.all([ctx.intervals.get<Raw[] | null>('/athletes'), realAthleteId(ctx, ctx.athleteId)]);
    // The list carries every athlete setting, including their API key field: pick, never pass through.
    const athletes = records(raw).map((a) => ({
      id: String(a.id),
      name: cleanText(a.name, 120),
      timezone: str(a.timezone),
      is_self: String(a.id) === self,
      tags: Array.isArray(a.icu_tags) ? a.icu_tags.map((t) => cleanText(t, 40) ?? '').filter(Boolean) : null,
    }));
    const rows = athletes.map(
      (a) =>
        `- ${a.id} ${inline(a.name)}${a.is_self ? ' (you)' : ''}${a.timezone ? `, ${a.timezone}` : ''}${a.tags?.length ? `, tags ${a.tags.map((t) => inline(t)).join(' ')}` : ''}`,
    );
    return {
      structured: { athletes },
      text: athletes.length
        ? `Athletes visible to this account (${athletes.length}):\n${rows.join('\n')}\nPass an id as athlete_id to other tools.`
        : 'No athletes visible.',
    };
  },
});

export const athleteTools: AnyToolDef[] = [getAthlete, ...fitnessTools, ...trainingSummaryTools, listAthletes];
