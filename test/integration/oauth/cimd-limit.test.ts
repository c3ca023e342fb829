import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildCimdFeature } from '../../../src/auth/cimd.js';
import { loadConfig } from '../../../src/config/load.js';
import { createLogger } from '../../../src/logger.js';
import type { Store } from '../../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../../support/store.js';

/** Client ID Metadata Document fetches are limited per requesting IP, in the shared store. */
let db: TestDatabase;
let store: Store;

beforeAll(async () => {
  db = await createTestDatabase();
  store = await db.openMigrated();
});
afterAll(async () => {
  await store.close();
  await db.drop();
});

describe('CIMD fetch limit', () => {
  it('allows 30 document fetches per address per hour, then refuses; another address has its own budget', async () => {
    const feature = buildCimdFeature({ config: loadConfig({ NODE_ENV: 'test' }), store, logger: createLogger('silent') });
    const doc = 'https://app.example/oauth/client.json';
    const answers: boolean[] = [];
    for (let i = 0; i < 31; i++) answers.push(await feature.allowFetch({ ip: '203.0.113.5' }, doc));
    expect(answers.filter(Boolean)).toHaveLength(30);
    expect(answers.at(-1)).toBe(false);
    expect(await feature.allowFetch({ ip: '198.51.100.7' }, doc)).toBe(true);
    // A fresh instance (another process, or the provider rebuilt on key rotation) sees the same counts.
    const again = buildCimdFeature({ config: loadConfig({ NODE_ENV: 'test' }), store, logger: createLogger('silent') });
    expect(await again.allowFetch({ ip: '203.0.113.5' }, doc)).toBe(false);
  });

  it('never fetches private addresses, whatever the budget', async () => {
    const feature = buildCimdFeature({ config: loadConfig({ NODE_ENV: 'test' }), store, logger: createLogger('silent') });
    expect(await feature.allowFetch({ ip: '192.0.2.1' }, 'https://10.0.0.1/client.json')).toBe(false);
  });
});
