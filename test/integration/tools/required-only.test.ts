import { describe, expect, it } from '@jest/globals';
import { textOf } from '../../support/mcp-tools.js';
import { useToolSuite } from '../../support/tool-suite.js';

/**
 * A model fills the fields a schema calls required and usually nothing else. So for every tool, a
 * call built only from what its advertised input schema requires (each value the simplest the
 * schema allows) must get past our own checks: it may still fail upstream (an id the stand-in
 * does not have is Intervals.icu's 404), but never with "Invalid input" or a protocol error.
 */
const suite = useToolSuite();

type Json = Record<string, unknown>;

/** The simplest value a JSON Schema allows, built from its type, enum, bounds and pattern. */
function simplest(schema: Json): unknown {
  if (Array.isArray(schema.enum)) return schema.enum.find((v) => v !== null);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.anyOf)) return simplest(schema.anyOf[0] as Json);
  const type = [schema.type].flat().find((t) => t !== 'null');
  switch (type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Json>;
      const args: Json = {};
      const fill = (required: unknown) => {
        for (const k of (required ?? []) as string[]) if (!(k in args)) args[k] = simplest(props[k] ?? {});
      };
      fill(schema.required);
      // Conditional requirements (src/mcp/schema-conditions.ts): follow the if/then/else chain the call meets.
      for (let rule: Json | undefined = schema; rule && 'if' in rule;) {
        const branch = (holds(rule.if as Json, args) ? rule.then : rule.else) as Json | undefined;
        fill(branch?.required);
        rule = branch;
      }
      return args;
    }
    case 'array': {
      const n = Math.max(1, Number(schema.minItems ?? 1));
      return Array.from({ length: n }, () => simplest((schema.items ?? {}) as Json));
    }
    case 'integer':
    case 'number': {
      const min =
        typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
      return Math.max(min, 1);
    }
    case 'boolean':
      return false;
    case 'string':
      return stringFor(schema);
    default:
      return 'x';
  }
}

/** Whether `args` meets an `if` schema of the kinds the tools use: required, properties (const, enum, false), propertyNames enum. */
function holds(cond: Json, args: Json): boolean {
  const required = (cond.required ?? []) as string[];
  if (!required.every((k) => k in args)) return false;
  for (const [k, p] of Object.entries((cond.properties ?? {}) as Record<string, Json | boolean>)) {
    if (!(k in args)) continue;
    if (p === false) return false;
    if (typeof p === 'object' && 'const' in p && args[k] !== p.const) return false;
    if (typeof p === 'object' && Array.isArray(p.enum) && !p.enum.includes(args[k])) return false;
  }
  const names = (cond.propertyNames as Json | undefined)?.enum as unknown[] | undefined;
  return !names || Object.keys(args).every((k) => names.includes(k));
}

/** The first example a description gives ("e.g. Ride, Run"), as a model would pick it; else strings that satisfy the patterns our schemas use. */
function stringFor(schema: Json): string {
  const example = typeof schema.description === 'string' ? /e\.g\. ([A-Za-z][\w-]*)/i.exec(schema.description)?.[1] : undefined;
  if (example && !schema.pattern) return example;
  if (schema.format === 'date') return '2026-05-04';
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern) : undefined;
  const candidates = ['2026-05-04', '06:30', 'i1001', '1001', '4:30', '4:30/km', 'x'.repeat(Math.max(1, Number(schema.minLength ?? 1)))];
  const found = candidates.find(
    (c) => (!pattern || pattern.test(c)) && c.length >= Number(schema.minLength ?? 0) && c.length <= Number(schema.maxLength ?? Infinity),
  );
  if (!found) throw new Error(`no sample string for pattern ${String(schema.pattern)}`);
  return found;
}

/**
 * Tools whose rule the advertised schema does not state, so a required-only call is still refused
 * with a message naming the fix. Conditional rules are stated with top-level if/then/else
 * (src/mcp/schema-conditions.ts); listed here so the test fails when one is fixed (drop it) or a
 * new one appears.
 */
const STILL_REFUSED: string[] = [];

/**
 * Per-action rules the schema leaves out: these two updates also need one field to change, which
 * would cost a nested rule each in the tools/list budget; the refusal names the fields.
 */
const UNSTATED = ['manage_library update_folder', 'manage_library update_workout'];

/** The tools whose schema states a conditional requirement. */
const CONDITIONAL = [
  'delete_events',
  'manage_library',
  'project_fitness',
  'update_activity',
  'update_event',
  'update_gear',
  'update_sport_settings',
  'update_wellness',
  'write_activity',
];

describe('a call with only the schema-required fields is accepted', () => {
  it('every tool', async () => {
    const tools = await suite.connect();
    const { tools: listed } = await tools.client.listTools();
    const refused: string[] = [];
    for (const tool of listed) {
      const args = simplest(tool.inputSchema as Json) as Json;
      let text: string;
      try {
        const r = await tools.call(tool.name, args);
        text = r.isError ? textOf(r) : '';
      } catch (err) {
        text = `protocol error: ${(err as Error).message}`;
      }
      // Our own checks and the SDK's schema check; "No folder 1" is a lookup of an id the stand-in lacks, like a 404,
      // and "before the athlete's today" is about the sample date (in the samples' 2026-05), not about a missing field.
      if (/^Invalid input(?!: No folder|: .* before the athlete's today)|protocol error|Input validation error/.test(text))
        refused.push(`${tool.name} ${JSON.stringify(args)} → ${text.split('\n')[0]}`);
    }
    expect(refused).toEqual([]);
    expect(refused.map((line) => line.split(' ')[0])).toEqual(STILL_REFUSED);
  });

  // A chain keyed on an enum (an `action`) claims what each value needs: check every value, not
  // only the first one simplest() picks.
  it('every action of a tool with per-action requirements gets past our checks', async () => {
    const tools = await suite.connect();
    const { tools: listed } = await tools.client.listTools();
    const refused: string[] = [];
    for (const tool of listed) {
      const schema = tool.inputSchema as Json;
      const key = Object.keys(((schema.if as Json | undefined)?.properties ?? {}) as Json)[0];
      const values = key ? (((schema.properties as Record<string, Json>)[key]?.enum ?? []) as string[]) : [];
      for (const value of values) {
        const props = { ...(schema.properties as Record<string, Json>), [key!]: { const: value } };
        const args = simplest({ ...schema, properties: props }) as Json;
        const r = await tools.call(tool.name, args);
        // Value checks are not missing fields: the simplest interval (1..1 s) ends where it starts.
        if (r.isError && /^Invalid input(?!: No folder|: An interval ends at or before)/.test(textOf(r)))
          refused.push(`${tool.name} ${value}`);
      }
    }
    expect(refused).toEqual(UNSTATED);
  });

  // The other direction: each condition stands for a rule the tool really has. The same call with
  // only the unconditional `required` fields is refused, naming what is missing.
  it('leaving out what a condition requires is refused', async () => {
    const tools = await suite.connect();
    const { tools: listed } = await tools.client.listTools();
    const conditional = listed.filter((t) => 'if' in (t.inputSchema as Json));
    expect(conditional.map((t) => t.name).sort()).toEqual(CONDITIONAL);
    const accepted: string[] = [];
    for (const tool of conditional) {
      const schema = tool.inputSchema as Json;
      const args = simplest({ type: 'object', properties: schema.properties, required: schema.required }) as Json;
      const r = await tools.call(tool.name, args);
      if (!(r.isError && /^Invalid input/.test(textOf(r))))
        accepted.push(`${tool.name} ${JSON.stringify(args)} → ${textOf(r).split('\n')[0]}`);
    }
    expect(accepted).toEqual([]);
  });
});
