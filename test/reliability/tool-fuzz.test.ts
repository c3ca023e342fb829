import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ProtocolError, ProtocolErrorCode, type CallToolResult } from '@modelcontextprotocol/client';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { connectTools, type ToolHarness } from '../support/mcp-tools.js';
import { TEST_STORE } from '../support/store.js';
import { argumentsFor, type JsonSchema } from './support/schema-arbitrary.js';

/**
 * Property-based fuzzing of every tool's arguments, driven by the JSON Schema each tool
 * publishes: whatever a model sends, the answer is a result or an "invalid params" error — never
 * an internal failure, a crashed handler, an unhandled rejection, or a secret in the text.
 * The registry does not touch the store, so this runs once (on the PostgreSQL pass).
 * RELIABILITY_FUZZ_RUNS raises the number of cases per tool (default 40).
 */
const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? '40');
const describeOnce = TEST_STORE === 'postgres' ? describe : describe.skip;

/** Signs of a handler that crashed instead of answering with a next step. */
const CRASH = /Error \(internal\)|Cannot read propert|is not a function|is not iterable|undefined is not|\bat .+\.(?:js|ts):\d+/;

describeOnce('tool arguments, fuzzed', () => {
  let fake: FakeIntervals;
  let h: ToolHarness;
  let tools: { name: string; inputSchema: JsonSchema }[];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    fake = await startFakeIntervals();
    h = await connectTools({ fake });
    tools = (await h.client.listTools()).tools as typeof tools;
  });
  afterAll(async () => {
    await h.close();
    await fake.close();
    process.off('unhandledRejection', onRejection);
  });

  const secrets = () => fake.athletes.flatMap((a) => [a.apiKey, a.oauthToken, Buffer.from(`API_KEY:${a.apiKey}`).toString('base64')]);

  it('lists at least one tool to fuzz', () => {
    expect(tools.length).toBeGreaterThan(0);
  });

  it('answers every generated call with a result or invalid params, no crash and no secret', async () => {
    const problems: string[] = [];
    let calls = 0;
    const passed = new Map<string, number>();
    for (const tool of tools) {
      await fc.assert(
        fc.asyncProperty(argumentsFor(tool.inputSchema), async (args) => {
          calls += 1;
          let text: string;
          try {
            const r = (await h.client.request(
              { method: 'tools/call', params: { name: tool.name, arguments: args as Record<string, unknown> } },
              { timeout: 20_000 },
            )) as CallToolResult;
            text = JSON.stringify(r);
          } catch (err) {
            if (err instanceof ProtocolError && err.code === ProtocolErrorCode.InvalidParams) return;
            problems.push(`${tool.name}(${JSON.stringify(args).slice(0, 300)}) threw ${String(err).slice(0, 300)}`);
            return;
          }
          if (!text.includes('Input validation error')) passed.set(tool.name, (passed.get(tool.name) ?? 0) + 1);
          if (CRASH.test(text)) problems.push(`${tool.name}(${JSON.stringify(args).slice(0, 300)}) crashed: ${text.slice(0, 400)}`);
          for (const s of secrets()) if (text.includes(s)) problems.push(`${tool.name} echoed a credential`);
        }),
        { numRuns: RUNS, interruptAfterTimeLimit: 60_000 },
      );
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(rejections).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(tools.length);
    // Generated arguments must get past validation into every tool, or the fuzzing proves little.
    expect(tools.map((t) => t.name).filter((t) => !passed.has(t))).toEqual([]);
  }, 300_000);
});
