import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { READ_SCOPE, WRITE_SCOPE } from '../../../src/mcp/context.js';
import { TOOL_SCOPES } from '../../../src/mcp/server.js';
import { startFakeIntervals, type FakeIntervals } from '../../fakes/intervals/index.js';
import { connectTools, textOf, type ToolHarness } from '../../support/mcp-tools.js';

let fake: FakeIntervals;
let h: ToolHarness;

beforeAll(async () => {
  fake = await startFakeIntervals();
  h = await connectTools({ fake });
});
afterAll(async () => {
  await h.close();
  await fake.close();
});

describe('tool registry', () => {
  it('lists every tool with title, description, annotations, input and output schema', async () => {
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_SCOPES.keys()].sort());
    for (const t of tools) {
      expect(t.title).toEqual(expect.any(String));
      expect(t.description!.length).toBeGreaterThan(60);
      // check_workout reads text it is given and calls nothing: the one closed-world tool.
      const openWorldHint = t.name !== 'check_workout';
      expect(t.annotations).toMatchObject({ readOnlyHint: expect.any(Boolean), destructiveHint: expect.any(Boolean), idempotentHint: expect.any(Boolean), openWorldHint });
      expect(t.inputSchema.properties).toHaveProperty('format');
      expect(t.outputSchema?.type).toBe('object');
    }
  });

  it('marks read-only tools with the read scope and writes with the write scope', () => {
    for (const [name, scope] of TOOL_SCOPES) expect([READ_SCOPE, WRITE_SCOPE]).toContain(scope);
    expect(TOOL_SCOPES.get('get_athlete')).toBe(READ_SCOPE);
  });

  it('answers tools/list from a cache: the same objects every time', async () => {
    const a = await h.client.listTools();
    const b = await h.client.listTools();
    expect(b).toEqual(a);
  });

  // POST /mcp answers well-formed calls without the SDK (src/mcp/direct-tool-calls.ts); a client
  // must not be able to tell which path answered.
  it('the direct tools/call path answers exactly what the SDK answers', async () => {
    const calls: Array<[string, Record<string, unknown>]> = [
      ['get_athlete', {}],
      ['get_activities', { oldest: '2026-09-01', newest: '2026-09-30' }],
      ['get_activities', { oldest: '2026-09-01', newest: '2026-09-30', format: 'json' }],
      ['get_activities', { oldest: '2026-09-01', newest: '2026-09-30', not_an_argument: 1 }],
      ['get_wellness', { oldest: '2026-09-01', newest: '2026-09-07' }],
      ['get_activity', { activity_id: 'i999999999' }],
    ];
    for (const [name, args] of calls) {
      const viaSdk = await h.client.callTool({ name, arguments: args });
      const direct = h.direct({ name, arguments: args }, {});
      expect(direct).toBeDefined();
      expect(await direct).toEqual(viaSdk);
    }
  });

  it('leaves to the SDK every call it does not take, so its errors keep the SDK wording', async () => {
    const untaken: unknown[] = [
      { name: 'no_such_tool', arguments: {} },
      { name: 'get_activities', arguments: { oldest: 'last week' } },
      { name: 'get_activities', arguments: [1, 2] },
      { name: 'get_athlete', arguments: {}, task: { ttl: 1000 } },
      { arguments: {} },
      null,
    ];
    for (const params of untaken) expect(h.direct(params, {})).toBeUndefined();
    const invalid = await h.call('get_activities', { oldest: 'last week' });
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toMatch(/Input validation error: Invalid arguments for tool get_activities: use YYYY-MM-DD/);
  });
});
