import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { devPersonId } from '../../src/signin/dev-identity.js';
import { verifyPersonalAccessToken } from '../../src/accounts/pats.js';
import type { FakeIntervals } from '../fakes/intervals/index.js';
import type { IntervalsOAuthStandIn } from '../fakes/intervals/oauth.js';
import {
  exchangeCode,
  launchChromium,
  pkce,
  refreshTokens,
  registerClient,
  type OAuthService,
  type RegisteredClient,
} from '../support/oauth.js';
import { rowsMentioning } from '../integration/accounts-support.js';
import {
  contextCatching,
  signInAndConsent,
  startWithIntervalsOAuth,
  waitFor,
  type ServiceWithIntervals,
} from './accounts-browser-support.js';

/**
 * The accounts part in a real browser: the link step inside the OAuth sign-in (API key and
 * "Connect with Intervals.icu"), then the account page (apps, tokens, revoke, delete). Chromium
 * enforces the pages' CSP, so a form post that ended in a redirect chain to the client's
 * redirect_uri would be blocked here (form-action applies to redirects after a form post).
 */
describe('accounts in headless Chromium', () => {
  let world: ServiceWithIntervals;
  let fake: FakeIntervals;
  let oauth: IntervalsOAuthStandIn;
  let svc: OAuthService;
  let browser: Browser;
  const ann = () => fake.athlete('i1001');

  beforeAll(async () => {
    world = await startWithIntervalsOAuth();
    ({ fake, oauth, svc } = world);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  let annClient: RegisteredClient;
  let annRefresh: string;

  it('links with an API key inside the sign-in: a wrong key is explained and nothing saved; the right one continues to the client', async () => {
    annClient = await registerClient(svc.url);
    const { verifier, challenge } = pkce();
    const { context, page, landed } = await contextCatching(browser, annClient.redirect_uris[0]!);
    try {
      await signInAndConsent(page, svc.url, annClient, challenge, 'ann.browser@example.com');
      expect(await page.locator('h1').textContent()).toBe('Link your Intervals.icu account');

      await page.getByLabel('Athlete ID').fill('i1001');
      await page.getByLabel('API key').fill('not-the-right-key-123');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Connect', exact: true }).click()]);
      expect(await page.getByRole('alert').textContent()).toMatch(/^Intervals.icu rejected this API key for athlete i1001/);
      expect(await page.getByLabel('Athlete ID').inputValue()).toBe('i1001');
      expect(await page.getByLabel('API key').inputValue()).toBe('');
      expect(await svc.store.query('SELECT 1 FROM intervals_links')).toEqual([]);

      await page.getByLabel('API key').fill(ann().apiKey);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      const callback = await waitFor(landed);
      expect(callback.searchParams.get('iss')).toBe(svc.url);
      const tokens = await exchangeCode(svc.url, annClient, { code: callback.searchParams.get('code')!, verifier });
      expect(tokens.status).toBe(200);
      annRefresh = tokens.body.refresh_token!;
      expect(annRefresh).toEqual(expect.any(String));
    } finally {
      await context.close();
    }
    const rows = await svc.store.query('SELECT athlete_id, athlete_name, method FROM intervals_links WHERE account_id = $1', [
      devPersonId('ann.browser@example.com'),
    ]);
    expect(rows).toEqual([{ athlete_id: 'i1001', athlete_name: 'Ann Example', method: 'api_key' }]);
  });

  it('"Connect with Intervals.icu" inside the sign-in: through Intervals.icu and back to the client, keeping only the ticked scopes', async () => {
    const client = await registerClient(svc.url);
    const { challenge } = pkce();
    const { context, page, landed } = await contextCatching(browser, client.redirect_uris[0]!);
    try {
      await signInAndConsent(page, svc.url, client, challenge, 'ben.browser@example.com');
      await Promise.all([
        page.waitForURL((u) => u.origin === oauth.url),
        page.getByRole('link', { name: 'Connect with Intervals.icu' }).click(),
      ]);
      await page.getByLabel('LIBRARY:WRITE').uncheck();
      await page.getByLabel('SETTINGS:WRITE').uncheck();
      await page.getByRole('button', { name: 'Authorize' }).click();
      const callback = await waitFor(landed);
      expect(callback.searchParams.get('code')).toEqual(expect.any(String));
    } finally {
      await context.close();
    }
    const rows = await svc.store.query('SELECT athlete_id, method, scopes FROM intervals_links WHERE account_id = $1', [
      devPersonId('ben.browser@example.com'),
    ]);
    expect(rows).toEqual([{ athlete_id: 'i2002', method: 'oauth', scopes: ['ACTIVITY:WRITE', 'WELLNESS:WRITE', 'CALENDAR:WRITE'] }]);
  });

  it('account page: shows the link and the app; creates a token shown once; revokes the app; deletes the account leaving no row behind', async () => {
    const email = 'ann.browser@example.com';
    const accountId = devPersonId(email);
    const context = await browser.newContext();
    const page = await context.newPage();
    let token: string;
    try {
      await page.goto(`${svc.url}/account`);
      expect(new URL(page.url()).pathname).toBe('/account/signin');
      await page.locator('form[action$="/dev"] input[name="email"]').fill(email);
      await Promise.all([page.waitForURL(`${svc.url}/account`), page.locator('form[action$="/dev"] button[type="submit"]').click()]);

      expect(await page.locator('#link-details').textContent()).toMatch(/Ann Example\s*i1001[\s\S]*personal API key[\s\S]*working/);
      const appRow = page.locator('#clients tr[data-grant]');
      expect(await appRow.count()).toBe(1);
      expect(await appRow.textContent()).toContain('Test client');
      expect(await appRow.textContent()).toContain('intervals:read');

      await page.getByLabel('Name').fill('Cursor');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Create token' }).click()]);
      token = (await page.locator('#new-token-value').textContent())!;
      expect(token).toMatch(/^imcp_pat_/);
      expect(await verifyPersonalAccessToken(svc.store, token)).toMatchObject({ accountId, scopes: ['intervals:read'] });
      await page.goto(`${svc.url}/account`);
      expect(await page.content()).not.toContain(token);

      // Revoking takes a second step that says what happens; Cancel goes back with nothing changed.
      await Promise.all([
        page.waitForURL(/\/account\/clients\/[^/]+\/revoke$/),
        appRow.getByRole('link', { name: 'Revoke access for Test client' }).click(),
      ]);
      expect(await page.locator('h1').textContent()).toBe('Revoke access for Test client?');
      await Promise.all([page.waitForURL(`${svc.url}/account`), page.getByRole('link', { name: 'Cancel, keep it' }).click()]);
      expect(await page.locator('#clients tr[data-grant]').count()).toBe(1);
      await Promise.all([page.waitForURL(/\/revoke$/), appRow.getByRole('link', { name: 'Revoke access for Test client' }).click()]);
      await Promise.all([page.waitForURL(/done=revoked_client/), page.getByRole('button', { name: 'Revoke Test client' }).click()]);
      expect(await page.locator('#clients tr[data-grant]').count()).toBe(0);
      const refused = await refreshTokens(svc.url, annClient, annRefresh);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_grant');

      await Promise.all([page.waitForURL(`${svc.url}/account/delete`), page.getByRole('link', { name: 'Delete my account…' }).click()]);
      await page.getByLabel('I understand, delete everything').check();
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Delete my account' }).click()]);
      expect(await page.locator('h1').textContent()).toBe('Your account is deleted');
    } finally {
      await context.close();
    }
    expect(await rowsMentioning(svc.store, accountId)).toEqual([]);
    expect(await rowsMentioning(svc.store, email)).toEqual([]);
    expect(await verifyPersonalAccessToken(svc.store, token)).toBeUndefined();
  });
});
