import type { AnyToolDef } from '../tool.js';
import { activityTools } from './activities.js';
import { athleteTools } from './athlete.js';
import { coachRosterTools } from './coach-roster.js';
import { curveTools } from './curves.js';
import { eventsTools } from './events.js';
import { fitnessWhatIfTools } from './fitness-whatif.js';
import { gearTools } from './gear.js';
import { libraryTools } from './library.js';
import { plannedVsActualTools } from './planned-vs-actual.js';
import { racePredictionTools } from './race-prediction.js';
import { settingsTools } from './settings.js';
import { wellnessTools } from './wellness.js';
import { workoutCheckTools } from './workout-check.js';

/** Every tool, in the order tools/list shows them. Each group lives in its own file. */
export const ALL_TOOLS: readonly AnyToolDef[] = [
  ...athleteTools,
  ...coachRosterTools,
  ...activityTools,
  ...curveTools,
  ...plannedVsActualTools,
  ...racePredictionTools,
  ...wellnessTools,
  ...eventsTools,
  ...libraryTools,
  ...workoutCheckTools,
  ...fitnessWhatIfTools,
  ...gearTools,
  ...settingsTools,
];
