/**
 * Lean JSON Schemas for tools/list. Every MCP client puts the tool list into the model's context on
 * every conversation, so each byte there is paid for again and again (issue 6).
 *
 * - Input schemas keep everything the model needs to call correctly (names, types, bounds, enums,
 *   descriptions); only the spelling gets shorter: `anyOf: [X, {type: null}]` becomes
 *   `type: [X, "null"]`, a YYYY-MM-DD pattern becomes `format: "date"`, a boolean's `default: false`
 *   goes (omitting a flag means false), and so does the `$schema` marker. Same meaning, fewer bytes.
 *   Conditional requirements (top-level if/then/else, src/mcp/schema-conditions.ts) are kept as written.
 * - Output schemas describe the top level of the result: each field with its type and description
 *   (a list of plain values keeps its item type). Nested objects and lists of rows are advertised as
 *   just "object"/"array": the model reads the text answer by default, and `format: "json"` rows
 *   name their own fields, so spelling out every row's fields in every tool (the event row alone
 *   appeared in 7 tools) cost ~17 KB of tools/list for little use. `required` and
 *   `additionalProperties: false` are dropped too, and an object lists at most OUTPUT_FIELDS fields.
 *   The advertised schema is therefore LOOSER than the zod schema the server validates against, so
 *   every structuredContent the server sends also validates against what clients were told (the
 *   tool tests' SDK client checks that on every call).
 */

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Levels of object nesting an output schema spells out: 1 = the result's own fields. 2 (the fields of
 * each row as well) made tools/list ~17 KB larger (76 → 59 KB before the wording was trimmed).
 */
const OUTPUT_DEPTH = 1;
/**
 * Fields listed per output object. Tools list the fields a model needs most first (ids, dates,
 * names, main metrics); the rest stay in structuredContent as allowed additional properties.
 */
const OUTPUT_FIELDS = 14;

/** `anyOf: [X, {type: 'null'}]` → X with "null" added to its type (and enum); undefined if not that pattern. */
function mergeNullable(schema: Json): Json | undefined {
  const any = schema.anyOf;
  if (!Array.isArray(any) || any.length !== 2) return undefined;
  const nullIndex = any.findIndex((s) => isObj(s) && s.type === 'null' && Object.keys(s).length === 1);
  const other = any[1 - nullIndex];
  if (nullIndex < 0 || !isObj(other) || typeof other.type !== 'string' || 'anyOf' in other || 'const' in other) return undefined;
  const { anyOf: _drop, ...rest } = schema;
  const merged: Json = { ...rest, ...other, type: [other.type, 'null'] };
  if (Array.isArray(other.enum)) merged.enum = [...(other.enum as unknown[]), null];
  return merged;
}

function typeOf(schema: Json): unknown {
  if (schema.type !== undefined) return schema.type;
  if (Array.isArray(schema.anyOf)) {
    const types = schema.anyOf.flatMap((s) => (isObj(s) && s.type !== undefined ? [s.type].flat() : []));
    return types.length ? [...new Set(types)] : undefined;
  }
  return undefined;
}

/** zod writes the safe-integer range onto every `.int()`; it says nothing a model needs. */
const isSafeIntBound = (key: string, value: unknown) =>
  (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) || (key === 'minimum' && value === Number.MIN_SAFE_INTEGER);

/**
 * For an integer, `exclusiveMinimum: n` says the same as `minimum: n + 1` (zod's `.int().positive()`
 * writes `exclusiveMinimum: 0`), in fewer bytes and in the form a model reads at a glance.
 */
function integerBounds(schema: Json): Json {
  if (![schema.type].flat().includes('integer')) return schema;
  const { exclusiveMinimum: lo, exclusiveMaximum: hi, ...rest } = schema;
  const out: Json = { ...rest };
  if (typeof lo === 'number') out.minimum = Math.max(Math.floor(lo) + 1, typeof rest.minimum === 'number' ? rest.minimum : -Infinity);
  else if (lo !== undefined) out.exclusiveMinimum = lo;
  if (typeof hi === 'number') out.maximum = Math.min(Math.ceil(hi) - 1, typeof rest.maximum === 'number' ? rest.maximum : Infinity);
  else if (hi !== undefined) out.exclusiveMaximum = hi;
  return out;
}

/** The pattern of src/mcp/inputs.ts `isoDate`; with its real-date check it means exactly RFC 3339 full-date. */
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/**
 * Same meaning, fewer bytes, for the two spellings tools/list repeats most (31 dates, 18 flags):
 * the YYYY-MM-DD pattern is JSON Schema's `format: "date"`, and `default: false` on a boolean says
 * what leaving a flag out means anyway.
 */
function shorterSpelling(schema: Json): Json {
  if (schema.type === 'string' && schema.pattern === DATE_PATTERN) {
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => (k === 'pattern' ? ['format', 'date'] : [k, v])));
  }
  if (schema.type === 'boolean' && schema.default === false) {
    const { default: _omitted, ...rest } = schema;
    return rest;
  }
  return schema;
}

function compact(schema: unknown, output: boolean, depth: number): unknown {
  if (!isObj(schema)) return schema;
  const s = shorterSpelling(integerBounds(mergeNullable(schema) ?? schema));
  const types = [typeOf(s)].flat();
  const nests = types.includes('object') || types.includes('array');
  if (output && nests && depth >= OUTPUT_DEPTH) {
    const type = typeOf(s);
    const out: Json = type === undefined ? {} : { type };
    if (typeof s.description === 'string' && depth <= OUTPUT_DEPTH) out.description = s.description;
    // A list of plain values is cheap to spell out and tells more than "array".
    if (isObj(s.items) && !['object', 'array'].some((t) => [typeOf(s.items as Json)].flat().includes(t)))
      out.items = compact(s.items, output, depth);
    return out;
  }
  const out: Json = {};
  // An enum of plain strings already says "string".
  const enumSaysType = s.type === 'string' && Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string');
  for (const [key, value] of Object.entries(s)) {
    if (key === 'type' && enumSaysType) continue;
    if (key === '$schema' || isSafeIntBound(key, value)) continue;
    // Only the result's own fields keep their descriptions (deeper ones are not listed anyway).
    if (output && key === 'description' && depth > OUTPUT_DEPTH) continue;
    if (output && (key === 'required' || (key === 'additionalProperties' && value === false))) continue;
    if (key === 'properties' && isObj(value)) {
      const fields = Object.entries(value);
      out.properties = Object.fromEntries(
        (output ? fields.slice(0, OUTPUT_FIELDS) : fields).map(([name, p]) => [name, compact(p, output, depth + 1)]),
      );
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = compact(value, output, depth);
    } else if (key === 'anyOf' && Array.isArray(value)) {
      out.anyOf = value.map((v) => compact(v, output, depth));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The input schema as advertised: same meaning, shorter spelling. */
export function compactInputSchema<T>(schema: T): T {
  return compact(schema, false, 0) as T;
}

/** The output schema as advertised: the shape a model reads, looser than what the server validates. */
export function compactOutputSchema<T>(schema: T): T {
  return compact(schema, true, 0) as T;
}
