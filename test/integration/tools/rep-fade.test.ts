import { describe, expect, it } from '@jest/globals';
import { RIDE_ID } from '../../fakes/intervals/routes/activity-data.js';
import { textOf } from '../../support/mcp-harness.js';
import { useToolSuite } from '../../support/tool-suite.js';

const suite = useToolSuite();
interface Iv {
  type: string | null;
  avg_power_w: number | null;
  avg_hr_bpm: number | null;
}
interface Out {
  intervals: Iv[];
  rep_fade: { reps: number; first: number; last: number; fade_pct: number; split_pct: number; hr_drift_bpm: number | null } | null;
}

describe('get_activity_intervals rep fade', () => {
  it('judges the work reps: last vs first, second half vs first, HR drift', async () => {
    const tools = await suite.connect();
    // Three 12-minute reps on the captured-shape ride; the stand-in averages its streams over each.
    await tools.structured('write_activity', {
      action: 'set_intervals',
      activity_id: RIDE_ID,
      intervals: [
        { start_s: 0, end_s: 600, type: 'RECOVERY' },
        { start_s: 1200, end_s: 1920 },
        { start_s: 2160, end_s: 2880 },
        { start_s: 3120, end_s: 3480 },
      ],
    });
    const r = await tools.call('get_activity_intervals', { activity_id: RIDE_ID });
    const out = r.structuredContent as unknown as Out;
    const work = out.intervals.filter((i) => i.type === 'WORK');
    expect(work).toHaveLength(3);
    const [a, , c] = work.map((i) => i.avg_power_w!);
    expect(out.rep_fade).toMatchObject({
      reps: 3,
      first: a,
      last: c,
      fade_pct: Math.round(((c! - a!) / a!) * 1000) / 10,
      hr_drift_bpm: work[2]!.avg_hr_bpm! - work[0]!.avg_hr_bpm!,
    });
    expect(textOf(r)).toContain(`Rep fade over 3 work reps: ${a} W → ${c} W`);
  });

  it('says nothing about fade with fewer than three reps (the captured intervals have two)', async () => {
    const fresh = await suite.connect();
    const out = await fresh.structured<Out>('get_activity_intervals', { activity_id: 'i189807578' });
    expect(out.rep_fade).toBeNull();
  });
});
