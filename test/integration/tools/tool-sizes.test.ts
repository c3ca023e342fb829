import { describe, expect, it } from '@jest/globals';
import { LIMIT_BYTES, measureToolSizes } from '../../../scripts/tool-sizes.js';
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
});
