import { describe, expect, it } from '@jest/globals';
import { repFade } from '../../../src/mcp/analysis/rep-fade.js';

const rep = (w: number | null, hr: number | null = null, v: number | null = null) => ({ avg_power_w: w, avg_hr_bpm: hr, avg_speed_mps: v });

describe('repFade', () => {
  it.each([
    [
      [rep(300, 150), rep(290, 155), rep(280, 160), rep(270, 165)],
      { reps: 4, metric: 'power_w', first: 300, last: 270, fade_pct: -10, split_pct: -6.8, hr_drift_bpm: 15 },
    ],
    [[rep(250), rep(250), rep(250)], { reps: 3, fade_pct: 0, split_pct: 0, hr_drift_bpm: null }],
    [[rep(null, 160, 4), rep(null, 165, 4.2), rep(null, 170, 4.4)], { metric: 'speed_mps', fade_pct: 10, split_pct: 10, hr_drift_bpm: 10 }],
  ])('%j', (reps, expected) => {
    expect(repFade(reps)).toMatchObject(expected);
  });

  it('needs three reps with output', () => {
    expect(repFade([rep(300), rep(290)])).toBeNull();
    expect(repFade([rep(300), rep(null), rep(0)])).toBeNull();
  });
});
