import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The request and answer bytes every server sees. Requests are the same for all three servers;
 * the answers (c) gives define what (a) returns verbatim and what (b)'s tools return, so the
 * three differ only in the work behind the answer.
 */
export interface Fixtures {
  callRequest: string;
  listRequest: string;
  /** HTTP bodies (c) answered, for (a). */
  fixedCall: string;
  fixedList: string;
  /** The `tools` array of (c)'s tools/list, for (b). */
  tools: string;
  /** The `result` of (c)'s tools/call, for (b). */
  callResult: string;
}

export interface BenchCall {
  tool: string;
  args: Record<string, unknown>;
}

export function jsonRpc(method: string, params: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
}

export function requestBodies(call: BenchCall): { call: string; list: string } {
  return { call: jsonRpc('tools/call', { name: call.tool, arguments: call.args }), list: jsonRpc('tools/list', {}) };
}

/** Writes the fixture files into `dir` and returns their paths. */
export function writeFixtures(dir: string, f: Fixtures): Record<keyof Fixtures, string> {
  const out = {} as Record<keyof Fixtures, string>;
  for (const [k, v] of Object.entries(f) as [keyof Fixtures, string][]) {
    const file = join(dir, `fixture-${k}.json`);
    writeFileSync(file, v);
    out[k] = file;
  }
  return out;
}

/**
 * Without server (c) (e.g. `--servers a,b`), a stand-in answer of about the size of a typical
 * activities listing (~2 KB of text), so (a) and (b) can still be compared.
 */
export function syntheticFixtures(call: BenchCall): Fixtures {
  const text = JSON.stringify(
    Array.from({ length: 8 }, (_, i) => ({
      id: `i${1000 + i}`,
      name: `Morning ride ${i}`,
      type: 'Ride',
      start_date_local: '2026-11-20T07:00:00',
      moving_time: 3600 + i,
      icu_training_load: 60 + i,
    })),
  );
  const result = { content: [{ type: 'text', text }] };
  const tools = [
    {
      name: call.tool,
      description: 'List activities in a date range.',
      inputSchema: { type: 'object', properties: { oldest: { type: 'string' }, newest: { type: 'string' } } },
    },
  ];
  const req = requestBodies(call);
  return {
    callRequest: req.call,
    listRequest: req.list,
    fixedCall: JSON.stringify({ result, jsonrpc: '2.0', id: 1 }),
    fixedList: JSON.stringify({ result: { tools }, jsonrpc: '2.0', id: 1 }),
    tools: JSON.stringify(tools),
    callResult: JSON.stringify(result),
  };
}
