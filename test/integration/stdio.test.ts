import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { ROOT } from '../support/process.js';
import { connectStdio } from '../support/stdio-client.js';
import { textOf } from '../support/mcp-tools.js';
import type { Toolset } from '../../src/mcp/tool.js';
import { toolsFor } from '../../src/mcp/toolsets.js';

let fake: FakeIntervals;
beforeAll(async () => {
  fake = await startFakeIntervals();
});
afterAll(async () => {
  await fake.close();
});

const connect = connectStdio;

describe('stdio mode (one athlete, no database)', () => {
  it('`npm run stdio` with ATHLETE_ID, API_KEY and INTERVALS_API_BASE_URL serves the tools', async () => {
    const ann = fake.athlete('i1001');
    const { client, stderr } = await connect('npm', ['run', 'stdio'], {
      ATHLETE_ID: ann.id,
      API_KEY: ann.apiKey,
      INTERVALS_API_BASE_URL: fake.url,
    });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['get_athlete', 'get_activities', 'update_wellness']));
      const r = (await client.callTool({ name: 'get_athlete', arguments: {} })) as CallToolResult;
      expect(r.structuredContent).toMatchObject({ id: 'i1001' });
      expect(fake.requestsTo('GET', '/athlete/i1001').at(-1)).toMatchObject({ auth: 'basic', caller: 'i1001' });
      // Write tools are available: the person runs it with their own key.
      const w = (await client.callTool({ name: 'update_wellness', arguments: { date: '2026-09-12', weight_kg: 70.2 } })) as CallToolResult;
      expect(w.isError).toBeFalsy();
      // Logs go to stderr and never carry the key.
      expect(stderr()).toContain('stdio server ready');
      expect(stderr()).not.toContain(ann.apiKey);
    } finally {
      await client.close();
    }
  });

  it('the compiled entry keeps stdout clean (no stray lines for the client to choke on); ATHLETE_ID defaults to 0', async () => {
    const ben = fake.athlete('i2002');
    const { client, errors } = await connect(process.execPath, ['dist/src/stdio.js'], {
      API_KEY: ben.apiKey,
      INTERVALS_API_BASE_URL: fake.url,
    });
    try {
      const r = (await client.callTool({ name: 'get_athlete', arguments: {} })) as CallToolResult;
      expect(r.structuredContent).toMatchObject({ id: 'i2002' });
      expect(fake.requestsTo('GET', '/athlete/0').at(-1)).toMatchObject({ caller: 'i2002' });
      expect(errors).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('a wrong key gives a tool error that points at the MCP client configuration', async () => {
    const { client } = await connect(process.execPath, ['dist/src/stdio.js'], {
      ATHLETE_ID: 'i1001',
      API_KEY: 'not-the-right-key-123',
      INTERVALS_API_BASE_URL: fake.url,
    });
    try {
      const r = (await client.callTool({ name: 'get_athlete', arguments: {} })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain(
        'check API_KEY (Intervals.icu → Settings → Developer Settings) and ATHLETE_ID in your MCP client configuration',
      );
      expect(textOf(r)).not.toContain('not-the-right-key-123');
    } finally {
      await client.close();
    }
  });

  it('refuses to start without API_KEY and says which variable is missing', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['dist/src/stdio.js'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ATHLETE_ID: 'i1001' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('API_KEY is required for stdio mode');
  });

  it('core only by default; TOOLSETS and --toolsets add sets, the flag winning; a call outside them names the setting', async () => {
    const ann = fake.athlete('i1001');
    const env = { ATHLETE_ID: ann.id, API_KEY: ann.apiKey, INTERVALS_API_BASE_URL: fake.url };
    const cases: [string[], Record<string, string>, readonly Toolset[]][] = [
      [[], {}, ['core']],
      [[], { TOOLSETS: 'planning, coach' }, ['planning', 'coach']],
      [['--toolsets', 'analysis'], { TOOLSETS: 'planning' }, ['analysis']],
      [['--toolsets=all'], {}, ['planning', 'coach', 'analysis']],
    ];
    for (const [args, extra, sets] of cases) {
      const { client } = await connect(process.execPath, ['dist/src/stdio.js', ...args], { ...env, ...extra });
      try {
        expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(
          toolsFor(sets)
            .map((t) => t.name)
            .sort(),
        );
      } finally {
        await client.close();
      }
    }
    const { client } = await connect(process.execPath, ['dist/src/stdio.js'], env);
    try {
      expect(client.getInstructions()).toContain(
        'ask the person to turn it on by adding it to TOOLSETS (or --toolsets) in the MCP client configuration and restarting the server.',
      );
    } finally {
      await client.close();
    }
  });

  it('an unknown set name stops the start, naming the setting and the real sets', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['dist/src/stdio.js', '--toolsets', 'planning,coaches'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', API_KEY: 'some-key-123456' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--toolsets: Unknown tool set: coaches. Choose from core, planning, coach, analysis (core is always on).');
  });
});
