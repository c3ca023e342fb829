import { describe, expect, it } from '@jest/globals';
import { compactInputSchema, compactOutputSchema } from '../../../src/mcp/schema-compact.js';

describe('tools/list schema compaction', () => {
  it.each([
    ['nullable number keeps its bounds', { anyOf: [{ type: 'number', minimum: 1 }, { type: 'null' }], description: 'd' }, { description: 'd', type: ['number', 'null'], minimum: 1 }],
    ['nullable enum admits null in the enum', { anyOf: [{ type: 'string', enum: ['a'] }, { type: 'null' }] }, { type: ['string', 'null'], enum: ['a', null] }],
    ['a string enum needs no type', { type: 'string', enum: ['text', 'json'], default: 'text' }, { enum: ['text', 'json'], default: 'text' }],
    ['other unions stay as they are', { anyOf: [{ type: 'string' }, { type: 'number' }] }, { anyOf: [{ type: 'string' }, { type: 'number' }] }],
  ])('input: %s', (_name, field, expected) => {
    const out = compactInputSchema({ $schema: 'x', type: 'object', properties: { f: field }, required: ['f'], additionalProperties: false });
    expect(out).toEqual({ type: 'object', properties: { f: expected }, required: ['f'], additionalProperties: false });
  });

  it('output: drops required/additionalProperties:false and collapses nesting below two levels', () => {
    const deep = { type: 'object', properties: { x: { type: 'number' } }, required: ['x'], additionalProperties: false };
    const out = compactOutputSchema({
      $schema: 'x', type: 'object', required: ['a'], additionalProperties: false,
      properties: { a: { type: 'array', items: { type: 'object', properties: { id: { type: 'number' }, deep, tags: { type: 'array', items: { type: 'string' } } }, required: ['id'] } } },
    });
    expect(out).toEqual({
      type: 'object',
      properties: { a: { type: 'array', items: { type: 'object', properties: { id: { type: 'number' }, deep: { type: 'object' }, tags: { type: 'array', items: { type: 'string' } } } } } },
    });
  });

  it('output: lists at most the first 14 fields of an object', () => {
    const properties = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, { type: 'number' }]));
    const out = compactOutputSchema({ type: 'object', properties }) as { properties: Record<string, unknown> };
    expect(Object.keys(out.properties)).toEqual(Object.keys(properties).slice(0, 14));
  });
});
