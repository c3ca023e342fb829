/** Enumerations copied from the Intervals.icu OpenAPI spec (https://intervals.icu/api/v1/docs). */
import { z } from 'zod';

export const EVENT_CATEGORIES = [
  'WORKOUT',
  'RACE_A',
  'RACE_B',
  'RACE_C',
  'NOTE',
  'PLAN',
  'HOLIDAY',
  'SICK',
  'INJURED',
  'SET_EFTP',
  'FITNESS_DAYS',
  'SEASON_START',
  'TARGET',
  'SET_FITNESS',
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];
export const eventCategory = z.enum(EVENT_CATEGORIES);

export const RACE_CATEGORIES: ReadonlySet<string> = new Set(['RACE_A', 'RACE_B', 'RACE_C']);

export const SPORT_TYPES = [
  'Ride',
  'Run',
  'Swim',
  'WeightTraining',
  'Hike',
  'Walk',
  'AlpineSki',
  'BackcountrySki',
  'Badminton',
  'Canoeing',
  'Crossfit',
  'EBikeRide',
  'EMountainBikeRide',
  'Elliptical',
  'Golf',
  'GravelRide',
  'TrackRide',
  'Handcycle',
  'HighIntensityIntervalTraining',
  'Hockey',
  'IceSkate',
  'InlineSkate',
  'Kayaking',
  'Kitesurf',
  'MountainBikeRide',
  'Cyclocross',
  'NordicSki',
  'OpenWaterSwim',
  'Padel',
  'Pilates',
  'Pickleball',
  'Racquetball',
  'Rugby',
  'RockClimbing',
  'RollerSki',
  'Rowing',
  'Sail',
  'Skateboard',
  'Snowboard',
  'Snowshoe',
  'Soccer',
  'Squash',
  'StairStepper',
  'StandUpPaddling',
  'Surfing',
  'TableTennis',
  'Tennis',
  'TrailRun',
  'Transition',
  'Velomobile',
  'VirtualRide',
  'VirtualRow',
  'VirtualRun',
  'VirtualSki',
  'WaterSport',
  'Wheelchair',
  'Windsurf',
  'Workout',
  'Yoga',
  'Other',
] as const;
const SPORTS: ReadonlySet<string> = new Set(SPORT_TYPES);

/**
 * Checked against the spec's 60 sport types at run time, but published as a plain string: the
 * full enum would add ~700 bytes to every tool that takes a sport in tools/list.
 */
export const sportType = z
  .string()
  .refine(
    (v) => SPORTS.has(v),
    'not an Intervals.icu sport type; use e.g. Ride, VirtualRide, GravelRide, MountainBikeRide, Run, TrailRun, VirtualRun, Swim, OpenWaterSwim, WeightTraining, Rowing, NordicSki, Walk, Hike, Workout, Other',
  )
  .describe('Sport, e.g. Ride, Run, TrailRun, Swim (case-sensitive)');

export const TRAINING_AVAILABILITY = ['NORMAL', 'LIMITED', 'UNAVAILABLE'] as const;
export const WORKOUT_TARGETS = ['AUTO', 'POWER', 'HR', 'PACE'] as const;
