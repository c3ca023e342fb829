import { describe, expect, it } from '@jest/globals';
import {
  CORE_LIST_LIMIT_BYTES,
  LIMIT_BYTES,
  LIST_LIMIT_BYTES,
  LIST_TOOL_LIMIT_BYTES,
  measureToolList,
  measureToolSizes,
} from '../../../scripts/tool-sizes.js';
import { ALL_TOOLS } from '../../../src/mcp/tools/index.js';

/** `npm run tool-sizes`, run as a test: every tool's default output on the sample payloads fits 8 KB. */
describe('tool output sizes', () => {
  it('measures every registered tool, none fails and none exceeds 8 KB of text', async () => {
    const sizes = await measureToolSizes();
    expect(sizes.map((s) => s.name).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    expect(sizes.filter((s) => s.error !== null)).toEqual([]);
    const over = sizes.filter((s) => s.textBytes > LIMIT_BYTES).map((s) => `${s.name}: ${s.textBytes} B`);
    expect(over).toEqual([]);
    // A tool that answers with nothing would pass the budget trivially.
    expect(sizes.filter((s) => s.textBytes < 20).map((s) => s.name)).toEqual([]);
  });

  // measureToolSizes lists the tools before calling them, so the SDK client checks every sample
  // structuredContent against the (compacted, looser) advertised outputSchema: the first test covers that.
  it('keeps the tools/list answer within its budget: full set, core toolset and per tool', async () => {
    const list = await measureToolList();
    expect(list.tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    expect(list.totalBytes).toBeLessThanOrEqual(LIST_LIMIT_BYTES);
    expect(list.bySet.core).toBeLessThanOrEqual(CORE_LIST_LIMIT_BYTES);
    // The sets partition the list: their entries add up to the whole (less the shared wrapper).
    const parts = Object.values(list.bySet).reduce((a, b) => a + b, 0);
    expect(parts).toBeGreaterThan(list.totalBytes);
    expect(parts).toBeLessThan(list.totalBytes + 4 * 64);
    expect(list.tools.filter((t) => t.totalBytes > LIST_TOOL_LIMIT_BYTES).map((t) => `${t.name}: ${t.totalBytes} B`)).toEqual([]);
    // Parts add up to less than the whole entry (name, title, annotations make the rest).
    for (const t of list.tools) expect(t.descriptionBytes + t.inputSchemaBytes + t.outputSchemaBytes).toBeLessThan(t.totalBytes);
  });
});
