/**
 * Requirements that depend on other fields, stated in the advertised input schema so that a model
 * filling what the schema requires gets the call right the first time ("an update needs at least one
 * field to change", "event_ids, or oldest and newest", "create_manual needs date, type, name,
 * moving_time_s").
 *
 * A flat zod object cannot say these, and the obvious JSON Schema (`anyOf` of `required` lists at
 * the top level) is refused by Claude's tool API, which rejects top-level anyOf/oneOf/allOf in an
 * input_schema. So they are written with `if`/`then`/`else` at the top level (one `if` per level;
 * several rules chain through `else`). The tools still check the same rules when they run (the SDK
 * validates arguments with the zod schema only) and refuse with a message naming the fix;
 * test/integration/tools/required-only.test.ts shows that a call built from the schema alone,
 * conditions included, is accepted, and that leaving a condition out is refused.
 */
type Json = Record<string, unknown>;

/**
 * "At least one field to change": when the call holds nothing but `others` (ids and switches that
 * change nothing by themselves), `example` becomes required. Exact, and shorter than listing every
 * field the tool can change.
 */
export function changeRequired(others: readonly string[], example: string): Json {
  return { if: { propertyNames: { enum: [...others, 'format'] } }, then: { required: [example] } };
}

/** Either `one`, or all of `other` (and, with `exclusive`, not both). */
export function eitherOr(one: string, other: readonly string[], { exclusive = false } = {}): Json {
  const then = exclusive ? { then: { properties: Object.fromEntries(other.map((k) => [k, false])) } } : {};
  return { if: { required: [one] }, ...then, else: { required: [...other] } };
}

/**
 * The fields each value of the enum `key` needs, as an if/then/else chain (values with the same needs
 * share a rule). `needs` covers every value of the enum, so the last rule is the chain's plain `else`.
 */
export function requiredBy(key: string, needs: readonly (readonly [values: readonly string[], fields: readonly string[]])[]): Json {
  const last = needs.at(-1);
  if (!last) return {};
  let chain: Json = { required: [...last[1]] };
  for (const [values, fields] of needs.slice(0, -1).reverse()) {
    const match = values.length === 1 ? { const: values[0] } : { enum: [...values] };
    chain = { if: { properties: { [key]: match } }, then: { required: [...fields] }, else: chain };
  }
  return chain;
}
