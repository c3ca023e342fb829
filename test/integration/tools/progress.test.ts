import { describe, expect, it } from '@jest/globals';
import type { Progress } from '@modelcontextprotocol/client';
import { PROGRESS_EVERY_MS } from '../../../src/mcp/tool-binding.js';
import { useToolSuite } from '../../support/tool-suite.js';

/**
 * A slow tool call that carries a progress token hears notifications/progress while it runs (hosts
 * restart their timeout on each); one without a token keeps the fast lane's single JSON answer.
 * The stand-in is made slow on the one request the tool waits for longest.
 */
const suite = useToolSuite();
const SLOW_MS = 2_600;

describe('progress notifications for slow tools', () => {
  it.each([
    ['get_training_summary', { days: 14 }, { method: 'GET', path: '/athlete/i1001/activities' }],
    [
      'search_intervals',
      { min_secs: 60, max_secs: 600, type: 'POWER', min_intensity: 90, max_intensity: 130 },
      { method: 'GET', path: '/athlete/i1001/activities/interval-search' },
    ],
  ])('%s: notifications about every second while Intervals.icu is slow, then the answer', async (tool, args, slow) => {
    const tools = await suite.connect();
    suite.fake.inject(slow, { delayMs: SLOW_MS });
    const heard: Progress[] = [];
    const r = await tools.client.callTool(
      { name: tool, arguments: args },
      { onprogress: (p) => heard.push(p), resetTimeoutOnProgress: true },
    );
    suite.fake.clearFaults();
    expect(r.isError).not.toBe(true);
    // 2.6 s of waiting at one per PROGRESS_EVERY_MS: two beats (a loaded machine may squeeze a third in).
    expect(heard.length).toBeGreaterThanOrEqual(Math.floor(SLOW_MS / PROGRESS_EVERY_MS));
    expect(heard.map((p) => p.progress)).toEqual(heard.map((_, i) => i + 1));
    expect(heard[0]!.message).toBe(`${tool}: still working (1 s)`);
    expect(suite.fake.requestsTo(slow.method, slow.path)).toHaveLength(1);
  });

  it('a fast call with a progress token answers without notifications', async () => {
    const tools = await suite.connect();
    const heard: Progress[] = [];
    const r = await tools.client.callTool({ name: 'get_athlete', arguments: {} }, { onprogress: (p) => heard.push(p) });
    expect(r.isError).not.toBe(true);
    expect(heard).toEqual([]);
  });
});
