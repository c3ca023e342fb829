import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Store } from '../../../src/store/store.js';
import { saveFlow, takeFlow, type PendingFlow } from '../../../src/signin/flow-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/store.js';

const FLOW: PendingFlow = {
  kind: 'oauth',
  provider: 'github',
  boundTo: '/interaction/abc/signin',
  storage: { 'sb-x-code-verifier': '"verifier-value-123"' },
};

describe('pending Supabase flows in the store', () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = await db.openMigrated();
  }, 180_000); // a fresh PGlite database with migrations can be slow on a loaded machine
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('returns the flow once for its cookie secret, and keeps the verifier sealed at rest', async () => {
    const secret = await saveFlow(store, FLOW, 600);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await store.query<{ id: string; sealed: string }>('SELECT id, sealed FROM signin_flows');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).not.toContain(secret);
    expect(rows[0]!.sealed).not.toContain('verifier-value-123');
    expect(await takeFlow(store, secret)).toEqual(FLOW);
    expect(await takeFlow(store, secret)).toBeUndefined();
  });

  it.each([
    ['a different secret', (s: string) => `${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`],
    ['a malformed secret', () => 'not a secret'],
  ])('knows nothing for %s', async (_name, alter) => {
    const secret = await saveFlow(store, FLOW, 600);
    expect(await takeFlow(store, alter(secret))).toBeUndefined();
    expect(await takeFlow(store, secret)).toEqual(FLOW);
  });

  it('treats an expired flow as gone and sweeps expired rows on the next save', async () => {
    const expired = await saveFlow(store, FLOW, -1);
    const stale = await saveFlow(store, FLOW, -1);
    expect(await takeFlow(store, expired)).toBeUndefined();
    await saveFlow(store, FLOW, 600);
    expect(await takeFlow(store, stale)).toBeUndefined();
    expect(await store.query('SELECT count(*)::int AS n FROM signin_flows WHERE expires_at < now()')).toEqual([{ n: 0 }]);
  });
});
