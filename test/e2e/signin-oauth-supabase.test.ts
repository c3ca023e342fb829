import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
import {
  authorizationUrl,
  exchangeCode,
  launchChromium,
  linkIntervals,
  pkce,
  registerClient,
  startOAuthService,
  type OAuthService,
} from '../support/oauth.js';
import { startSupabaseStandIn, type SupabaseStandIn } from '../fakes/supabase/server.js';
import { supabaseEnv } from '../fakes/supabase/auth-client.js';

/**
 * The whole service with Supabase sign-in (stand-in) in Chromium: /authorize → our sign-in page →
 * Supabase (and its provider) → back under /interaction/<uid>/signin/callback, where the
 * interaction cookie is sent → consent → link → the client's redirect_uri → token whose `sub` is
 * the Supabase user id.
 */
describe('OAuth authorization with Supabase sign-in, in Chromium', () => {
  let s: SupabaseStandIn;
  let svc: OAuthService;
  let browser: Browser;
  beforeAll(async () => {
    s = await startSupabaseStandIn();
    svc = await startOAuthService(supabaseEnv(s));
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
    await s?.close();
  });

  /** Walks the flow, signing in with `signIn` on our sign-in page; returns the URL the client received. */
  async function authorizeWith(
    signIn: (page: Page) => Promise<void>,
    email: string,
  ): Promise<{ landed: URL; verifier: string; client: Awaited<ReturnType<typeof registerClient>> }> {
    const client = await registerClient(svc.url);
    const { verifier, challenge } = pkce();
    const context = await browser.newContext();
    const page = await context.newPage();
    let landed: URL | undefined;
    await context.route(
      (u) => u.href.startsWith(client.redirect_uris[0]!),
      async (route) => {
        landed = new URL(route.request().url());
        await route.fulfill({ status: 200, contentType: 'text/plain', body: 'done' });
      },
    );
    try {
      await page.goto(authorizationUrl(svc.url, { client, challenge, scope: 'intervals:read' }));
      for (let step = 0; step < 12 && !landed; step++) {
        await page.waitForLoadState('load');
        const path = new URL(page.url()).pathname;
        // The sign-in page, also as the answer to a failed POST (its URL is then …/signin/password).
        if (/^\/interaction\/[^/]+\/signin/.test(path) && (await page.getByLabel('Password').count())) await signIn(page);
        else if (/^\/interaction\/[^/]+\/link$/.test(path)) {
          await linkIntervals(svc)({ email });
          await page.goto(`${svc.url}/authorize/${path.split('/')[2]}`).catch(() => undefined);
        } else if (await page.getByRole('button', { name: 'Allow' }).count()) await page.getByRole('button', { name: 'Allow' }).click();
        if (!landed) await page.waitForURL((u) => u.pathname !== path, { timeout: 15_000 }).catch(() => undefined);
      }
      if (!landed) throw new Error(`flow ended on ${page.url()}:\n${(await page.content()).slice(0, 1500)}`);
      return { landed, verifier, client };
    } finally {
      await context.close();
    }
  }

  it('"Continue with GitHub" through Supabase: the callback under /interaction/<uid>/ finds the interaction, and the token names the Supabase user', async () => {
    s.setIdpDecision('github', { email: 'e2e-octo@example.com' });
    const { landed, verifier, client } = await authorizeWith(async (page) => {
      await page.getByRole('link', { name: 'Continue with GitHub' }).click();
      await page.waitForURL((u) => !u.pathname.endsWith('/signin'), { timeout: 15_000 });
    }, 'e2e-octo@example.com');
    const code = landed.searchParams.get('code');
    expect(code).toEqual(expect.any(String));
    const tokens = await exchangeCode(svc.url, client, { code: code!, verifier });
    expect(tokens.status).toBe(200);
    const user = [...s.users.values()].find((u) => u.email === 'e2e-octo@example.com')!;
    expect(decodeJwt(tokens.body.access_token!)).toMatchObject({ sub: user.id, aud: svc.resource });
  });

  it('email + password through Supabase, after one wrong password shown on the page', async () => {
    const user = s.createConfirmedUser('e2e-pw@example.com', 'e2e-password');
    let tried = false;
    const { landed, verifier, client } = await authorizeWith(async (page) => {
      await page.getByLabel('Email').fill('e2e-pw@example.com');
      await page.getByLabel('Password').fill(tried ? 'e2e-password' : 'wrong-password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForLoadState('load');
      if (!tried) {
        expect(new URL(page.url()).pathname).toMatch(/\/signin\/password$/);
        tried = true;
        expect(await page.getByRole('alert').textContent()).toBe(
          'That email and password do not match. Check them and try again, or choose “Email me a code”.',
        );
      }
    }, 'e2e-pw@example.com');
    const tokens = await exchangeCode(svc.url, client, { code: landed.searchParams.get('code')!, verifier });
    expect(tokens.status).toBe(200);
    expect(decodeJwt(tokens.body.access_token!).sub).toBe(user.id);
    expect(tried).toBe(true);
  });
});
