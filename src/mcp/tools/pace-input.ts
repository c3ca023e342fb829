import { ToolInputError } from '../tool.js';

/** Pace as people write it ("4:15/km", "1:45/100m") → metres per second, the unit Intervals.icu stores. */
export const PACE_FORMAT_HELP = 'Threshold pace as m:ss per unit: "4:15/km", "6:50/mi", "1:45/100m", "1:35/100y", "1:50/500m".';

const METRES: Record<string, number> = { km: 1000, mi: 1609.344, '100m': 100, '100y': 91.44, '500m': 500, '400m': 400, '250m': 250 };

export function parsePace(text: string): number {
  const m = /^(\d{1,2}):([0-5]\d)\s*\/\s*(km|mi|100m|100y|500m|400m|250m)$/i.exec(text.trim());
  if (!m) throw new ToolInputError(`threshold_pace "${text}" is not a pace. ${PACE_FORMAT_HELP}`);
  const seconds = Number(m[1]) * 60 + Number(m[2]);
  if (seconds === 0) throw new ToolInputError('threshold_pace must be more than 0:00.');
  return Math.round((METRES[m[3]!.toLowerCase()]! / seconds) * 1e6) / 1e6;
}
