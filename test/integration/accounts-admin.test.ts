import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { devPersonId } from '../../src/signin/dev-identity.js';
import { createSecretBox, keyId } from '../../src/crypto/secret-box.js';
import { loadIntervalsCredentials } from '../../src/accounts/links.js';
import { startService, type RunningService } from '../../src/service.js';
import { ROOT } from '../support/process.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { postAccountForm, signInToAccount } from './accounts-support.js';

/** Runs the operator command the way an operator does, as its own process against the same database. */
function admin(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}dist/src/admin.js`, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('rotating ENCRYPTION_KEY with `npm run admin -- reencrypt`', () => {
  let db: TestDatabase;
  let fake: FakeIntervals;
  let svc: RunningService | undefined;
  const k1 = randomBytes(32).toString('base64');
  const k2 = randomBytes(32).toString('base64');
  const start = (env: Record<string, string>) =>
    startService({
      env: { NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: '0', INTERVALS_API_BASE_URL: fake.url, ...db.env, ...env },
      logDestination: new Writable({ write: (_c, _e, cb) => cb() }),
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await startFakeIntervals();
  });
  afterAll(async () => {
    await svc?.stop();
    await fake?.close();
    await db?.drop();
  });

  it('re-seals every link and signing key under the new key; the service then runs on the new key alone', async () => {
    svc = await start({ ENCRYPTION_KEY: k1 });
    for (const [email, athlete] of [
      ['rot.ann@example.com', fake.athlete('i1001')],
      ['rot.ben@example.com', fake.athlete('i2002')],
    ] as const) {
      const { client } = await signInToAccount(svc.url, email);
      expect((await postAccountForm(client, svc.url, '/account/link', { athlete_id: '0', api_key: athlete.apiKey })).status).toBe(303);
    }
    const before = await svc.store.query<{ key_version: string }>('SELECT key_version FROM intervals_links');
    expect(before.map((r) => r.key_version)).toEqual([keyId(Buffer.from(k1, 'base64')), keyId(Buffer.from(k1, 'base64'))]);
    await svc.stop();
    svc = undefined;

    const missingOld = await admin(['reencrypt'], { ...db.env, ENCRYPTION_KEY: k2 });
    expect(missingOld.code).toBe(1);
    expect(missingOld.stderr).toMatch(
      /^Failed: (intervals_links|signing_keys) row \S+: sealed with unknown key [0-9a-f]{8}; add the old key to PREVIOUS_ENCRYPTION_KEYS/,
    );

    const run = await admin(['reencrypt'], { ...db.env, ENCRYPTION_KEY: k2, PREVIOUS_ENCRYPTION_KEYS: k1 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^Re-encrypted under key ${keyId(Buffer.from(k2, 'base64'))}\\. intervals_links: 2 re-sealed, 0 already current; signing_keys: [1-9]\\d* re-sealed, 0 already current\\.\\n$`,
      ),
    );

    svc = await start({ ENCRYPTION_KEY: k2 });
    const rows = await svc.store.query<{ key_version: string; secret_ciphertext: string }>(
      'SELECT key_version, secret_ciphertext FROM intervals_links',
    );
    const box2 = createSecretBox({ encryptionKey: Buffer.from(k2, 'base64'), previousEncryptionKeys: [] });
    for (const r of rows) {
      expect(r.key_version).toBe(box2.currentKeyId);
      expect(box2.keyIdOf(r.secret_ciphertext)).toBe(box2.currentKeyId);
    }
    expect((await loadIntervalsCredentials(svc.store, box2, devPersonId('rot.ann@example.com')))?.credentials).toEqual({
      kind: 'api_key',
      apiKey: fake.athlete('i1001').apiKey,
    });
    expect((await loadIntervalsCredentials(svc.store, box2, devPersonId('rot.ben@example.com')))?.credentials).toEqual({
      kind: 'api_key',
      apiKey: fake.athlete('i2002').apiKey,
    });
    // The authorization server still signs with its (re-sealed) key: its JWKS is served.
    const jwks = (await (await fetch(`${svc.url}/jwks`)).json()) as { keys: unknown[] };
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
    const { client } = await signInToAccount(svc.url, 'rot.ann@example.com');
    expect((await client.get(`${svc.url}/account`)).text).toContain('Ann Example <code>i1001</code>');
    await svc.stop();
    svc = undefined;

    const again = await admin(['reencrypt'], { ...db.env, ENCRYPTION_KEY: k2 });
    expect(again.stdout).toMatch(/intervals_links: 0 re-sealed, 2 already current; signing_keys: 0 re-sealed, [1-9]\d* already current/);
    for (const out of [run.stdout, run.stderr, missingOld.stderr, again.stdout]) {
      expect(out).not.toContain(fake.athlete('i1001').apiKey);
      expect(out).not.toContain(k1);
    }
    // Four operator processes and two service starts; each PGlite open loads the database afresh.
  }, 180_000);

  it('explains its usage for an unknown command', async () => {
    const r = await admin(['reencrypt-all'], db.env);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe('Unknown command: reencrypt-all. Run with --help to list the commands.\n');
  });
});
