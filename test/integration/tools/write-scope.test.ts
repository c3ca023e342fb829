import { describe, expect, it } from '@jest/globals';
import { SAMPLE_ARGS } from '../../../scripts/tool-sizes.js';
import { READ_SCOPE, WRITE_SCOPE } from '../../../src/mcp/context.js';
import { ALL_TOOLS } from '../../../src/mcp/tools/index.js';
import { textOf } from '../../support/mcp-tools.js';
import { useToolSuite } from '../../support/tool-suite.js';

/**
 * Every tool that changes Intervals.icu needs intervals:write: a read-only connection gets
 * insufficient_scope and not one request reaches Intervals.icu. Arguments are the valid sample
 * calls of `npm run tool-sizes`, so the refusal is the scope check and not input validation.
 */
const suite = useToolSuite();
const writeTools = ALL_TOOLS.filter((t) => t.scope === WRITE_SCOPE).map((t) => t.name);

describe('write tools need intervals:write', () => {
  it('the registry marks every non-read-only tool as a write tool', () => {
    const mismatched = ALL_TOOLS.filter((t) => t.annotations.readOnlyHint === (t.scope === WRITE_SCOPE)).map((t) => t.name);
    expect(mismatched).toEqual([]);
    expect(writeTools.length).toBeGreaterThanOrEqual(12);
  });

  it.each(writeTools)('%s is refused on a read-only connection before any upstream call', async (name) => {
    const spec = SAMPLE_ARGS[name] ?? {};
    const args = typeof spec === 'function' ? await spec(await suite.connect()) : spec;
    const readOnly = await suite.connect({ scopes: [READ_SCOPE] });
    suite.fake.requests.length = 0;
    const r = await readOnly.call(name, args);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain(`Error (insufficient_scope): ${name} needs the intervals:write permission`);
    expect(suite.fake.requests).toHaveLength(0);
  });
});
