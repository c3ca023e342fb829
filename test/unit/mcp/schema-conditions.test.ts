import { describe, expect, it } from '@jest/globals';
import { changeRequired, eitherOr, requiredBy } from '../../../src/mcp/schema-conditions.js';

describe('conditional requirements as top-level if/then/else', () => {
  it('changeRequired: only ids and switches given → the example field is required', () => {
    expect(changeRequired(['athlete_id', 'event_id'], 'name')).toEqual({
      if: { propertyNames: { enum: ['athlete_id', 'event_id', 'format'] } },
      then: { required: ['name'] },
    });
  });

  it.each([
    [{}, { if: { required: ['event_ids'] }, else: { required: ['oldest', 'newest'] } }],
    [
      { exclusive: true },
      { if: { required: ['event_ids'] }, then: { properties: { oldest: false, newest: false } }, else: { required: ['oldest', 'newest'] } },
    ],
  ])('eitherOr %j', (opts, expected) => {
    expect(eitherOr('event_ids', ['oldest', 'newest'], opts)).toEqual(expected);
  });

  it('requiredBy chains through else, shares rules, and ends in a plain else', () => {
    expect(
      requiredBy('action', [
        [['a'], ['x']],
        [['b', 'c'], ['y']],
        [['d'], ['z', 'w']],
      ]),
    ).toEqual({
      if: { properties: { action: { const: 'a' } } },
      then: { required: ['x'] },
      else: { if: { properties: { action: { enum: ['b', 'c'] } } }, then: { required: ['y'] }, else: { required: ['z', 'w'] } },
    });
    expect(requiredBy('action', [])).toEqual({});
  });

  it('no top-level anyOf, oneOf or allOf (Claude refuses them in an input_schema)', () => {
    for (const rule of [
      changeRequired(['a'], 'b'),
      eitherOr('a', ['b']),
      requiredBy('k', [
        [['a'], ['b']],
        [['c'], ['d']],
      ]),
    ]) {
      expect(Object.keys(rule).filter((k) => ['anyOf', 'oneOf', 'allOf'].includes(k))).toEqual([]);
    }
  });
});
