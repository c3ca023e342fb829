import { describe, expect, it } from '@jest/globals';
import { compactInputSchema, compactOutputSchema } from '../../../src/mcp/schema-compact.js';

describe('tools/list schema compaction', () => {
  it.each([
    [
      'nullable number keeps its bounds',
      { anyOf: [{ type: 'number', minimum: 1 }, { type: 'null' }], description: 'd' },
      { description: 'd', type: ['number', 'null'], minimum: 1 },
    ],
    [
      'nullable enum admits null in the enum',
      { anyOf: [{ type: 'string', enum: ['a'] }, { type: 'null' }] },
      { type: ['string', 'null'], enum: ['a', null] },
    ],
    [
      'a string enum needs no type',
      { type: 'string', enum: ['text', 'json'], default: 'text' },
      { enum: ['text', 'json'], default: 'text' },
    ],
    [
      'other unions stay as they are',
      { anyOf: [{ type: 'string' }, { type: 'number' }] },
      { anyOf: [{ type: 'string' }, { type: 'number' }] },
    ],
  ])('input: %s', (_name, field, expected) => {
    const out = compactInputSchema({
      $schema: 'x',
      type: 'object',
      properties: { f: field },
      required: ['f'],
      additionalProperties: false,
    });
    expect(out).toEqual({ type: 'object', properties: { f: expected }, required: ['f'], additionalProperties: false });
  });

  it.each([
    ['positive integer becomes minimum 1', { type: 'integer', exclusiveMinimum: 0 }, { type: 'integer', minimum: 1 }],
    [
      'integer exclusive bounds keep the tighter inclusive one',
      { type: 'integer', exclusiveMinimum: 0.5, minimum: 3, exclusiveMaximum: 10 },
      { type: 'integer', minimum: 3, maximum: 9 },
    ],
    ['a number keeps its exclusive bound', { type: 'number', exclusiveMinimum: 0 }, { type: 'number', exclusiveMinimum: 0 }],
    [
      'the YYYY-MM-DD pattern is format date',
      { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'd' },
      { type: 'string', format: 'date', description: 'd' },
    ],
    ['another pattern stays', { type: 'string', pattern: '^\\d{4}$' }, { type: 'string', pattern: '^\\d{4}$' }],
    ['a flag loses default false', { type: 'boolean', default: false, description: 'd' }, { type: 'boolean', description: 'd' }],
    ['a flag keeps default true', { type: 'boolean', default: true }, { type: 'boolean', default: true }],
  ])('input: %s', (_name, field, expected) => {
    expect(compactInputSchema({ type: 'object', properties: { f: field } })).toEqual({ type: 'object', properties: { f: expected } });
  });

  it('input: keeps top-level if/then/else (conditional requirements) as written', () => {
    const rule = { if: { properties: { action: { const: 'a' } } }, then: { required: ['x'] }, else: { required: ['y'] } };
    expect(
      compactInputSchema({ type: 'object', properties: { action: { type: 'string', enum: ['a', 'b'] } }, required: ['action'], ...rule }),
    ).toEqual({
      type: 'object',
      properties: { action: { enum: ['a', 'b'] } },
      required: ['action'],
      ...rule,
    });
  });

  it('output: drops required/additionalProperties:false and lists only the top-level fields', () => {
    const row = {
      type: 'object',
      properties: { id: { type: 'number', description: 'row id' }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['id'],
    };
    const out = compactOutputSchema({
      $schema: 'x',
      type: 'object',
      required: ['a'],
      additionalProperties: false,
      properties: {
        a: { type: 'array', items: row, description: 'the rows' },
        one: { anyOf: [row, { type: 'null' }] },
        names: { type: 'array', items: { type: 'string' } },
        n: { anyOf: [{ type: 'number' }, { type: 'null' }], description: 'a count' },
      },
    });
    expect(out).toEqual({
      type: 'object',
      properties: {
        a: { type: 'array', description: 'the rows' },
        one: { type: ['object', 'null'] },
        names: { type: 'array', items: { type: 'string' } },
        n: { type: ['number', 'null'], description: 'a count' },
      },
    });
  });

  it('output: lists at most the first 14 fields of an object', () => {
    const properties = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, { type: 'number' }]));
    const out = compactOutputSchema({ type: 'object', properties }) as { properties: Record<string, unknown> };
    expect(Object.keys(out.properties)).toEqual(Object.keys(properties).slice(0, 14));
  });
});
