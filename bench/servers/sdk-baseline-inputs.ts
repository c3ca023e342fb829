import { readFileSync } from 'node:fs';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { z } from 'zod';

/**
 * What the two SDK baselines, (b) and (b2), are given by the benchmark (bench/lib/baselines.ts):
 * the tools (c) lists, the result (c) answered, and the key and claims their tokens are checked
 * against.
 */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export const tools = JSON.parse(readFileSync(process.env.BENCH_TOOLS!, 'utf8')) as ListedTool[];
export const callResult = JSON.parse(readFileSync(process.env.BENCH_CALL_RESULT!, 'utf8')) as { content: { type: 'text'; text: string }[] };
export const jwks = createLocalJWKSet(JSON.parse(process.env.BENCH_JWKS!) as JSONWebKeySet);
export const issuer = process.env.BENCH_ISSUER!;
export const audience = process.env.BENCH_AUDIENCE!;

/**
 * A tool's conditional requirements (if/then/else, e.g. "an id, or a date range") are dropped:
 * zod's fromJSONSchema cannot build them, and a hand-written server would check them in its handler.
 * What stays (properties, types, required) is what the baselines validate.
 */
function withoutConditions(schema: Record<string, unknown>): Record<string, unknown> {
  const { if: _if, then: _then, else: _else, ...rest } = schema;
  return rest;
}

// Zod schemas are built once per process, as a hand-written server would declare them at module level.
export const schemas = new Map(
  tools.map((t) => [t.name, z.fromJSONSchema(withoutConditions(t.inputSchema) as Parameters<typeof z.fromJSONSchema>[0]) as z.ZodObject]),
);
