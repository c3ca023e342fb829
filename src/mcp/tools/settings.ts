import { z } from 'zod';
import { record, records } from '../records.js';
import { READ_SCOPE, WRITE_SCOPE } from '../context.js';
import { renderSportSettings, sportSettingsOutput, toSportSettings } from '../format/sport.js';
import { sections } from '../format/table.js';
import { athleteIdInput, athleteOf } from '../inputs.js';
import { defineTool, READ_ONLY, ToolInputError, UPDATE, type AnyToolDef } from '../tool.js';
import { parsePace, PACE_FORMAT_HELP } from './pace-input.js';
import { changeRequired } from '../schema-conditions.js';

type Raw = Record<string, unknown>;

const sportInput = z
  .string()
  .trim()
  .regex(/^([A-Za-z]{2,40}|\d{1,12})$/, 'a sport type such as Ride, Run or Swim, or a settings id')
  .describe('A sport (Ride, Run, …; any of the group) or a settings id.');

const getSportSettings = defineTool({
  name: 'get_sport_settings',
  title: 'Thresholds and zones per sport',
  description:
    'FTP, indoor FTP, W′, LTHR, max HR, threshold pace and the power/HR/pace zones for each sport group (or one sport). Use ' +
    'before writing workouts with % or zone targets, or to check zones after a test. To change them: update_sport_settings.',
  scope: READ_SCOPE,
  toolset: 'planning',
  annotations: READ_ONLY,
  input: { athlete_id: athleteIdInput, sport: sportInput.optional() },
  output: { settings: z.array(sportSettingsOutput) },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const raw = args.sport
      ? [await ctx.intervals.get<Raw>('/athlete/{id}/sport-settings/{sportId}', { params: { id, sportId: args.sport } })]
      : await ctx.intervals.get<Raw[]>('/athlete/{id}/sport-settings', { params: { id } });
    const settings = records(raw).map(toSportSettings);
    return {
      structured: { settings },
      text: settings.length
        ? sections(`Sport settings of ${id}:`, settings.map(renderSportSettings).join('\n'))
        : 'No sport settings configured.',
    };
  },
});

const ascending = (label: string) =>
  z
    .array(z.number().positive().max(1_000))
    .min(1)
    .max(12)
    .refine((a) => a.every((v, i) => i === 0 || v > a[i - 1]!), `${label} must be ascending upper bounds`);

const updateSportSettings = defineTool({
  name: 'update_sport_settings',
  title: 'Change thresholds or zones for a sport',
  description:
    'Sets FTP, indoor FTP, W′, max power, LTHR, max HR, threshold pace and/or zone boundaries for ONE sport group (e.g. after ' +
    'an FTP test). Only the fields given change. recalc_hr_zones: derive HR zones from the new LTHR/max HR. ' +
    'apply_to_past_activities: recompute zones and load of past activities of that sport (slow, in the background).',
  scope: WRITE_SCOPE,
  toolset: 'planning',
  annotations: { ...UPDATE, destructiveHint: true },
  input: {
    athlete_id: athleteIdInput,
    sport: sportInput,
    ftp_w: z.number().int().min(30).max(700).optional(),
    indoor_ftp_w: z.number().int().min(30).max(700).optional(),
    w_prime_j: z.number().int().min(1_000).max(60_000).optional(),
    p_max_w: z.number().int().min(100).max(3_000).optional(),
    lthr_bpm: z.number().int().min(80).max(230).optional(),
    max_hr_bpm: z.number().int().min(90).max(240).optional(),
    threshold_pace: z.string().trim().max(20).optional().describe(PACE_FORMAT_HELP),
    power_zones_pct_ftp: ascending('power zones').optional().describe('Upper bounds, e.g. [55,75,90,105,120,150,999]'),
    hr_zones_bpm: ascending('HR zones').optional().describe('Upper bounds, e.g. [140,154,163,171,176,181,190]'),
    pace_zones_pct_threshold: ascending('pace zones').optional().describe('Upper bounds'),
    recalc_hr_zones: z.boolean().default(false),
    apply_to_past_activities: z.boolean().default(false),
  },
  conditions: changeRequired(['athlete_id', 'sport', 'apply_to_past_activities'], 'ftp_w'),
  output: { settings: sportSettingsOutput, changed: z.array(z.string()), applied_to_past_activities: z.boolean() },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const body: Raw = {
      ftp: args.ftp_w,
      indoor_ftp: args.indoor_ftp_w,
      w_prime: args.w_prime_j,
      p_max: args.p_max_w,
      lthr: args.lthr_bpm,
      max_hr: args.max_hr_bpm,
      threshold_pace: args.threshold_pace === undefined ? undefined : parsePace(args.threshold_pace),
      power_zones: args.power_zones_pct_ftp,
      hr_zones: args.hr_zones_bpm,
      pace_zones: args.pace_zones_pct_threshold,
    };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    if (Object.keys(body).length === 0 && !args.recalc_hr_zones)
      throw new ToolInputError('Nothing to change: pass at least one threshold or zone list.');
    const raw = await ctx.intervals.put<Raw>('/athlete/{id}/sport-settings/{sportId}', {
      params: { id, sportId: args.sport },
      // The API requires it on every update.
      query: { recalcHrZones: args.recalc_hr_zones },
      body,
    });
    const settings = toSportSettings(record(raw));
    if (args.apply_to_past_activities) {
      // PUT, not POST (POST answers 405); the id must be the numeric settings id.
      await ctx.intervals.put('/athlete/{id}/sport-settings/{sportId}/apply', { params: { id, sportId: settings.id ?? args.sport } });
    }
    const changed = Object.keys(body);
    return {
      structured: { settings, changed, applied_to_past_activities: args.apply_to_past_activities },
      text: sections(
        `Updated ${settings.types.join('/') || args.sport}: ${changed.join(', ') || 'HR zones recalculated'}.`,
        renderSportSettings(settings),
        args.apply_to_past_activities
          ? 'Past activities of this sport are being recalculated in the background.'
          : 'Past activities keep their old zones (pass apply_to_past_activities: true to recompute).',
      ),
    };
  },
});

export const settingsTools: AnyToolDef[] = [getSportSettings, updateSportSettings];
