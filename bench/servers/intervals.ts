import { writeFileSync } from 'node:fs';
import { FakeIntervals, startFakeIntervals, type FakeAthlete } from '../../test/fakes/intervals/index.js';
import { benchAthlete } from '../lib/athletes.js';

/**
 * The Intervals.icu stand-in as its own process for the benchmark, answering at once. It runs
 * pinned next to the load generator, so its work is not charged to server (c). Many athletes,
 * one per OAuth connect, so every benchmark person links their own. Writes its base URL to
 * BENCH_URL_FILE once listening.
 */
const count = Number(process.env.BENCH_ATHLETES ?? '2000');
const athletes: FakeAthlete[] = Array.from({ length: count }, (_, i) => ({
  ...benchAthlete(i),
  oauthToken: `bench-oauth-${i}-0123456789`,
  oauthScopes: ['ACTIVITY:READ', 'WELLNESS:READ', 'CALENDAR:READ'],
  coachOf: [],
}));

const fake: FakeIntervals = await startFakeIntervals(athletes);
// The stand-in records every request for test assertions; under load that would only grow.
setInterval(() => (fake.requests.length = 0), 1000).unref();
writeFileSync(process.env.BENCH_URL_FILE!, fake.url);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
