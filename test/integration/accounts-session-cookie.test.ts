import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Server } from 'node:http';
import Koa from 'koa';
import { upsertAccount } from '../../src/accounts/account-store.js';
import { endAccountSession, readAccountSession, startAccountSession } from '../../src/accounts/sessions.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

/**
 * The account session cookie in production: BASE_URL is https there (enforced at start-up), so the
 * cookie must carry Secure even when the hop from the proxy is plain HTTP (as here).
 */
describe('account session cookie', () => {
  let db: TestDatabase;
  let store: Store;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await db.openMigrated();
    await upsertAccount(store, { id: 'cookie-acc', email: null });
    const app = new Koa({ keys: ['k'.repeat(32)] });
    app.use(async (ctx) => {
      const production = ctx.query.production === '1';
      if (ctx.path === '/account/start') await startAccountSession(ctx, store, 'cookie-acc', production);
      if (ctx.path === '/account/end') await endAccountSession(ctx, store, production);
      ctx.body = { accountId: (await readAccountSession(ctx, store)) ?? null };
    });
    server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server?.close();
    await store?.close();
    await db?.drop();
  });

  it.each([
    ['production', true, '1'],
    ['development over plain http', false, '0'],
  ])('%s: Secure %s; always HttpOnly, SameSite=Lax, Path=/account, 12 h', async (_label, secure, production) => {
    const res = await fetch(`${url}/account/start?production=${production}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('account_session='))!;
    expect(/;\s*secure/i.test(cookie)).toBe(secure);
    expect(cookie).toMatch(/path=\/account;/i);
    expect(cookie).toMatch(/samesite=lax/i);
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/max-age=43200|expires=/i);
  });

  it('reads back only a signed, live session; ending it deletes the row', async () => {
    const res = await fetch(`${url}/account/start`);
    const cookies = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    expect(await (await fetch(`${url}/account/check`, { headers: { cookie: cookies } })).json()).toEqual({ accountId: 'cookie-acc' });
    const forged = cookies.replace(/account_session=[^;]+/, `account_session=${'A'.repeat(43)}`);
    expect(await (await fetch(`${url}/account/check`, { headers: { cookie: forged } })).json()).toEqual({ accountId: null });
    await store.query(`UPDATE account_sessions SET expires_at = now() - interval '1 second'`);
    expect(await (await fetch(`${url}/account/check`, { headers: { cookie: cookies } })).json()).toEqual({ accountId: null });
    await store.query(`UPDATE account_sessions SET expires_at = now() + interval '1 hour'`);
    const count = async () => (await store.query('SELECT 1 FROM account_sessions')).length;
    const before = await count();
    expect(await (await fetch(`${url}/account/end`, { headers: { cookie: cookies } })).json()).toEqual({ accountId: null });
    expect(await count()).toBe(before - 1);
  });
});
