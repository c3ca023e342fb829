import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { checkApiKey, fetchAthlete, LinkCheckError } from '../../src/accounts/intervals-check.js';
import { DEFAULT_USER_AGENT } from '../../src/intervals/client.js';
import { parseLinkInput } from '../../src/accounts/link-input.js';
import { freePort } from '../support/process.js';
import { defaultAthletes, startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { notFound } from '../fakes/intervals/server.js';

// Ann (i1001) coaches Ben (i2002); Ben cannot see Ann.
const [ANN, BEN] = defaultAthletes() as [ReturnType<typeof defaultAthletes>[number], ReturnType<typeof defaultAthletes>[number]];

describe('Intervals.icu live check (against the stand-in over real HTTP)', () => {
  let fake: FakeIntervals;
  beforeAll(async () => {
    fake = await startFakeIntervals();
  });
  afterAll(async () => {
    await fake.close();
  });
  const deps = () => ({ baseUrl: fake.url, timeoutMs: 2_000 });

  it('athlete 0 resolves to the key owner, the real id comes back, and a coach may link a coached athlete', async () => {
    expect(await checkApiKey(deps(), { athleteId: '0', apiKey: ANN.apiKey })).toEqual({ athleteId: 'i1001', athleteName: 'Ann Example' });
    expect(await checkApiKey(deps(), { athleteId: '2002', apiKey: BEN.apiKey })).toEqual({
      athleteId: 'i2002',
      athleteName: 'Ben Example',
    });
    expect(await checkApiKey(deps(), { athleteId: 'i2002', apiKey: ANN.apiKey })).toEqual({
      athleteId: 'i2002',
      athleteName: 'Ben Example',
    });
    const sent = fake.requestsTo('GET', '/athlete/0').at(-1)!;
    expect(sent).toMatchObject({ auth: 'basic', caller: 'i1001' });
    expect(sent.userAgent).toBe(DEFAULT_USER_AGENT);
  });

  it.each([
    [
      'wrong key (401)',
      { athleteId: 'i1001', apiKey: 'wrongkey0123456789' },
      'intervals_rejected_key',
      /rejected this API key for athlete i1001/,
    ],
    ["someone else's athlete (403)", { athleteId: 'i1001', apiKey: BEN.apiKey }, 'intervals_rejected_key', /yours or one you coach/],
    ['unknown athlete (404)', { athleteId: 'i9999', apiKey: ANN.apiKey }, 'intervals_unknown_athlete', /has no athlete i9999/],
  ])('%s gets its own message', async (_label, input, code, message) => {
    fake.inject({ path: '/athlete/i9999' }, { status: 404, body: notFound('/athlete/i9999').body });
    const err = await checkApiKey(deps(), input).catch((e: unknown) => e);
    fake.clearFaults();
    expect(err).toBeInstanceOf(LinkCheckError);
    expect(err).toMatchObject({ code, status: 400 });
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain(input.apiKey);
  });

  it('Intervals.icu down (closed port) → unreachable, 502', async () => {
    const port = await freePort();
    const err = await fetchAthlete({ baseUrl: `http://127.0.0.1:${port}/api/v1`, timeoutMs: 2_000 }, '0', {
      kind: 'api_key',
      apiKey: 'x'.repeat(20),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'intervals_unreachable', status: 502 });
    expect((err as Error).message).toMatch(/could not reach Intervals.icu \(ECONNREFUSED\)/);
  });

  it('our own name lookup fails (a .invalid host never resolves) → says the problem is ours, not Intervals.icu being down', async () => {
    const err = await fetchAthlete({ baseUrl: 'http://intervals.invalid/api/v1', timeoutMs: 5_000 }, '0', {
      kind: 'api_key',
      apiKey: 'x'.repeat(20),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'intervals_dns_failed', status: 502 });
    expect((err as Error).message).toMatch(
      /^This service could not look up the address of Intervals.icu \((ENOTFOUND|EAI_AGAIN)\): a name-lookup problem on our side, not at Intervals.icu\. Nothing was saved\./,
    );
    expect((err as Error).message).not.toMatch(/may be down/);
  });

  it('Intervals.icu slow → timeout after the configured time, 504', async () => {
    fake.inject({ path: '/athlete/0' }, { delayMs: 1_500 });
    const started = Date.now();
    const err = await checkApiKey({ baseUrl: fake.url, timeoutMs: 300 }, { athleteId: '0', apiKey: ANN.apiKey }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'intervals_timeout', status: 504 });
    expect(Date.now() - started).toBeLessThan(1_400);
  });

  it.each([
    [{ athlete_id: '', api_key: 'x'.repeat(20) }, 'athlete_id_missing'],
    [{ athlete_id: '   ', api_key: 'x'.repeat(20) }, 'athlete_id_missing'],
    [{ athlete_id: 'i1'.repeat(20), api_key: 'x'.repeat(20) }, 'athlete_id_too_long'],
    [{ athlete_id: "i12'; DROP", api_key: 'x'.repeat(20) }, 'athlete_id_invalid'],
    [{ athlete_id: 'i1001', api_key: '' }, 'api_key_missing'],
    [{ athlete_id: 'i1001', api_key: 'k'.repeat(129) }, 'api_key_too_long'],
    [{ athlete_id: 'i1001', api_key: 'abc def<script>' }, 'api_key_invalid'],
    [{ athlete_id: 'i1001', api_key: 'abc' }, 'api_key_too_short'],
  ])('validates %j before any network call (%s)', (body, code) => {
    expect(() => parseLinkInput(body)).toThrow(expect.objectContaining({ code, status: 400 }) as unknown as Error);
  });

  it.each([
    ['i123456', 'i123456'],
    [' 123456 ', '123456'],
    ['0', '0'],
    ['https://intervals.icu/athlete/i123456/activities', 'i123456'],
  ])('accepts athlete id %j as %j', (raw, id) => {
    expect(parseLinkInput({ athlete_id: raw, api_key: 'abcdefgh12345' }).athleteId).toBe(id);
  });
});
