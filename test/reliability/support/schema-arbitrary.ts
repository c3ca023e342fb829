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

/**
 * Properties whose valid values JSON Schema cannot express (checked at run time by the tool):
 * without these hints, almost no generated call would get past validation.
 */
const SPORTS = fc.constantFrom('Ride', 'VirtualRide', 'Run', 'TrailRun', 'Swim', 'WeightTraining', 'Walk', 'Rowing');
const HINTS: Record<string, fc.Arbitrary<unknown>> = { type: SPORTS, sport: SPORTS };

const dateString = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

function stringArb(s: JsonSchema, hostile: boolean): fc.Arbitrary<string> {
  const guided: fc.Arbitrary<string>[] = [];
  if (s.format === 'date' || /\\d\{4\}-\\d\{2\}-\\d\{2\}/.test(s.pattern ?? '')) guided.push(dateString);
  else if (s.format === 'date-time') guided.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
  else if (s.pattern) {
    try {
      guided.push(fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 500)));
    } catch {
      // a pattern JavaScript cannot compile: plain strings below
    }
  }
  if (guided.length === 0) guided.push(fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 200) }));
  return hostile ? fc.oneof({ arbitrary: fc.oneof(...guided), weight: 4 }, { arbitrary: HOSTILE, weight: 1 }) : fc.oneof(...guided);
}

function numberArb(s: JsonSchema, integer: boolean, hostile: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : undefined);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-9) : undefined);
  const inRange = integer
    ? fc.integer({ min: min ?? -1_000_000, max: max ?? 1_000_000 })
    : fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true });
  const edges = fc.constantFrom(0, -1, 1, 2 ** 31, -(2 ** 53), 1e308, 0.5, (min ?? 0) - 1, (max ?? 0) + 1);
  return hostile ? fc.oneof({ arbitrary: inRange, weight: 4 }, { arbitrary: edges, weight: 1 }) : inRange;
}

/** A value that follows `s`; with `hostile`, strings and numbers are sometimes edge cases that bend it. */
export function fromSchema(s: JsonSchema, hostile: boolean, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 4) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => fromSchema(a, hostile, depth + 1)));
  if (s.allOf?.length) return fromSchema(Object.assign({}, ...s.allOf) as JsonSchema, hostile, depth + 1);
  const type = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => fromSchema({ ...s, type: t }, hostile, depth + 1)));
  switch (type[0]) {
    case 'string':
      return stringArb(s, hostile);
    case 'integer':
      return numberArb(s, true, hostile);
    case 'number':
      return numberArb(s, false, hostile);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = fc.array(s.items ? fromSchema(s.items, hostile, depth + 1) : fc.jsonValue(), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 5, 20),
      });
      // Numeric lists are zone bounds in these tools, which must ascend.
      const numeric = s.items?.type === 'number' || s.items?.type === 'integer';
      return numeric && !hostile ? items.map((xs) => [...new Set(xs as number[])].sort((a, b) => a - b)) : items;
    }
    case 'object':
      return objectArb(s, hostile, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArb(s: JsonSchema, hostile: boolean, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props))
    model[k] = !hostile && HINTS[k] && v.type !== 'array' ? HINTS[k]! : fromSchema(v, hostile, depth + 1);
  // Optional properties are left out some of the time, as callers do.
  return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) as never[] }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Tool arguments: schema-following, edge-case values, one property of the wrong type, or unrelated keys. */
export function argumentsFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const valid = fromSchema({ ...schema, type: 'object' }, false);
  const bent = fromSchema({ ...schema, type: 'object' }, true);
  const names = Object.keys(schema.properties ?? {});
  const oneWrong =
    names.length > 0
      ? fc
          .tuple(valid, fc.constantFrom(...names), fc.jsonValue({ maxDepth: 2 }))
          .map(([args, key, junk]) => ({ ...(args as Record<string, unknown>), [key]: junk }))
      : valid;
  // Always an object: non-object `arguments` are a protocol error, covered over HTTP in abuse.test.ts.
  const junk = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 });
  return fc.oneof(
    { arbitrary: valid, weight: 5 },
    { arbitrary: bent, weight: 3 },
    { arbitrary: oneWrong, weight: 2 },
    { arbitrary: junk, weight: 1 },
  );
}
