import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { upsertAccount } from '../../src/accounts/account-store.js';
import { BROKEN_REASON_401, BROKEN_REASON_PROBE, createLinkHealthReporter } from '../../src/accounts/link-health.js';
import { findIntervalsLink, saveIntervalsLink } from '../../src/accounts/links.js';
import type { IntervalsCredentials } from '../../src/intervals/credentials.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createIntervalsClient } from '../../src/intervals/client.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';

/** Link health from real Intervals.icu client calls against the stand-in (Ann coaches Ben; Ben's OAuth token is read-only). */
describe('link health from tool calls', () => {
  let db: TestDatabase;
  let store: Store;
  let fake: FakeIntervals;
  const box = createSecretBox({ encryptionKey: randomBytes(32), previousEncryptionKeys: [] });

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await db.openMigrated();
    fake = await startFakeIntervals();
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
    await fake.close();
  });

  /** Links `accountId` with `credentials` and returns a client whose upstream outcomes feed the reporter. */
  async function clientFor(accountId: string, athleteId: string, credentials: IntervalsCredentials) {
    await upsertAccount(store, { id: accountId, email: null });
    await saveIntervalsLink(store, box, { accountId, athleteId, athleteName: null, credentials });
    await store.query('UPDATE intervals_links SET last_ok_at = NULL WHERE account_id = $1', [accountId]);
    const report = createLinkHealthReporter({ store, check: { baseUrl: fake.url, timeoutMs: 2_000 } }, accountId, credentials);
    const pending: Promise<void>[] = [];
    const client = createIntervalsClient({
      baseUrl: fake.url,
      credentials,
      timeoutMs: 2_000,
      cache: false,
      retry: { maxAttempts: 1 },
      onUpstream: (e) => void pending.push(report(e)),
    });
    return {
      async call(route: string, params: Record<string, string>, method: 'GET' | 'PUT' = 'GET') {
        await client.request(method, route, { params, body: method === 'PUT' ? {} : undefined }).catch(() => undefined);
        await Promise.all(pending);
      },
      link: () => findIntervalsLink(store, accountId),
    };
  }

  it('a successful call records last_ok_at', async () => {
    const ann = await clientFor('h-ann', 'i1001', { kind: 'api_key', apiKey: fake.athlete('i1001').apiKey });
    await ann.call('/athlete/{id}', { id: 'i1001' });
    expect((await ann.link())?.lastOkAt).toBeInstanceOf(Date);
    expect((await ann.link())?.brokenAt).toBeNull();
  });

  it('a 403 for an athlete who does not share is not a broken link (the probe of /athlete/0 passes)', async () => {
    const ben = await clientFor('h-ben', 'i2002', { kind: 'api_key', apiKey: fake.athlete('i2002').apiKey });
    const before = fake.requestsTo('GET', '/athlete/0').length;
    await ben.call('/athlete/{id}', { id: 'i1001' });
    expect(fake.requestsTo('GET', '/athlete/0').length - before).toBe(1);
    expect((await ben.link())?.brokenAt).toBeNull();
  });

  it('a 403 for an OAuth scope the person did not grant is not a broken link', async () => {
    const ben = await clientFor('h-ben-oauth', 'i2002', {
      kind: 'oauth',
      accessToken: fake.athlete('i2002').oauthToken,
      scopes: ['ACTIVITY:READ', 'WELLNESS:READ'],
    });
    await ben.call('/athlete/{id}/wellness/{date}', { id: 'i2002', date: '2026-11-01' }, 'PUT');
    expect(fake.requestsTo('PUT', '/athlete/i2002/wellness/2026-11-01').at(-1)?.auth).toBe('bearer');
    expect((await ben.link())?.brokenAt).toBeNull();
  });

  it('a 401 marks the link broken with a reason for the page', async () => {
    const old = await clientFor('h-rotated', 'i1001', { kind: 'api_key', apiKey: 'an-old-key-that-was-replaced' });
    await old.call('/athlete/{id}', { id: 'i1001' });
    expect(await old.link()).toMatchObject({ brokenReason: BROKEN_REASON_401, brokenAt: expect.any(Date) });
  });

  it('a 403 that the probe confirms marks the link broken; a later success heals it', async () => {
    const revoked = await clientFor('h-revoked', 'i1001', { kind: 'api_key', apiKey: 'a-revoked-key-0000000' });
    fake.inject({ path: '/athlete/i1001' }, { status: 403, body: { status: 403, error: 'Access denied' } });
    await revoked.call('/athlete/{id}', { id: 'i1001' });
    expect(await revoked.link()).toMatchObject({ brokenReason: BROKEN_REASON_PROBE });

    const healed = await clientFor('h-revoked', 'i1001', { kind: 'api_key', apiKey: fake.athlete('i1001').apiKey });
    await store.query(`UPDATE intervals_links SET broken_at = now(), broken_reason = 'x' WHERE account_id = 'h-revoked'`);
    await healed.call('/athlete/{id}', { id: 'i1001' });
    expect(await healed.link()).toMatchObject({ brokenAt: null, brokenReason: null });
  });
});
