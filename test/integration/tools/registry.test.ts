import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { READ_SCOPE, WRITE_SCOPE } from '../../../src/mcp/context.js';
import { TOOL_SCOPES } from '../../../src/mcp/server.js';
import { startFakeIntervals, type FakeIntervals } from '../../fakes/intervals/index.js';
import { connectTools, type ToolHarness } from '../../support/mcp-tools.js';

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
      expect(t.annotations).toMatchObject({ readOnlyHint: expect.any(Boolean), destructiveHint: expect.any(Boolean), idempotentHint: expect.any(Boolean), openWorldHint: true });
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
});
