import { describe, expect, it } from '@jest/globals';
import { alignByTime } from '../../../src/mcp/analysis/aligned-streams.js';

const stream = (type: string, data: (number | null)[]) => ({ type, data });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('alignByTime', () => {
  it('cuts the common span (the shortest activity) into six segments and averages each stream per segment', () => {
    const a = [
      stream('time', range(61)),
      stream(
        'watts',
        range(61).map((t) => (t < 30 ? 100 : 200)),
      ),
      stream(
        'heartrate',
        range(61).map(() => 120),
      ),
    ];
    const b = [
      stream('time', range(121)),
      stream(
        'watts',
        range(121).map(() => 250),
      ),
      stream(
        'velocity_smooth',
        range(121).map(() => 3),
      ),
    ];
    expect(alignByTime(['a', 'b'], [a, b])).toEqual({
      segment_s: 10,
      activities: [
        {
          id: 'a',
          watts: [100, 100, 100, 200, 200, 200],
          heartrate: [120, 120, 120, 120, 120, 120],
          speed_mps: [null, null, null, null, null, null],
        },
        // Samples after the common span (60 s) are not averaged in.
        { id: 'b', watts: [250, 250, 250, 250, 250, 250], heartrate: [null, null, null, null, null, null], speed_mps: [3, 3, 3, 3, 3, 3] },
      ],
    });
  });

  it('skips null samples inside a segment', () => {
    const a = [
      stream('time', range(13)),
      stream(
        'watts',
        range(13).map((t) => (t % 2 ? null : 10)),
      ),
    ];
    expect(alignByTime(['a', 'b'], [a, a])?.activities[0]?.watts).toEqual([10, 10, 10, 10, 10, 10]);
  });

  it.each([
    ['one activity has no time stream', [[stream('time', range(10))], []]],
    ['an answer is not a list of streams', [[stream('time', range(10))], { error: 'x' }]],
    ['a time stream is a single sample', [[stream('time', [0])], [stream('time', range(10))]]],
  ])('null when fewer than two can be aligned: %s', (_label, streams) => {
    expect(alignByTime(['a', 'b'], streams)).toBeNull();
  });
});
