import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { runAdmin } from '../../src/admin/run.js';
import { upsertAccount } from '../../src/accounts/account-store.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { ROOT } from '../support/process.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const key = () => randomBytes(32).toString('base64');

/** Runs one admin command in-process against the test database; returns exit code and output. */
async function admin(argv: string[], extraEnv: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdmin(argv, { NODE_ENV: 'test', ...db.env, ...extraEnv }, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function withStore<T>(fn: (store: Awaited<ReturnType<TestDatabase['open']>>) => Promise<T>): Promise<T> {
  const store = await db.open();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('admin CLI', () => {
  it('--help lists every command and the exit codes', async () => {
    const r = await admin(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of [
      'migrate',
      'rotate-keys [lead-seconds] [--force]',
      'reencrypt',
      'accounts list',
      'accounts disable <id>',
      'accounts enable <id>',
      'accounts delete <id> --yes',
      'sweep',
    ]) {
      expect(r.out).toContain(`  ${cmd}  `);
    }
    expect(r.out).toContain('Exit codes: 0 done');
  });

  it.each([
    [[], 64, 'Usage:'],
    [['frobnicate'], 64, 'Unknown command: frobnicate'],
    [['accounts', 'list', '--force'], 64, 'Unknown option --force'],
  ])('%j exits %i', async (argv, code, text) => {
    const r = await admin(argv as string[]);
    expect(r.code).toBe(code);
    expect(r.out + r.err).toContain(text);
  });

  it('refuses to work on a database whose migrations are pending', async () => {
    const r = await admin(['accounts', 'list']);
    expect(r).toMatchObject({ code: 1, err: 'The database schema is not current. Run `admin migrate` first.' });
  });

  it('migrate applies every migration once, then has nothing to do', async () => {
    const first = await admin(['migrate']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Applied \d+ migration\(s\): 0001_foundation, /);
    const again = await admin(['migrate']);
    expect(again).toMatchObject({ code: 0 });
    expect(again.out).toMatch(/^Nothing to apply: all \d+ migration\(s\) were already applied\.$/);
  });

  it('accounts list / disable / enable report what they did', async () => {
    await withStore(async (s) => {
      await upsertAccount(s, { id: 'user-a', email: 'a@example.com' });
      await upsertAccount(s, { id: 'user-b', email: null });
    });
    const list = await admin(['accounts', 'list']);
    expect(list.code).toBe(0);
    expect(list.out.split('\n')[0]).toMatch(/^ID\s+EMAIL\s+CREATED\s+STATUS\s+INTERVALS\.ICU$/);
    expect(list.out).toMatch(/user-a\s+a@example\.com\s+\d{4}-\d\d-\d\d\s+active\s+not linked/);
    expect(list.out).toContain('2 account(s), 0 disabled.');

    expect(await admin(['accounts', 'disable', 'user-a'])).toMatchObject({
      code: 0,
      out: expect.stringContaining('Account user-a (a@example.com) disabled'),
    });
    expect(await admin(['accounts', 'disable', 'user-a'])).toMatchObject({
      code: 0,
      out: expect.stringContaining('already disabled; nothing changed'),
    });
    const disabledAt = await withStore((s) =>
      s.query<{ d: Date | null }>('SELECT disabled_at AS d FROM accounts WHERE id = $1', ['user-a']),
    );
    expect(disabledAt[0]!.d).toBeInstanceOf(Date);
    expect((await admin(['accounts', 'list'])).out).toContain('1 disabled.');

    expect(await admin(['accounts', 'enable', 'user-a'])).toMatchObject({ code: 0, out: 'Account user-a (a@example.com) enabled again.' });
    const enabled = await withStore((s) => s.query<{ d: Date | null }>('SELECT disabled_at AS d FROM accounts WHERE id = $1', ['user-a']));
    expect(enabled[0]!.d).toBeNull();

    expect(await admin(['accounts', 'disable', 'nobody'])).toMatchObject({
      code: 2,
      err: 'No account with id nobody. See `admin accounts list`.',
    });
    expect(await admin(['accounts', 'disable'])).toMatchObject({ code: 64 });
  });

  it('accounts delete shows what would go without --yes, and deletes the account and its rows with it', async () => {
    const box = createSecretBox({ encryptionKey: randomBytes(32), previousEncryptionKeys: [] });
    await withStore(async (s) => {
      await upsertAccount(s, { id: 'user-del', email: 'del@example.com' });
      await s.query(`INSERT INTO oidc_payloads (model, id, payload, grant_id) VALUES
        ('Grant', 'g-del', '{"accountId":"user-del"}', NULL), ('RefreshToken', 'rt-del', '{"accountId":"user-del"}', 'g-del'),
        ('Grant', 'g-other', '{"accountId":"someone-else"}', NULL)`);
      await s.query(
        `INSERT INTO intervals_links (account_id, athlete_id, method, secret_ciphertext, key_version) VALUES ($1, 'i1', 'api_key', $2, $3)`,
        ['user-del', box.seal('k', 'intervals_links:user-del'), box.currentKeyId],
      );
    });
    const dry = await admin(['accounts', 'delete', 'user-del']);
    expect(dry.code).toBe(64);
    // Every table the accounts part deletes from is counted; other parts may add tables to that list.
    expect(dry.out).toMatch(
      /^Would delete account user-del \(del@example\.com\) and its rows \(oidc_payloads: 2, (\w+: \d+, )*intervals_links: 1, personal_access_tokens: 0, account_sessions: 0\)\.$/,
    );
    expect(dry.err).toBe('Nothing deleted: add --yes to delete.');
    expect(await withStore((s) => s.query('SELECT 1 FROM accounts WHERE id = $1', ['user-del']))).toHaveLength(1);

    const done = await admin(['accounts', 'delete', 'user-del', '--yes']);
    expect(done.code).toBe(0);
    expect(done.out).toMatch(
      /^Deleted account user-del \(del@example\.com\) and its rows \(oidc_payloads: 2, (\w+: \d+, )*intervals_links: 1, personal_access_tokens: 0, account_sessions: 0\)\.$/,
    );
    expect(
      (await withStore((s) => s.query<{ id: string }>('SELECT id FROM oidc_payloads WHERE id LIKE $1', ['g-%']))).map((r) => r.id),
    ).toEqual(['g-other']);
    expect(await withStore((s) => s.query('SELECT 1 FROM accounts WHERE id = $1', ['user-del']))).toHaveLength(0);
    expect(await withStore((s) => s.query('SELECT 1 FROM intervals_links WHERE account_id = $1', ['user-del']))).toHaveLength(0);
  });

  it('reencrypt re-seals rows under the new ENCRYPTION_KEY, keeping the secret readable', async () => {
    const oldKey = key();
    const newKey = key();
    const oldBox = createSecretBox({ encryptionKey: Buffer.from(oldKey, 'base64'), previousEncryptionKeys: [] });
    await withStore(async (s) => {
      await upsertAccount(s, { id: 'user-r', email: null });
      await s.query(
        `INSERT INTO intervals_links (account_id, athlete_id, method, secret_ciphertext, key_version) VALUES ($1, 'i2', 'api_key', $2, $3)`,
        ['user-r', oldBox.seal('the-api-key', 'intervals_links:user-r'), oldBox.currentKeyId],
      );
    });
    const r = await admin(['reencrypt'], { ENCRYPTION_KEY: newKey, PREVIOUS_ENCRYPTION_KEYS: oldKey });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^Re-encrypted under key [0-9a-f]{8}\. intervals_links: 1 re-sealed, 0 already current; signing_keys: \d+ re-sealed, \d+ already current\.$/,
    );
    const newBox = createSecretBox({ encryptionKey: Buffer.from(newKey, 'base64'), previousEncryptionKeys: [] });
    const row = await withStore((s) =>
      s.query<{ c: string; v: string }>('SELECT secret_ciphertext AS c, key_version AS v FROM intervals_links WHERE account_id = $1', [
        'user-r',
      ]),
    );
    expect(row[0]!.v).toBe(newBox.currentKeyId);
    expect(newBox.open(row[0]!.c, 'intervals_links:user-r')).toBe('the-api-key');
    expect(r.out + r.err).not.toContain('the-api-key');

    const twice = await admin(['reencrypt'], { ENCRYPTION_KEY: newKey });
    expect(twice.out).toContain('intervals_links: 0 re-sealed, 1 already current');
  });

  it('sweep deletes expired rows of every part and keeps live ones', async () => {
    await withStore(async (s) => {
      await upsertAccount(s, { id: 'user-s', email: null });
      await s.query(`INSERT INTO oidc_payloads (model, id, payload, expires_at) VALUES
        ('Session', 'gone-1', '{}', now() - interval '1 minute'), ('Session', 'gone-2', '{}', now() - interval '1 day'),
        ('Session', 'live', '{}', now() + interval '1 hour'), ('Client', 'forever', '{}', NULL)`);
      await s.query(`INSERT INTO account_sessions (id_hash, account_id, expires_at) VALUES
        ('old', 'user-s', now() - interval '1 hour'), ('new', 'user-s', now() + interval '1 hour')`);
      // Tool calls per person and the per-IP limits (registration, token, sign-in) share one table.
      await s.query(
        `INSERT INTO rate_limit_hits (key, bucket_start, hits) VALUES ('tool-calls:user-s', $1, 3), ('tool-calls:user-s', $2, 1),
           ('register:ip:1.2.3.4', $1, 5), ('register:ip:1.2.3.4', $2, 1)`,
        [Date.now() - 2 * 3_600_000, Date.now()],
      );
      await s.query(`INSERT INTO signin_flows (id, sealed, expires_at) VALUES
        ('old', 'x', now() - interval '1 hour'), ('new', 'x', now() + interval '1 hour')`);
    });
    const r = await admin(['sweep']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out.split('\n')).toEqual([
      'OAuth artefacts (oidc_payloads): 2 expired row(s) deleted.',
      'rate-limit buckets (rate_limit_hits): 2 expired row(s) deleted.',
      'account page sessions (account_sessions): expired rows deleted.',
      'sign-in flows (signin_flows): 1 expired row(s) deleted.',
    ]);
    const left = await withStore(async (s) => ({
      payloads: (await s.query<{ id: string }>(`SELECT id FROM oidc_payloads WHERE model IN ('Session', 'Client') ORDER BY id`)).map(
        (x) => x.id,
      ),
      buckets: (await s.query<{ key: string }>('SELECT key FROM rate_limit_hits ORDER BY key')).map((x) => x.key),
      sessions: (await s.query<{ id_hash: string }>('SELECT id_hash FROM account_sessions')).map((x) => x.id_hash),
      flows: (await s.query<{ id: string }>('SELECT id FROM signin_flows')).map((x) => x.id),
    }));
    expect(left).toEqual({
      payloads: ['forever', 'live'],
      buckets: ['register:ip:1.2.3.4', 'tool-calls:user-s'],
      sessions: ['new'],
      flows: ['new'],
    });
  });

  const signingKeys = () =>
    withStore((s) =>
      s.query<{ kid: string; superseded: boolean; signs_in: number }>(
        `SELECT kid, superseded_at IS NOT NULL AS superseded, round(extract(epoch FROM activates_at - now()))::int AS signs_in FROM signing_keys ORDER BY created_at`,
      ),
    );

  it('rotate-keys publishes a new signing key that signs after the lead, and says when', async () => {
    const env = { ENCRYPTION_KEY: key() };
    // 35 s: the shortest lead it accepts with the default SIGNING_KEYS_RELOAD_SECONDS (30) + the 5 s JWKS refetch cooldown.
    const first = await admin(['rotate-keys', '35'], env);
    expect(first.code).toBe(0);
    expect(first.err).toBe('');
    expect(first.out).toMatch(/^Published signing key [A-Za-z0-9_-]{43}; it signs from \d{4}-\d\d-\d\dT[\d:.]+Z \(in 35 s\)\./);
    const second = await admin(['rotate-keys'], env);
    expect(second.out).toContain('(in 300 s)');
    const rows = await signingKeys();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(second.out).toContain(rows.at(-1)!.kid);
    expect(rows.at(-1)!.superseded).toBe(false);
    expect(rows.at(-2)!.superseded).toBe(true);
    expect(await admin(['rotate-keys', 'soon'], env)).toMatchObject({ code: 64 });
    const configured = await admin(['rotate-keys'], { ...env, SIGNING_KEYS: '{"keys":[]}' });
    expect(configured.code).toBe(1);
    expect(configured.err).toContain('Signing keys come from SIGNING_KEYS here');
  });

  it.each([
    ['0', {}, 35, 30],
    ['34', {}, 35, 30],
    ['14', { SIGNING_KEYS_RELOAD_SECONDS: '10' }, 15, 10],
  ])(
    'rotate-keys %s (env %j) is refused below the safe minimum of %i s, saying how to proceed; no key is added',
    async (lead, extra, minimum, reload) => {
      const env = { ENCRYPTION_KEY: key(), ...extra };
      const kids = async () => (await signingKeys()).map((k) => k.kid);
      const before = await kids();
      const r = await admin(['rotate-keys', lead], env);
      expect(r.code).toBe(64);
      expect(r.out).toBe('');
      expect(r.err).toBe(
        `Refused: a publish lead of ${lead} s is shorter than the safe minimum of ${minimum} s ` +
          `(SIGNING_KEYS_RELOAD_SECONDS ${reload} s for every instance to publish the new key + 5 s for resource servers to refetch the JWKS); ` +
          'with less, access tokens signed by the new key are refused with 401 until every instance and resource server has it. ' +
          `Run \`rotate-keys ${minimum}\` or more (or no lead: the default 300 s). In an emergency, \`rotate-keys ${lead} --force\` rotates anyway.`,
      );
      expect(await kids()).toEqual(before);
    },
  );

  it('rotate-keys 0 --force rotates at once and first says what will happen', async () => {
    const env = { ENCRYPTION_KEY: key() };
    const r = await admin(['rotate-keys', '0', '--force'], env);
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      'Warning (--force): a publish lead of 0 s is shorter than the safe minimum of 35 s ' +
        '(SIGNING_KEYS_RELOAD_SECONDS 30 s for every instance to publish the new key + 5 s for resource servers to refetch the JWKS). ' +
        'For up to 35 s after the new key starts signing, some requests with freshly issued or refreshed access tokens will be refused with 401 ' +
        '"signed with a key this server does not know"; tokens issued before the rotation stay valid.',
    );
    expect(r.out).toMatch(/^Published signing key ([A-Za-z0-9_-]{43}); it signs from \S+ \(in 0 s\)\./);
    const rows = await signingKeys();
    expect(r.out).toContain(rows.at(-1)!.kid);
    expect(rows.at(-1)!.superseded).toBe(false);
    expect(rows.at(-1)!.signs_in).toBeLessThanOrEqual(0); // already signing
    // --force at or above the minimum changes nothing about the command: no warning.
    const safe = await admin(['rotate-keys', '35', '--force'], env);
    expect([safe.code, safe.err]).toEqual([0, '']);
  });

  it('exits 78 naming the problem, without the value, when the configuration is invalid', async () => {
    const r = await admin(['accounts', 'list'], { NODE_ENV: 'production', COOKIE_KEYS: 'short-SECRET' });
    expect(r.code).toBe(78);
    expect(r.err).toContain('BASE_URL is required in production');
    expect(r.err).not.toContain('short-SECRET');
  });

  it('the compiled entry point passes the exit code to the shell', () => {
    const r = spawnSync(process.execPath, ['dist/src/admin.js', 'accounts', 'enable', 'nobody'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...db.env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('No account with id nobody. See `admin accounts list`.\n');
  });
});
