import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { refreshTokens } from '../support/oauth.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from '../support/store.js';
import { connectOnce } from './support/connect.js';
import { postMcp, startReliableService, toolCall, type ReliableService } from './support/service.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

/**
 * Two instances, one database, one public origin (a TCP "load balancer" we can switch): an OAuth
 * flow started on one instance finishes on the other, and revocations and the per-person rate
 * limit apply across both. PostgreSQL only: PGlite is one process's embedded database.
 */
const describePg = TEST_STORE === 'postgres' ? describe : describe.skip;
const LIMIT = 6;

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
    const env = { BASE_URL: origin, RATE_LIMIT_PER_HOUR: String(LIMIT) };
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
});
