import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { upsertAccount } from '../../src/accounts/account-store.js';
import {
  findIntervalsLink,
  hasIntervalsLink,
  loadIntervalsCredentials,
  markLinkBroken,
  markLinkOk,
  saveIntervalsLink,
  unlinkIntervals,
} from '../../src/accounts/links.js';
import { reencryptAllSecrets } from '../../src/accounts/reencrypt.js';
import {
  createPersonalAccessToken,
  hashToken,
  listPersonalAccessTokens,
  parseNewPat,
  revokePersonalAccessToken,
  verifyPersonalAccessToken,
} from '../../src/accounts/pats.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

describe('accounts store: links, secrets at rest, re-encryption, personal access tokens', () => {
  let db: TestDatabase;
  let store: Store;
  const k1 = randomBytes(32);
  const box1 = createSecretBox({ encryptionKey: k1, previousEncryptionKeys: [] });

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await db.openMigrated();
    for (const id of ['acc-a', 'acc-b', 'acc-c', 'acc-pat', 'acc-gone']) await upsertAccount(store, { id, email: `${id}@example.com` });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('stores the secret sealed: the raw row holds no plaintext and records the key id', async () => {
    const apiKey = 'plaintextkey0123456789abcd';
    await saveIntervalsLink(store, box1, {
      accountId: 'acc-a',
      athleteId: 'i100',
      athleteName: 'Ann',
      credentials: { kind: 'api_key', apiKey },
    });
    const raw = await store.query<Record<string, unknown>>('SELECT * FROM intervals_links WHERE account_id = $1', ['acc-a']);
    expect(raw).toHaveLength(1);
    const everyValue = JSON.stringify(raw[0]);
    expect(everyValue).not.toContain(apiKey);
    expect(everyValue).not.toContain(Buffer.from(apiKey).toString('base64'));
    expect(raw[0]!.key_version).toBe(box1.currentKeyId);
    expect(raw[0]!.method).toBe('api_key');
    expect(await loadIntervalsCredentials(store, box1, 'acc-a')).toEqual({ athleteId: 'i100', credentials: { kind: 'api_key', apiKey } });
    expect(await hasIntervalsLink(store, 'acc-a')).toBe(true);
    expect(await hasIntervalsLink(store, 'acc-c')).toBe(false);
    expect(await loadIntervalsCredentials(store, box1, 'acc-c')).toBeUndefined();
  });

  it('binds the ciphertext to its row: copied onto another person it does not open', async () => {
    await saveIntervalsLink(store, box1, {
      accountId: 'acc-b',
      athleteId: 'i200',
      athleteName: null,
      credentials: { kind: 'api_key', apiKey: 'bbbbbbbbbbbbbbbbbbbb' },
    });
    await store.query(
      `UPDATE intervals_links SET secret_ciphertext = (SELECT secret_ciphertext FROM intervals_links WHERE account_id = 'acc-a') WHERE account_id = 'acc-b'`,
    );
    await expect(loadIntervalsCredentials(store, box1, 'acc-b')).rejects.toThrow(/does not authenticate/);
    await saveIntervalsLink(store, box1, {
      accountId: 'acc-b',
      athleteId: 'i200',
      athleteName: 'Bob',
      credentials: { kind: 'oauth', accessToken: 'tok-bob-0001', scopes: ['ACTIVITY:READ'] },
    });
    expect(await loadIntervalsCredentials(store, box1, 'acc-b')).toEqual({
      athleteId: 'i200',
      credentials: { kind: 'oauth', accessToken: 'tok-bob-0001', scopes: ['ACTIVITY:READ'] },
    });
  });

  it('marks a link broken with a reason, and healthy again after a successful call', async () => {
    await markLinkBroken(store, 'acc-a', 'Intervals.icu rejected the API key (403)');
    const broken = await findIntervalsLink(store, 'acc-a');
    expect(broken?.brokenAt).toBeInstanceOf(Date);
    expect(broken?.brokenReason).toBe('Intervals.icu rejected the API key (403)');
    await markLinkOk(store, 'acc-a');
    const ok = await findIntervalsLink(store, 'acc-a');
    expect(ok).toMatchObject({ brokenAt: null, brokenReason: null, athleteId: 'i100', athleteName: 'Ann', method: 'api_key' });
    expect(ok!.lastOkAt!.getTime()).toBeGreaterThanOrEqual(broken!.lastOkAt!.getTime());
  });

  it('after rotating ENCRYPTION_KEY, re-encrypt re-seals every row under the new key and all still open', async () => {
    const keys: Record<string, string> = { 'acc-a': 'plaintextkey0123456789abcd', 'acc-c': 'cccccccccccccccccccccccc' };
    await saveIntervalsLink(store, box1, {
      accountId: 'acc-c',
      athleteId: 'i300',
      athleteName: 'Cy',
      credentials: { kind: 'api_key', apiKey: keys['acc-c']! },
    });
    const k2 = randomBytes(32);
    const box2 = createSecretBox({ encryptionKey: k2, previousEncryptionKeys: [k1] });
    const report = await reencryptAllSecrets(store, box2);
    expect(report.resealed.intervals_links).toBe(3);
    expect(report.current.intervals_links).toBe(0);
    const rows = await store.query<{ account_id: string; key_version: string; secret_ciphertext: string }>(
      'SELECT account_id, key_version, secret_ciphertext FROM intervals_links',
    );
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.key_version).toBe(box2.currentKeyId);
      expect(box2.keyIdOf(r.secret_ciphertext)).toBe(box2.currentKeyId);
    }
    // The old key can now be dropped entirely.
    const onlyK2 = createSecretBox({ encryptionKey: k2, previousEncryptionKeys: [] });
    for (const [id, apiKey] of Object.entries(keys)) {
      expect((await loadIntervalsCredentials(store, onlyK2, id))?.credentials).toEqual({ kind: 'api_key', apiKey });
    }
    expect((await loadIntervalsCredentials(store, onlyK2, 'acc-b'))?.credentials).toMatchObject({ accessToken: 'tok-bob-0001' });
    const again = await reencryptAllSecrets(store, onlyK2);
    expect(again.resealed.intervals_links).toBe(0);
    expect(again.current.intervals_links).toBe(3);
  });

  it('refuses to re-encrypt when a row was sealed with a key it does not have, naming the row but not the secret', async () => {
    const stranger = createSecretBox({ encryptionKey: randomBytes(32), previousEncryptionKeys: [] });
    await expect(reencryptAllSecrets(store, stranger)).rejects.toThrow(/intervals_links row acc-[abc]: sealed with unknown key/);
  });

  it('unlinks', async () => {
    expect(await unlinkIntervals(store, 'acc-c')).toBe(true);
    expect(await unlinkIntervals(store, 'acc-c')).toBe(false);
    expect(await findIntervalsLink(store, 'acc-c')).toBeUndefined();
  });

  it('personal access tokens: shown once, stored hashed, verified, listed, revoked', async () => {
    const { token, pat } = await createPersonalAccessToken(
      store,
      'acc-pat',
      parseNewPat({ name: 'Cursor', scopes: ['intervals:read'], expiresInDays: '30' }),
    );
    expect(token).toMatch(/^imcp_pat_[A-Za-z0-9_-]{43}$/);
    const raw = await store.query<Record<string, unknown>>('SELECT * FROM personal_access_tokens WHERE id = $1', [pat.id]);
    expect(JSON.stringify(raw)).not.toContain(token);
    expect(raw[0]!.token_hash).toBe(hashToken(token));
    expect(pat.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);

    expect(await verifyPersonalAccessToken(store, token)).toEqual({
      accountId: 'acc-pat',
      scopes: ['intervals:read'],
      patId: pat.id,
      toolsets: ['core'],
    });
    expect((await listPersonalAccessTokens(store, 'acc-pat'))[0]).toMatchObject({ id: pat.id, name: 'Cursor', revokedAt: null });
    expect((await listPersonalAccessTokens(store, 'acc-pat'))[0]!.lastUsedAt).toBeInstanceOf(Date);

    expect(await revokePersonalAccessToken(store, 'acc-a', pat.id)).toBe(false); // not theirs
    expect(await revokePersonalAccessToken(store, 'acc-pat', pat.id)).toBe(true);
    expect(await verifyPersonalAccessToken(store, token)).toBeUndefined();
  });

  it.each([
    ['a wrong token of the right shape', () => `imcp_pat_${randomBytes(32).toString('base64url')}`],
    ['a malformed token', () => 'imcp_pat_short'],
    ['a JWT', () => 'eyJhbGciOiJFUzI1NiJ9.e30.sig'],
  ])('does not verify %s', async (_label, make) => {
    expect(await verifyPersonalAccessToken(store, make())).toBeUndefined();
  });

  it('does not verify an expired token or one of a disabled account', async () => {
    const { token, pat } = await createPersonalAccessToken(store, 'acc-pat', { name: 'old', scopes: ['intervals:read'], expiresInDays: 7 });
    await store.query(`UPDATE personal_access_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [pat.id]);
    expect(await verifyPersonalAccessToken(store, token)).toBeUndefined();
    const live = await createPersonalAccessToken(store, 'acc-pat', {
      name: 'live',
      scopes: ['intervals:read', 'intervals:write'],
      expiresInDays: null,
    });
    expect(await verifyPersonalAccessToken(store, live.token)).toMatchObject({ scopes: ['intervals:read', 'intervals:write'] });
    await store.query(`UPDATE accounts SET disabled_at = now() WHERE id = 'acc-pat'`);
    expect(await verifyPersonalAccessToken(store, live.token)).toBeUndefined();
  });

  it.each([
    [{ name: '', scopes: ['intervals:read'], expiresInDays: '30' }, 'pat_name_missing'],
    [{ name: 'x'.repeat(81), scopes: ['intervals:read'], expiresInDays: '30' }, 'pat_name_too_long'],
    [{ name: 'ok', scopes: undefined, expiresInDays: '30' }, 'pat_scope_missing'],
    [{ name: 'ok', scopes: ['admin'], expiresInDays: '30' }, 'pat_scope_unknown'],
    [{ name: 'ok', scopes: 'intervals:read', expiresInDays: '3' }, 'pat_expiry_invalid'],
  ])('rejects the token form %j with %s', (input, code) => {
    expect(() => parseNewPat(input)).toThrow(expect.objectContaining({ code }) as unknown as Error);
  });

  it('deleting the account removes its link and tokens (cascade)', async () => {
    await saveIntervalsLink(store, box1, {
      accountId: 'acc-gone',
      athleteId: 'i9',
      athleteName: null,
      credentials: { kind: 'api_key', apiKey: 'gggggggggggggggggggg' },
    });
    await createPersonalAccessToken(store, 'acc-gone', { name: 'x', scopes: ['intervals:read'], expiresInDays: null });
    await store.query(`DELETE FROM accounts WHERE id = 'acc-gone'`);
    expect(await store.query(`SELECT 1 FROM intervals_links WHERE account_id = 'acc-gone'`)).toHaveLength(0);
    expect(await store.query(`SELECT 1 FROM personal_access_tokens WHERE account_id = 'acc-gone'`)).toHaveLength(0);
  });
});
