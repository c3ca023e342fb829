import fc from 'fast-check';

/**
 * fast-check arbitraries from a tool's published JSON Schema (what tools/list shows a model):
 * values that follow the schema — so the fuzzing reaches past validation into the tool — mixed
 * with values that bend it (wrong types, out-of-range numbers, hostile strings, extra keys).
 */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
}

/** Strings people and models actually send that break naive code. */
const HOSTILE = fc.constantFrom(
  '',
  ' ',
  '0',
  '-1',
  'i0',
  '../../etc/passwd',
  '%2e%2e%2f',
  '?x=1&y=2#z',
  '\u0000',
  '\r\nX-Injected: 1',
  '<script>alert(1)</script>',
  "'; DROP TABLE accounts; --",
  '{{7*7}}',
  '\u202e\u200b',
  'ありがとう',
  '😀'.repeat(50),
  'x'.repeat(10_000),
  '2026-02-30',
  '2026-13-01',
  '9999-12-31',
  '0000-01-01',
  'NaN',
  'Infinity',
  'null',
  '__proto__',
);

const dateString = fc.date({ min: new Date('1990-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const guided: fc.Arbitrary<string>[] = [];
  if (s.format === 'date' || /\\d\{4\}-\\d\{2\}-\\d\{2\}/.test(s.pattern ?? '')) guided.push(dateString);
  else if (s.format === 'date-time') guided.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
  else if (s.pattern) {
    try {
      guided.push(fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 500)));
    } catch {
      // a pattern JavaScript cannot compile: fall back to plain strings
    }
  }
  guided.push(fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 200) }));
  return fc.oneof({ arbitrary: fc.oneof(...guided), weight: 4 }, { arbitrary: HOSTILE, weight: 1 });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : undefined);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-9) : undefined);
  const inRange = integer
    ? fc.integer({ min: min ?? -1_000_000, max: max ?? 1_000_000 })
    : fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true });
  const edges = fc.constantFrom(0, -1, 1, 2 ** 31, -(2 ** 53), 1e308, 0.5, (min ?? 0) - 1, (max ?? 0) + 1);
  return fc.oneof({ arbitrary: inRange, weight: 4 }, { arbitrary: edges, weight: 1 });
}

/** A value that follows `s` most of the time. */
export function fromSchema(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 4) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => fromSchema(a, depth + 1)));
  if (s.allOf?.length) return fromSchema(Object.assign({}, ...s.allOf) as JsonSchema, depth + 1);
  const type = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => fromSchema({ ...s, type: t }, depth + 1)));
  switch (type[0]) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? fromSchema(s.items, depth + 1) : fc.jsonValue(), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 5, 20) });
    case 'object':
      return objectArb(s, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArb(s: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) model[k] = fromSchema(v, depth + 1);
  // Optional properties are left out some of the time, as callers do.
  return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) as never[] }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Tool arguments: mostly schema-following, sometimes with one property of the wrong type, sometimes junk. */
export function argumentsFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const valid = fromSchema({ ...schema, type: 'object' });
  const names = Object.keys(schema.properties ?? {});
  const oneWrong =
    names.length > 0
      ? fc
          .tuple(valid, fc.constantFrom(...names), fc.jsonValue({ maxDepth: 2 }))
          .map(([args, key, junk]) => ({ ...(args as Record<string, unknown>), [key]: junk }))
      : valid;
  const junk = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }));
  return fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: oneWrong, weight: 3 }, { arbitrary: junk, weight: 1 });
}
