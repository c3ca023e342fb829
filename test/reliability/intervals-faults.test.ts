import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeIntervals, type FakeAthlete, type Fault } from '../fakes/intervals/index.js';
import { startLoad } from './support/load.js';
import { startReliableService, type ReliableService } from './support/service.js';

/**
 * Intervals.icu misbehaving for one person — slow, 500, 429, connections reset — must give that
 * person a clear `isError` tool result within the timeout, while everybody else keeps getting
 * quick answers from the same server.
 */
const TIMEOUT_MS = 1_500;
/** Timeout plus the client's retries with back-off: the most a failing call may take. */
const WORST_CASE_MS = 12_000;

function athlete(n: number): FakeAthlete {
  return {
    id: `i${5000 + n}`,
    name: `Fault Athlete ${n}`,
    apiKey: `fault-key-${n}-0a1b2c3d`,
    oauthToken: `fault-oauth-${n}`,
    oauthScopes: [],
    coachOf: [],
  };
}

const CASES: [string, Fault, RegExp][] = [
  ['slower than the timeout', { delayMs: 20_000 }, /time|slow|respond/i],
  ['answering 500', { status: 500, body: { status: 500, error: 'Internal Server Error' } }, /Intervals\.icu/],
  [
    'answering 429 with Retry-After',
    { status: 429, body: { status: 429, error: 'Too Many Requests' }, headers: { 'Retry-After': '30' } },
    /rate|many|limit|later/i,
  ],
  ['resetting the connection', { reset: true }, /Intervals\.icu|connect|reach/i],
];

describe('Intervals.icu faults', () => {
  let svc: ReliableService;
  const bystander = athlete(0);
  let bystanderToken: string;

  beforeAll(async () => {
    const fake = await startFakeIntervals(Array.from({ length: CASES.length + 1 }, (_, i) => athlete(i)));
    svc = await startReliableService({ fake, env: { INTERVALS_TIMEOUT_MS: String(TIMEOUT_MS), RATE_LIMIT_PER_HOUR: '100000' } });
    bystanderToken = (await svc.connect('bystander@example.com', bystander)).accessToken;
  });
  afterAll(async () => {
    await svc?.close();
    await svc?.fake.close();
  });

  it.each(CASES.map((c, i) => [...c, i + 1] as const))(
    'Intervals.icu %s → a clear isError result in time; others unaffected',
    async (_name, fault, says, n) => {
      const victim = athlete(n);
      const token = (await svc.connect(`victim-${n}@example.com`, victim)).accessToken;
      svc.fake.inject({ path: new RegExp(`^/athlete/${victim.id}`) }, fault, 100);

      const others = startLoad(() => svc.callTool(bystanderToken, 'get_athlete', {}, { timeoutMs: 5_000 }), {
        workers: 2,
        maxRequests: 400,
        maxMs: WORST_CASE_MS + 2_000,
        pauseMs: 25,
      });
      const t0 = Date.now();
      const r = await svc.callTool(token, 'get_athlete', {}, { timeoutMs: WORST_CASE_MS + 5_000 });
      const took = Date.now() - t0;
      // Fast failures (a 429 is not retried for long) still get a second of bystander traffic around them.
      await new Promise((res) => setTimeout(res, Math.max(0, 1_000 - took)));
      const seen = await others.stop();
      svc.fake.clearFaults();

      expect(r.status).toBe(200);
      expect(r.json?.result?.isError).toBe(true);
      const text = r.json?.result?.content?.[0]?.text ?? '';
      expect(text).toMatch(says);
      expect(text).toMatch(/Next step/i);
      expect(text).not.toContain(victim.apiKey);
      expect(took).toBeLessThan(WORST_CASE_MS);

      expect(seen.length).toBeGreaterThanOrEqual(5);
      for (const o of seen) {
        expect(o.error).toBeUndefined();
        expect(o.value?.status).toBe(200);
        expect(o.value?.json?.result?.isError).not.toBe(true);
      }
      const slowest = Math.max(...seen.map((o) => o.ms));
      expect(slowest).toBeLessThan(2_000);
      expect(svc.alive()).toBe(true);
    },
    60_000,
  );
});
