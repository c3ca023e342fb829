import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { TOOL_SCOPES } from '../../src/mcp/server.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Tools'), readme.indexOf('\n## ', readme.indexOf('## Tools') + 1));
const rows = [...section.matchAll(/^\| [^|]* \| `([a-z_]+)` \| [^|]+ \| (read|write) \|$/gm)].map((m) => [m[1]!, m[2]!] as const);

describe('README tool table', () => {
  it('lists exactly the registered tools, each with the scope it needs', () => {
    expect(rows.map(([name]) => name).sort()).toEqual([...TOOL_SCOPES.keys()].sort());
    for (const [name, scope] of rows) expect(`intervals:${scope}`).toBe(TOOL_SCOPES.get(name));
  });
});
