import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLocalJWKSet } from 'jose';
import { upsertAccount } from '../../src/accounts/account-store.js';
import { revokeAuthorizedClient } from '../../src/accounts/authorized-clients.js';
import { deleteAccountData } from '../../src/accounts/delete-account.js';
import { emitAccountChange } from '../../src/accounts/events.js';
import { createPersonalAccessToken, revokePersonalAccessToken, verifyPersonalAccessToken } from '../../src/accounts/pats.js';
import { InvalidTokenError, VerifierUnavailableError, createTokenVerifier, type TokenVerifier } from '../../src/resource/verify-token.js';
import type { Queryable, Store } from '../../src/store/store.js';
import { insertGrant } from '../support/resource.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js';

/**
 * The verifier's revocation check against a real store (PostgreSQL and PGlite): a token is good
 * only while its person's account is active and their Grant for the token's client_id exists, as
 * the store said at most `statusCacheMs` ago. The clock is the verifier's own (`now`), so the
 * cache period is tested exactly; "elsewhere" means a row changed without this process's event,
 * as another instance would.
 */
const AUDIENCE = 'https://mcp.example.test/mcp';
const PERIOD_MS = 10_000;

let db: TestDatabase;
let store: Store;
let issuer: TestIssuer;
let clock: number;
/** Store calls the verifiers made (every one goes to the real store). */
let queries = 0;
const counted: Queryable = {
  query: (sql, params) => {
    queries += 1;
    return store.query(sql, params);
  },
};

function verifier(statusCacheMs = PERIOD_MS, over: Queryable = counted): TokenVerifier {
  return createTokenVerifier({
    issuer: issuer.url,
    audience: AUDIENCE,
    jwksUrl: new URL(`${issuer.url}/jwks`),
    keySet: createLocalJWKSet({ keys: [issuer.publicJwk()] }),
    store: over as Store,
    verifyPersonalAccessToken,
    statusCacheMs,
    now: () => clock,
  });
}

/** The reason a verification was refused (fails the test when it was accepted or failed otherwise). */
async function refusal(v: TokenVerifier, token: string): Promise<InvalidTokenError> {
  const err = await v.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof InvalidTokenError)) throw new Error(`expected InvalidTokenError, got ${String(err)}`);
  return err;
}

/** A person with a grant for `client`, and a token for them issued `ageS` seconds ago. */
async function personWithToken(accountId: string, client: string, ageS = 60): Promise<string> {
  await upsertAccount(store, { id: accountId, email: `${accountId}@example.test` });
  await insertGrant(store, accountId, client);
  const iat = Math.floor(clock / 1000) - ageS;
  return issuer.sign({ sub: accountId, client_id: client, iat, exp: iat + 3600 });
}

const deleteGrants = (accountId: string, client: string) =>
  store.query(`DELETE FROM oidc_payloads WHERE model = 'Grant' AND payload->>'accountId' = $1 AND payload->>'clientId' = $2`, [
    accountId,
    client,
  ]);

beforeAll(async () => {
  db = await createTestDatabase();
  store = await db.openMigrated();
  issuer = await startTestIssuer({ audience: () => AUDIENCE });
});
afterAll(async () => {
  await issuer?.close();
  await store?.close();
  await db?.drop();
});

describe('JWT access tokens: the grant behind them', () => {
  it('accepted while the grant exists; one store query per person and app, none while warm', async () => {
    clock = Date.now();
    const v = verifier();
    const token = await personWithToken('warm', 'app-warm');
    const other = await issuer.sign({ sub: 'warm', client_id: 'app-warm', iat: Math.floor(clock / 1000) - 5 });
    queries = 0;
    expect((await v.verify(token)).person).toEqual({
      accountId: 'warm',
      clientId: 'app-warm',
      scopes: new Set(['intervals:read']),
      toolsets: new Set(['core']),
    });
    expect(queries).toBe(1);
    for (let i = 0; i < 20; i++) await v.verify(i % 2 ? token : other); // another token of the same pair shares the status
    clock += PERIOD_MS / 2 - 1;
    await v.verify(token);
    expect(queries).toBe(1);
    // Past half the period the status in use is read again behind the call (src/resource/access-status.ts)…
    clock += 2;
    await v.verify(token);
    expect(queries).toBe(2);
    await new Promise((r) => setTimeout(r, 100)); // …which lands in the cache
    // …so at the old expiry nobody waits for the database.
    clock += PERIOD_MS / 2;
    await v.verify(token);
    expect(queries).toBe(2);
  });

  it('concurrent calls after the period share one query', async () => {
    clock = Date.now();
    const v = verifier();
    const token = await personWithToken('burst', 'app-burst');
    queries = 0;
    await Promise.all(Array.from({ length: 10 }, () => v.verify(token)));
    expect(queries).toBe(1);
  });

  it('an app revoked elsewhere: accepted until the period ends, then 401 invalid_token saying to reconnect; refusals are cached too', async () => {
    clock = Date.now();
    const v = verifier();
    const token = await personWithToken('revokee', 'app-r');
    await v.verify(token);
    await deleteGrants('revokee', 'app-r');
    clock += PERIOD_MS - 1;
    await expect(v.verify(token)).resolves.toMatchObject({ person: { accountId: 'revokee' } });
    clock += 1;
    const err = await refusal(v, token);
    expect(err.code).toBe('invalid_token');
    expect(err.reason).toBe('grant_revoked');
    expect(err.message).toBe("This app's access was revoked or has ended; reconnect the app (sign in again) to continue.");
    queries = 0;
    for (let i = 0; i < 5; i++) expect((await refusal(v, token)).reason).toBe('grant_revoked');
    expect(queries).toBe(0);
  });

  it('tool sets changed elsewhere: the token carrying the old revision is accepted until the period ends, then 401 toolsets_changed; the refreshed one works', async () => {
    clock = Date.now();
    const v = verifier();
    await personWithToken('chooser', 'app-t');
    const iat = Math.floor(clock / 1000) - 60;
    const old = await issuer.sign({ sub: 'chooser', client_id: 'app-t', iat, exp: iat + 3600, toolsets: 'core planning', toolsets_rev: 1 });
    await store.query(
      `INSERT INTO connection_toolsets (account_id, client_id, toolsets, revision) VALUES ('chooser', 'app-t', '{core,planning}', 1)`,
    );
    expect((await v.verify(old)).person.toolsets).toEqual(new Set(['core', 'planning']));
    await store.query(`UPDATE connection_toolsets SET toolsets = '{core,coach}', revision = 2 WHERE account_id = 'chooser'`);
    clock += PERIOD_MS - 1;
    await expect(v.verify(old)).resolves.toMatchObject({ person: { accountId: 'chooser' } });
    clock += 1;
    const err = await refusal(v, old);
    expect(err.reason).toBe('toolsets_changed');
    expect(err.message).toBe(
      'The tool sets for this app were changed on the account page; refresh the access token (or reconnect the app) to get the new set.',
    );
    // The issuance after the refresh carries the new revision (issued a second later: same grant, no clock window).
    const fresh = await issuer.sign({
      sub: 'chooser',
      client_id: 'app-t',
      iat: iat + 1,
      exp: iat + 3601,
      toolsets: 'core coach',
      toolsets_rev: 2,
    });
    expect((await v.verify(fresh)).person.toolsets).toEqual(new Set(['core', 'coach']));
    // A claim naming a set we do not have cannot widen the connection: it is dropped.
    const odd = await issuer.sign({
      sub: 'chooser',
      client_id: 'app-t',
      iat: iat + 2,
      exp: iat + 3602,
      toolsets: 'core admin',
      toolsets_rev: 2,
    });
    expect((await v.verify(odd)).person.toolsets).toEqual(new Set(['core']));
  });

  it('revoked then reconnected: the old grant’s token stays refused, the new grant’s token is accepted at once', async () => {
    clock = Date.now();
    const v = verifier();
    const old = await personWithToken('again', 'app-again', 600);
    await v.verify(old);
    await deleteGrants('again', 'app-again');
    clock += PERIOD_MS;
    expect((await refusal(v, old)).reason).toBe('grant_revoked');
    // Reconnecting writes a new Grant (created now) and issues a new token.
    await insertGrant(store, 'again', 'app-again', { createdSecondsAgo: 0 });
    const fresh = await issuer.sign({ sub: 'again', client_id: 'app-again', iat: Math.floor(clock / 1000) });
    await expect(v.verify(fresh)).resolves.toMatchObject({ person: { accountId: 'again', clientId: 'app-again' } });
    expect((await refusal(v, old)).reason).toBe('grant_revoked');
  });

  it('another app of the same person is unaffected by a revocation', async () => {
    clock = Date.now();
    const v = verifier();
    const a = await personWithToken('two-apps', 'app-a');
    const b = await personWithToken('two-apps', 'app-b');
    await deleteGrants('two-apps', 'app-a');
    expect((await refusal(v, a)).reason).toBe('grant_revoked');
    await expect(v.verify(b)).resolves.toMatchObject({ person: { clientId: 'app-b' } });
  });

  it('an expired grant counts as revoked', async () => {
    clock = Date.now();
    const v = verifier();
    const token = await personWithToken('lapsed', 'app-lapsed');
    await store.query(
      `UPDATE oidc_payloads SET expires_at = now() - interval '1 second' WHERE model = 'Grant' AND payload->>'accountId' = 'lapsed'`,
    );
    expect((await refusal(v, token)).reason).toBe('grant_revoked');
  });

  it('a token without client_id cannot be checked against a grant: 401 claims', async () => {
    clock = Date.now();
    await upsertAccount(store, { id: 'no-client', email: null });
    const token = await issuer.sign({ sub: 'no-client', client_id: undefined });
    expect((await refusal(verifier(), token)).reason).toBe('claims');
  });

  it('period 0: every call asks the store, and a revocation elsewhere bites at the next call', async () => {
    clock = Date.now();
    const v = verifier(0);
    const token = await personWithToken('zero', 'app-zero');
    queries = 0;
    await v.verify(token);
    await v.verify(token);
    expect(queries).toBe(2);
    await deleteGrants('zero', 'app-zero');
    expect((await refusal(v, token)).reason).toBe('grant_revoked');
  });

  it('revoked on this instance (account page): refused at the very next call, whatever the period', async () => {
    clock = Date.now();
    const v = verifier(60 * 60_000);
    const token = await personWithToken('local', 'app-local');
    await v.verify(token);
    const [grant] = await store.query<{ id: string }>(
      `SELECT id FROM oidc_payloads WHERE model = 'Grant' AND payload->>'accountId' = 'local'`,
    );
    expect(await revokeAuthorizedClient(store, 'local', grant!.id)).toBe(true);
    emitAccountChange('local', 'client_revoked');
    expect((await refusal(v, token)).reason).toBe('grant_revoked');
  });
});

describe('account deletion and disabling', () => {
  it('deleted elsewhere: 401 account_inactive once the period ends, and nothing of the account remains', async () => {
    clock = Date.now();
    const v = verifier();
    const token = await personWithToken('leaver', 'app-leaver');
    await v.verify(token);
    await deleteAccountData(store, 'leaver');
    clock += PERIOD_MS;
    const err = await refusal(v, token);
    expect(err.reason).toBe('account_inactive');
    expect(err.message).toBe('The account behind this token no longer exists or is disabled.');
    expect(await store.query(`SELECT 1 FROM oidc_payloads WHERE payload->>'accountId' = 'leaver'`)).toEqual([]);
  });

  it('deleted on this instance: refused at once', async () => {
    clock = Date.now();
    const v = verifier(60 * 60_000);
    const token = await personWithToken('leaver-here', 'app-here');
    await v.verify(token);
    await deleteAccountData(store, 'leaver-here');
    emitAccountChange('leaver-here', 'deleted');
    expect((await refusal(v, token)).reason).toBe('account_inactive');
  });

  it('disabled elsewhere: refused once the period ends', async () => {
    clock = Date.now();
    const v = verifier();
    const token = await personWithToken('paused', 'app-paused');
    await v.verify(token);
    await store.query(`UPDATE accounts SET disabled_at = now() WHERE id = 'paused'`);
    clock += PERIOD_MS;
    expect((await refusal(v, token)).reason).toBe('account_inactive');
  });
});

describe('personal access tokens', () => {
  async function pat(accountId: string): Promise<{ token: string; id: string }> {
    await upsertAccount(store, { id: accountId, email: null });
    const created = await createPersonalAccessToken(store, accountId, { name: 'Cursor', scopes: ['intervals:read'], expiresInDays: null });
    return { token: created.token, id: created.pat.id };
  }

  it('revoked elsewhere: accepted (without a query) until the period ends, then 401 unknown_pat', async () => {
    clock = Date.now();
    const v = verifier();
    const p = await pat('pat-elsewhere');
    expect((await v.verify(p.token)).person).toEqual({
      accountId: 'pat-elsewhere',
      clientId: `pat:${p.id}`,
      scopes: new Set(['intervals:read']),
      toolsets: new Set(['core']),
    });
    expect(await revokePersonalAccessToken(store, 'pat-elsewhere', p.id)).toBe(true);
    queries = 0;
    clock += PERIOD_MS - 1;
    await v.verify(p.token);
    expect(queries).toBe(0);
    clock += 1;
    expect((await refusal(v, p.token)).reason).toBe('unknown_pat');
  });

  it('revoked on this instance: refused at once', async () => {
    clock = Date.now();
    const v = verifier(60 * 60_000);
    const p = await pat('pat-here');
    await v.verify(p.token);
    await revokePersonalAccessToken(store, 'pat-here', p.id);
    emitAccountChange('pat-here', 'token_revoked');
    expect((await refusal(v, p.token)).reason).toBe('unknown_pat');
  });

  it('a local change for the person that leaves the token valid costs one query and keeps it working', async () => {
    clock = Date.now();
    const v = verifier(60 * 60_000);
    const p = await pat('pat-unlinked');
    await v.verify(p.token);
    emitAccountChange('pat-unlinked', 'link_changed');
    queries = 0;
    await v.verify(p.token);
    await v.verify(p.token);
    expect(queries).toBe(1); // the lookup; last_used_at was stamped moments ago
  });
});

describe('store unavailable', () => {
  it('a status check that cannot reach the store is 503 VerifierUnavailableError, not 401', async () => {
    clock = Date.now();
    const token = await personWithToken('outage', 'app-outage');
    const closedDb = await createTestDatabase();
    const closed = await closedDb.open();
    await closed.close();
    try {
      const err = await verifier(PERIOD_MS, closed)
        .verify(token)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VerifierUnavailableError);
      expect((err as VerifierUnavailableError).status).toBe(503);
    } finally {
      await closedDb.drop();
    }
  });
});
