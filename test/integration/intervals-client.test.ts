import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createIntervalsClient, parseRetryAfter, type IntervalsClientOptions, type UpstreamEvent } from '../../src/intervals/client.js';
import { IntervalsError } from '../../src/intervals/errors.js';
import { ReadCache } from '../../src/intervals/read-cache.js';
import { Throttle } from '../../src/intervals/throttle.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';

let fake: FakeIntervals;
beforeAll(async () => {
  fake = await startFakeIntervals();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.clearFaults();
});

const FAST = new Throttle({ perKeyPerSecond: 1_000, perKeyBurst: 1_000, globalPerSecond: 1_000, globalBurst: 1_000 });

function client(over: Partial<IntervalsClientOptions> = {}, events: UpstreamEvent[] = []) {
  return createIntervalsClient({
    baseUrl: fake.url,
    credentials: { kind: 'api_key', apiKey: fake.athlete('i1001').apiKey },
    timeoutMs: 2_000,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    throttle: FAST,
    cache: false,
    onUpstream: (e) => events.push(e),
    ...over,
  });
}

const ATHLETE = { params: { id: 'i1001' } };

async function caught(p: Promise<unknown>): Promise<IntervalsError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof IntervalsError) return err;
    throw err;
  }
  throw new Error('expected an IntervalsError');
}

describe('Intervals.icu client: retries', () => {
  it.each([429, 500, 502, 503, 504])('retries a GET after %i and succeeds on the next attempt', async (status) => {
    fake.inject({ path: '/athlete/i1001' }, { status }, 1);
    const out = await client().get<{ id: string }>('/athlete/{id}', ATHLETE);
    expect(out.id).toBe('i1001');
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(2);
  });

  it('gives up after maxAttempts and reports the last failure with a next step', async () => {
    fake.inject({ path: '/athlete/i1001' }, { status: 503 }, 5);
    const err = await caught(client().get('/athlete/{id}', ATHLETE));
    expect(err).toMatchObject({ code: 'upstream_error', status: 503 });
    expect(err.nextStep).toMatch(/try again/i);
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(3);
  });

  it('honours Retry-After (seconds) before the next attempt', async () => {
    fake.inject({ path: '/athlete/i1001' }, { status: 429, headers: { 'retry-after': '1' } }, 1);
    const started = Date.now();
    await client().get('/athlete/{id}', ATHLETE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(2);
  });

  it('does not wait for a Retry-After beyond the bound: one call, rate_limited with the wait', async () => {
    fake.inject({ path: '/athlete/i1001' }, { status: 429, headers: { 'retry-after': '120' } }, 1);
    const err = await caught(client().get('/athlete/{id}', ATHLETE));
    expect(err).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: 120 });
    expect(err.nextStep).toContain('Wait 120 seconds');
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(1);
  });

  it('never repeats a POST after a 5xx (it may have been applied), but does after a 429', async () => {
    fake.inject({ method: 'POST' }, { status: 502 }, 1);
    await caught(client().post('/activity/{id}/messages', { params: { id: 'i1' }, body: { content: 'x' } }));
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    fake.requests.length = 0;
    fake.inject({ method: 'POST' }, { status: 429 }, 1);
    fake.inject({ method: 'POST' }, { status: 404 }, 1);
    await caught(client().post('/activity/{id}/messages', { params: { id: 'i1' }, body: { content: 'x' } }));
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('retries a reset connection for GET and reports unreachable when it persists', async () => {
    fake.inject({ path: '/athlete/i1001' }, { reset: true }, 1);
    await client().get('/athlete/{id}', ATHLETE);
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(2);
    fake.requests.length = 0;
    fake.inject({ path: '/athlete/i1001' }, { reset: true }, 3);
    const err = await caught(client().get('/athlete/{id}', ATHLETE));
    expect(err).toMatchObject({ code: 'unreachable', status: 0 });
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(3);
  });
});

describe('Intervals.icu client: timeouts', () => {
  it('aborts a slow answer after timeoutMs, retries, and reports timeout', async () => {
    fake.inject({ path: '/athlete/i1001' }, { delayMs: 3_000 }, 2);
    const events: UpstreamEvent[] = [];
    const started = Date.now();
    const err = await caught(
      client({ timeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 5 } }, events).get('/athlete/{id}', ATHLETE),
    );
    // Two attempts that waited for the answer would take 6 s; aborted ones take ~0.3 s (+ load).
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(err).toMatchObject({ code: 'timeout', status: 0 });
    expect(err.message).toContain('150 ms');
    expect(events.map((e) => e.status)).toEqual(['error', 'error']);
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(2);
  });

  it('a slow answer inside the timeout is just slow', async () => {
    fake.inject({ path: '/athlete/i1001' }, { delayMs: 100 }, 1);
    const out = await client({ timeoutMs: 1_000 }).get<{ id: string }>('/athlete/{id}', ATHLETE);
    expect(out.id).toBe('i1001');
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(1);
  });
});

describe('Intervals.icu client: read cache and coalescing', () => {
  it('coalesces identical concurrent GETs into one upstream call', async () => {
    fake.inject({ path: '/athlete/i1001' }, { delayMs: 100 }, 1);
    const c = client({ cache: new ReadCache() });
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => c.get<{ id: string }>('/athlete/{id}', ATHLETE)));
    expect(results.map((r) => r.id)).toEqual(['i1001', 'i1001', 'i1001', 'i1001', 'i1001']);
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(1);
  });

  it('shares the cache between clients of the same person, not between people', async () => {
    const cache = new ReadCache();
    await client({ cache }).get('/athlete/{id}', ATHLETE);
    await client({ cache }).get('/athlete/{id}', ATHLETE);
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(1);
    const ben = client({ cache, credentials: { kind: 'api_key', apiKey: fake.athlete('i2002').apiKey } });
    await ben.get('/athlete/{id}', { params: { id: 'i2002' } });
    expect(fake.requestsTo('GET', '/athlete/i2002')).toHaveLength(1);
    // Same path, other person: Ben may not read Ann, and must not get Ann's cached answer.
    await caught(ben.get('/athlete/{id}', ATHLETE));
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(2);
  });

  it('a write by the same person clears their cache', async () => {
    const c = client({ cache: new ReadCache() });
    await c.get('/athlete/{id}', ATHLETE);
    await c.get('/athlete/{id}', ATHLETE);
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(1);
    await caught(c.put('/activity/{id}', { params: { id: 'i404' }, body: { name: 'x' } }));
    await c.get('/athlete/{id}', ATHLETE);
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(2);
  });

  it('does not cache failures', async () => {
    fake.inject({ path: '/athlete/i1001' }, { status: 404 }, 1);
    const c = client({ cache: new ReadCache() });
    await caught(c.get('/athlete/{id}', ATHLETE));
    await c.get('/athlete/{id}', ATHLETE);
    expect(fake.requestsTo('GET', '/athlete/i1001')).toHaveLength(2);
  });
});

describe('Intervals.icu client: auth and errors', () => {
  it('sends Basic API_KEY:<key> for keys and Bearer for OAuth tokens', async () => {
    await client().get('/athlete/{id}', ATHLETE);
    const ann = fake.athlete('i1001');
    await client({ credentials: { kind: 'oauth', accessToken: ann.oauthToken, scopes: ann.oauthScopes } }).get('/athlete/{id}', {
      params: { id: '0' },
    });
    expect(fake.requests.map((r) => [r.auth, r.caller, r.path])).toEqual([
      ['basic', 'i1001', '/athlete/i1001'],
      ['bearer', 'i1001', '/athlete/0'],
    ]);
  });

  it.each([
    [401, 'unauthorized', /re-link/],
    [404, 'not_found', /Check the id/],
    [422, 'invalid_request', /parameter/],
    [500, 'upstream_error', /try again/i],
  ])('maps %i to %s with a next step', async (status, code, next) => {
    fake.inject({ path: '/athlete/i1001' }, { status, body: { status, error: "Required request parameter 'type' is not present" } }, 3);
    const err = await caught(client({ relinkHint: 're-link at https://x/account' }).get('/athlete/{id}', ATHLETE));
    expect(err.code).toBe(code);
    expect(err.nextStep).toMatch(next);
  });

  it('a 403 to an OAuth caller missing the area scope names the scope to grant', async () => {
    const ben = fake.athlete('i2002');
    const c = client({
      credentials: { kind: 'oauth', accessToken: ben.oauthToken, scopes: ben.oauthScopes },
      relinkHint: 're-link at https://x/account',
    });
    const err = await caught(c.put('/athlete/{id}/wellness/{date}', { params: { id: '0', date: '2026-01-01' }, body: { weight: 70 } }));
    expect(err.code).toBe('forbidden');
    expect(err.message).toContain('WELLNESS:WRITE');
    expect(err.nextStep).toBe('Grant WELLNESS:WRITE: re-link at https://x/account and tick that permission.');
  });

  it('a Strava 422 is explained with the fix', async () => {
    fake.inject({ path: '/athlete/i1001' }, { status: 422, body: { status: 422, error: 'Cannot read Strava activities via the API' } }, 1);
    const err = await caught(client().get('/athlete/{id}', ATHLETE));
    expect(err.code).toBe('strava_unavailable');
    expect(err.nextStep).toMatch(/Garmin/);
  });

  it('never puts the key in an error or an upstream event', async () => {
    const events: UpstreamEvent[] = [];
    fake.inject(
      {},
      { status: 401, body: { status: 401, error: `bad key ${fake.athlete('i1001').apiKey} API_KEY:${fake.athlete('i1001').apiKey}` } },
      1,
    );
    const err = await caught(client({}, events).get('/athlete/{id}', ATHLETE));
    expect(JSON.stringify({ m: err.message, n: err.nextStep, events })).not.toContain(fake.athlete('i1001').apiKey.slice(4));
  });

  it('reports each attempt to onUpstream with the route template, not the ids', async () => {
    const events: UpstreamEvent[] = [];
    fake.inject({ path: '/athlete/i1001' }, { status: 503 }, 1);
    await client({}, events).get('/athlete/{id}', ATHLETE);
    expect(events.map(({ method, route, status }) => ({ method, route, status }))).toEqual([
      { method: 'GET', route: '/athlete/{id}', status: 503 },
      { method: 'GET', route: '/athlete/{id}', status: 200 },
    ]);
  });
});

describe('Throttle', () => {
  it('spaces requests beyond the burst at the per-key rate', async () => {
    const t = new Throttle({ perKeyPerSecond: 20, perKeyBurst: 2, globalPerSecond: 1_000, globalBurst: 1_000 });
    const started = Date.now();
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => t.acquire('k')));
    // 2 free, then 4 more at 20/s = 200 ms
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    const other = Date.now();
    await t.acquire('other-key');
    expect(Date.now() - other).toBeLessThan(50);
  });

  it("one account's backlog does not spend the shared tokens ahead: another account goes first", async () => {
    const t = new Throttle({ perKeyPerSecond: 5, perKeyBurst: 2, globalPerSecond: 5, globalBurst: 4 });
    const order: string[] = [];
    // Six at once for 'a': two now, the rest at a's own 5/s. Its third must not wait behind b's first.
    const backlog = [1, 2, 3, 4, 5, 6].map((i) => t.acquire('a').then(() => order.push(`a${i}`)));
    await new Promise((r) => setImmediate(r));
    const b = t.acquire('b').then(() => order.push('b1'));
    await Promise.race([b, backlog[2]]);
    expect(order).toEqual(['a1', 'a2', 'b1']);
    await Promise.all([b, ...backlog]);
  });

  it('applies the global cap across keys', async () => {
    const t = new Throttle({ perKeyPerSecond: 1_000, perKeyBurst: 1_000, globalPerSecond: 20, globalBurst: 2 });
    const started = Date.now();
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => t.acquire(k)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['5', 5],
    [null, undefined],
    ['soon', undefined],
  ])('%s → %s', (h, want) => expect(parseRetryAfter(h)).toBe(want));
  it('accepts an HTTP date', () => {
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(30);
  });
});

describe('Intervals.icu client: broken links', () => {
  it('tells the caller once when Intervals.icu answers 401, not on other failures', async () => {
    let calls = 0;
    const c = client({ credentials: { kind: 'api_key', apiKey: 'revoked-key-0000' }, onUnauthorized: () => (calls += 1) });
    await caught(c.get('/athlete/{id}', ATHLETE));
    expect(calls).toBe(1);
    fake.inject({ path: '/athlete/i1001' }, { status: 404 }, 1);
    await caught(client({ onUnauthorized: () => (calls += 1) }).get('/athlete/{id}', ATHLETE));
    expect(calls).toBe(1);
  });
});
