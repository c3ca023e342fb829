import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import type { FakeIntervals } from '../fakes/intervals/index.js';
import { connectTools, type HarnessOptions, type ToolHarness } from './mcp-harness.js';
import { useToolSuite } from './tool-suite.js';

export * from './mcp-harness.js';

/**
 * The setup of a tool test file that reads as one session: the suite's stand-in (useToolSuite)
 * plus one harness for the whole file, so the read cache carries over between tests like in a
 * real conversation; the request log and faults are cleared before each test.
 * Use as `const s = toolSuite();` then `s.fake`, `s.h` inside tests.
 */
export function toolSuite(opts: Omit<HarnessOptions, 'fake'> = {}): { readonly fake: FakeIntervals; readonly h: ToolHarness } {
  const suite = useToolSuite();
  let h: ToolHarness | undefined;
  beforeAll(async () => {
    h = await connectTools({ ...opts, fake: suite.fake });
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => {
    suite.fake.requests.length = 0;
    suite.fake.clearFaults();
  });
  return {
    get fake() {
      return suite.fake;
    },
    get h() {
      if (!h) throw new Error('the harness connects in beforeAll; use s.h inside tests');
      return h;
    },
  };
}
