import { afterAll, afterEach, beforeAll, expect } from '@jest/globals';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { connectTools, textOf, type HarnessOptions, type ToolHarness } from './mcp-harness.js';

/**
 * The hooks every tool test file needs: one Intervals.icu stand-in per file (its state carries
 * over between tests, like a real account), one MCP harness per test, closed after it.
 */
export interface ToolSuite {
  readonly fake: FakeIntervals;
  connect(opts?: Omit<HarnessOptions, 'fake'>): Promise<ToolHarness>;
}

export function useToolSuite(): ToolSuite {
  let fake: FakeIntervals | undefined;
  const open: ToolHarness[] = [];
  beforeAll(async () => {
    fake = await startFakeIntervals();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });
  afterAll(async () => {
    await fake?.close();
  });
  return {
    get fake() {
      if (!fake) throw new Error('the stand-in starts in beforeAll; use suite.fake inside tests');
      return fake;
    },
    async connect(opts = {}) {
      const h = await connectTools({ fake: this.fake, ...opts });
      open.push(h);
      return h;
    },
  };
}

/** The call is refused with `message` and Intervals.icu is not called at all. */
export async function expectRefusedUntouched(
  suite: ToolSuite,
  name: string,
  args: Record<string, unknown>,
  message: string,
  opts?: Omit<HarnessOptions, 'fake'>,
): Promise<void> {
  const tools = await suite.connect(opts);
  suite.fake.requests.length = 0;
  const r = await tools.call(name, args);
  expect(r.isError).toBe(true);
  expect(textOf(r)).toContain(message);
  expect(suite.fake.requests).toHaveLength(0);
}
