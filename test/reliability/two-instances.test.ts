import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { devPersonId } from '../../src/signin/dev-identity.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { postAccountForm, rowsMentioning, signInToAccount } from '../integration/accounts-support.js';
import { csrfFrom } from '../support/form-client.js';
import { refreshTokens } from '../support/oauth.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from '../support/store.js';
import { connectOnce } from './support/connect.js';
import { postMcp, startReliableService, toolCall, type ReliableService } from './support/service.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

/**
 * Two instances, one database, one public origin (a TCP "load balancer" we can switch): an OAuth
 * flow started on one instance finishes on the other, and revocations, account deletion and the
 * per-person rate limit apply across both. PostgreSQL only: PGlite is one process's embedded database.
 */
const describePg = TEST_STORE === 'postgres' ? describe : describe.skip;
const LIMIT = 6;
/** ACCESS_STATUS_CACHE_SECONDS on both: how stale an instance's view of a token's standing may be. */
const STATUS_S = 1;
/** What a refusal may take beyond STATUS_S: the poll step and a request's latency on a busy machine. */
const SLACK_MS = 2_000;

/** tools/list: authenticated, not metered, so polling does not spend the person's rate limit. */
const listTools = () => ({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

/** Polls until `done(value)` or the deadline; returns the last value and how long it took. */
async function pollUntil<T>(probe: () => Promise<T>, done: (v: T) => boolean, deadlineMs: number): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  for (;;) {
    const value = await probe();
    const ms = performance.now() - t0;
    if (done(value) || ms > deadlineMs) return { value, ms };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describePg('two instances, one database', () => {
  let db: TestDatabase;
  let fake: FakeIntervals;
  let front: TcpProxy;
  let a: ReliableService;
  let b: ReliableService;
  let origin: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await startFakeIntervals();
    // Both instances believe they are served at the front's address (as behind Fly's proxy).
    front = await startTcpProxy({ host: '127.0.0.1', port: 9 });
    origin = `http://127.0.0.1:${front.port}`;
    const env = { BASE_URL: origin, RATE_LIMIT_PER_HOUR: String(LIMIT), ACCESS_STATUS_CACHE_SECONDS: String(STATUS_S) };
    a = await startReliableService({ db, fake, env });
    b = await startReliableService({ db, fake, env });
    await front.retarget(a.proc.port);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await front?.close();
    await fake?.close();
    await db?.drop();
  });

  const onA = () => front.retarget(a.proc.port);
  const onB = () => front.retarget(b.proc.port);

  it('finishes on instance B an OAuth flow started on instance A, and both serve the token', async () => {
    await onA();
    const steps: string[] = [];
    const c = await connectOnce(origin, {
      email: 'two@example.com',
      athlete: fake.athletes[0]!,
      afterStep: async (step) => {
        steps.push(step);
        if (step === 'sign-in') await onB(); // consent, link and token happen on B
      },
    });
    expect(steps).toEqual(expect.arrayContaining(['register', 'authorize', 'sign-in', 'token']));
    for (const use of [onB, onA]) {
      await use();
      const r = await postMcp(origin, c.accessToken, toolCall('get_athlete'));
      expect(r.status).toBe(200);
      expect(r.json?.result?.isError).not.toBe(true);
    }

    // A refresh token revoked on A is refused on B.
    await onA();
    const revoke = await fetch(`${origin}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: c.refreshToken, token_type_hint: 'refresh_token', client_id: c.client.client_id }),
    });
    expect(revoke.status).toBe(200);
    await onB();
    const refreshed = await refreshTokens(origin, c.client, c.refreshToken);
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it(`counts one person's tool calls against one limit of ${LIMIT} per hour across both instances`, async () => {
    await onA();
    const c = await connectOnce(origin, { email: 'limit@example.com', athlete: fake.athletes[1]! });
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      await (i % 2 === 0 ? onA : onB)();
      statuses.push((await postMcp(origin, c.accessToken, toolCall('get_athlete'))).status);
    }
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429, 429]);
  });

  /** B's answer to the token, polled until it refuses or STATUS_S + SLACK_MS have passed. */
  async function refusalOnB(token: string) {
    await onB();
    const { value, ms } = await pollUntil(
      () => postMcp(origin, token, listTools()),
      (r) => r.status !== 200,
      STATUS_S * 1000 + SLACK_MS,
    );
    return { status: value.status, challenge: value.headers.get('www-authenticate') ?? '', ms };
  }

  it(`an app revoked on instance A: its access token is refused on instance B within ${STATUS_S} s`, async () => {
    await onA();
    const email = 'revoke-app@example.com';
    const c = await connectOnce(origin, { email, athlete: fake.athletes[0]! });
    await onB();
    expect((await postMcp(origin, c.accessToken, listTools())).status).toBe(200); // B has looked at the grant

    await onA();
    const { client: browser, page } = await signInToAccount(origin, email);
    const grantId = /<tr data-grant="([^"]+)"/.exec(page.text)?.[1];
    expect(grantId).toBeDefined();
    const revoked = await postAccountForm(browser, origin, `/account/clients/${encodeURIComponent(grantId!)}/revoke`, {});
    expect(revoked.location).toBe(`${origin}/account?done=revoked_client`);

    const seenOnB = await refusalOnB(c.accessToken);
    expect(seenOnB.status).toBe(401);
    expect(seenOnB.challenge).toContain(
      `error="invalid_token", error_description="This app's access was revoked or has ended; reconnect the app`,
    );
    expect(seenOnB.ms).toBeLessThan(STATUS_S * 1000 + SLACK_MS);
    // And on A, which made the change, at once.
    await onA();
    expect((await postMcp(origin, c.accessToken, listTools())).status).toBe(401);
  });

  it(`an account deleted on instance A: B refuses its token within ${STATUS_S} s, and nothing of the account remains`, async () => {
    await onA();
    const email = 'delete-two@example.com';
    const accountId = devPersonId(email);
    const c = await connectOnce(origin, { email, athlete: fake.athletes[1]! });
    await onB();
    // A metered call, so the shared rate-limit table holds a row for the person too.
    expect((await postMcp(origin, c.accessToken, toolCall('get_athlete'))).status).toBe(200);

    await onA();
    const { client: browser } = await signInToAccount(origin, email);
    const confirm = await browser.get(`${origin}/account/delete`);
    const gone = await browser.post(`${origin}/account/delete`, { _csrf: csrfFrom(confirm.text), confirm: 'yes' });
    expect(gone.status).toBe(200);
    expect(gone.text).toContain('Your account is deleted');

    const seenOnB = await refusalOnB(c.accessToken);
    expect(seenOnB.status).toBe(401);
    expect(seenOnB.challenge).toContain('error_description="The account behind this token no longer exists or is disabled."');
    expect(seenOnB.ms).toBeLessThan(STATUS_S * 1000 + SLACK_MS);
    const refreshed = await refreshTokens(origin, c.client, c.refreshToken);
    expect(refreshed.body.error).toBe('invalid_grant');

    const store = await db.open();
    try {
      expect(await rowsMentioning(store, accountId)).toEqual([]);
      expect(await rowsMentioning(store, email)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it(`a personal access token revoked on instance A is refused on instance B within ${STATUS_S} s`, async () => {
    await onA();
    const email = 'pat-two@example.com';
    const { client: browser } = await signInToAccount(origin, email);
    const created = await postAccountForm(browser, origin, '/account/tokens', {
      name: 'Cursor',
      scopes: 'intervals:read',
      expires_in_days: '7',
    });
    expect(created.status).toBe(201);
    const token = /<code id="new-token-value">(imcp_pat_[A-Za-z0-9_-]+)<\/code>/.exec(created.text)![1]!;
    const patId = /data-pat="(pat_[^"]+)"/.exec(created.text)![1]!;
    await onB();
    expect((await postMcp(origin, token, listTools())).status).toBe(200);

    await onA();
    const revoked = await postAccountForm(browser, origin, `/account/tokens/${patId}/revoke`, {});
    expect(revoked.location).toBe(`${origin}/account?done=revoked_token`);

    const seenOnB = await refusalOnB(token);
    expect(seenOnB.status).toBe(401);
    expect(seenOnB.challenge).toContain('error_description="The personal access token is unknown or revoked."');
    expect(seenOnB.ms).toBeLessThan(STATUS_S * 1000 + SLACK_MS);
  });
});
