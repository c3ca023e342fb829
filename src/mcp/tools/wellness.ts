import { z } from 'zod';
import { READ_SCOPE, WRITE_SCOPE } from '../context.js';
import { sections, table } from '../format/table.js';
import { cleanText, fenced, inline } from '../format/untrusted.js';
import { duration, fixed } from '../format/units.js';
import { toWellnessDay, WELLNESS_FIELDS, wellnessDayOutput, type WellnessDay, type WellnessField } from '../format/wellness.js';
import { athleteIdInput, athleteOf, isoDate, resolveRange } from '../inputs.js';
import { defineTool, READ_ONLY, ToolInputError, UPDATE, type AnyToolDef } from '../tool.js';
import { records } from '../records.js';
import { checkCustomCodes, CODE_PATTERN } from '../custom/custom-items.js';
import { changeRequired } from '../schema-conditions.js';

type Raw = Record<string, unknown>;

function cell(day: WellnessDay, key: string): string {
  const v = (day as Record<string, unknown>)[key];
  if (v === null || v === undefined) return '—';
  if (key === 'sleep_s') return duration(v);
  if (typeof v === 'number') return fixed(v, Number.isInteger(v) ? 0 : 1);
  return String(v);
}

/** A table with only the columns that hold data in this range: wellness has 40 fields, most empty. */
export function renderWellness(days: readonly WellnessDay[]): string {
  const base = ['ctl', 'atl', 'tsb', 'ramp_rate'];
  const used = WELLNESS_FIELDS.filter(
    (f) => f.key !== 'comments' && f.key !== 'locked' && days.some((d) => (d as Record<string, unknown>)[f.key] !== null),
  );
  const headers = [
    'date',
    'fitness',
    'fatigue',
    'form',
    'ramp',
    ...used.map((f) => (f.key === 'sleep_s' ? 'sleep h:mm:ss' : `${f.label}${f.unit ? ` ${f.unit}` : ''}`)),
  ];
  const rows = days.map((d) => [d.date, ...base.map((k) => cell(d, k)), ...used.map((f) => cell(d, f.key))]);
  const comments = days.filter((d) => d.comments).map((d) => fenced(`Comment ${d.date}`, d.comments, 500));
  return sections(table(headers, rows), ...comments);
}

const getWellness = defineTool({
  name: 'get_wellness',
  title: 'Daily wellness (sleep, HRV, resting HR, weight, subjective scores)',
  description:
    'Day-by-day wellness in a date range: fitness/fatigue/form, weight, resting HR, HRV, sleep, SpO2, ' +
    'soreness/fatigue/stress/mood/motivation (1 best – 4 worst), nutrition and comments; only columns with data. Use for ' +
    'recovery and readiness questions. Fitness curve with projection: get_fitness.',
  scope: READ_SCOPE,
  toolset: 'core',
  annotations: READ_ONLY,
  input: {
    athlete_id: athleteIdInput,
    oldest: isoDate.optional().describe('Default: 14 days before newest.'),
    newest: isoDate.optional().describe('Inclusive; default today.'),
  },
  output: { athlete_id: z.string(), oldest: z.string(), newest: z.string(), days: z.array(wellnessDayOutput) },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const { oldest, newest } = resolveRange(args, { defaultDays: 14, maxDays: 120 });
    const raw = await ctx.intervals.get<Raw[] | null>('/athlete/{id}/wellness', { params: { id }, query: { oldest, newest } });
    const days = records(raw)
      .map(toWellnessDay)
      .sort((a, b) => a.date.localeCompare(b.date));
    const structured = { athlete_id: id, oldest, newest, days };
    if (days.length === 0) return { structured, text: `No wellness records for ${id} in ${oldest}..${newest}.` };
    return {
      structured,
      text: sections(
        `Wellness for ${id}, ${oldest}..${newest} (${days.length} days; form = fitness − fatigue; scales 1 best – 4 worst):`,
        renderWellness(days),
      ),
    };
  },
});

// No per-field descriptions: the names carry the units, the bounds the scales (the 1–4 scales are explained in the tool's description).
const writable = Object.fromEntries(WELLNESS_FIELDS.map((f) => [f.key, f.input.optional()])) as Record<
  string,
  z.ZodOptional<z.ZodType<number | string | boolean | null>>
>;

/**
 * Intervals.icu ignores an explicit null in a wellness PUT ("only fields provided are changed", and
 * null counts as not provided), so null cannot clear a value there. It clears a numeric field sent
 * as -1 (as on PUT /activity/{id}) and a text field sent empty; a boolean has no "unset", so false.
 * Our input keeps null as "clear" and this picks the value that does it.
 */
export function clearValue(f: WellnessField): number | string | boolean {
  if (f.key === 'comments') return '';
  if (f.key === 'locked') return false;
  return -1;
}

const updateWellness = defineTool({
  name: 'update_wellness',
  title: 'Record wellness for a day',
  description:
    'Set wellness values for one date: weight, resting HR, HRV, sleep (seconds), SpO2, blood pressure, nutrition, comments, locked, ' +
    'and the subjective 1–4 scores (1 best, 4 worst). ' +
    'Only the fields given change; null clears one (sent as the value Intervals.icu clears with: -1, or empty text). Use when the person reports how they slept/feel or their weight. Not for ' +
    'activities (update_activity) or planned sessions (events).',
  scope: WRITE_SCOPE,
  toolset: 'core',
  annotations: UPDATE,
  input: {
    athlete_id: athleteIdInput,
    date: isoDate,
    ...writable,
    custom: z
      .record(z.string().regex(CODE_PATTERN), z.union([z.number(), z.string().max(500)]))
      .optional()
      .describe('Custom wellness fields by code (get_athlete).'),
  },
  conditions: changeRequired(['athlete_id', 'date'], 'weight_kg'),
  output: { athlete_id: z.string(), updated_fields: z.array(z.string()), day: wellnessDayOutput },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const body: Raw = {};
    const given: string[] = [];
    for (const f of WELLNESS_FIELDS) {
      const v = (args as Record<string, unknown>)[f.key];
      if (v !== undefined) {
        body[f.upstream] = v === null ? clearValue(f) : v;
        given.push(f.key);
      }
    }
    const custom = Object.entries(args.custom ?? {});
    if (custom.length) {
      await checkCustomCodes(
        ctx,
        id,
        'INPUT_FIELD',
        custom.map(([code]) => code),
      );
      for (const [code, v] of custom) {
        body[code] = v;
        given.push(code);
      }
    }
    if (given.length === 0)
      throw new ToolInputError(
        `Nothing to change: give at least one field, e.g. weight_kg, resting_hr_bpm, hrv_rmssd_ms, sleep_s, soreness.`,
      );
    // PUT on the dated path (POST there is the CSV upload); the record id is the date itself.
    const raw = await ctx.intervals.put<Raw>('/athlete/{id}/wellness/{date}', {
      params: { id, date: args.date },
      body: { id: args.date, ...body },
    });
    const day = toWellnessDay(raw ?? { id: args.date });
    const customNow = custom
      .map(([code]) => {
        const v = raw?.[code];
        return `${code} ${typeof v === 'number' ? v : inline(cleanText(v, 60))}`;
      })
      .join(', ');
    return {
      structured: { athlete_id: id, updated_fields: given, day },
      text: sections(
        `Updated ${given.join(', ')} for ${id} on ${args.date}.`,
        renderWellness([day]),
        customNow ? `Custom fields now: ${customNow}` : '',
      ),
    };
  },
});

export const wellnessTools: AnyToolDef[] = [getWellness, updateWellness];
