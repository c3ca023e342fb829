import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { devPersonId } from '../../src/signin/dev-identity.js';
import { markLinkBroken } from '../../src/accounts/links.js';
import { BROKEN_REASON_401 } from '../../src/accounts/link-health.js';
import type { FakeIntervals } from '../fakes/intervals/index.js';
import { startSupabaseStandIn, type SupabaseStandIn } from '../fakes/supabase/server.js';
import { supabaseEnv } from '../fakes/supabase/auth-client.js';
import { authorizationUrl, launchChromium, pkce, registerClient, type OAuthService, type RegisteredClient } from '../support/oauth.js';
import { HARNESS_START_MS, startSignInHarness, type SignInHarness } from '../support/signin-harness.js';
import { freePort } from '../support/process.js';
import { auditPage, type PageProblem } from '../support/page-audit.js';
import {
  contextCatching,
  linkWithApiKey,
  signInAndConsent,
  startWithIntervalsOAuth,
  waitFor,
  type ServiceWithIntervals,
} from './accounts-browser-support.js';

const CONTACT = 'https://operator.example/privacy';

/**
 * Every HTML page a person can meet, in headless Chromium at 390 and 1280 px, light and dark:
 * nothing sticks out sideways, axe-core finds no serious or critical violation, and a screenshot
 * of each is kept under test-artifacts/pages/. The pages are reached the way a person reaches
 * them (an OAuth connect, the account page, its confirmations, the error pages), so each is seen
 * in the states it really has.
 */
describe('every page at phone and desktop width, light and dark', () => {
  let world: ServiceWithIntervals;
  let fake: FakeIntervals;
  let svc: OAuthService;
  let supabase: SupabaseStandIn;
  let signInHarness: SignInHarness;
  let browser: Browser;
  const problems: PageProblem[] = [];
  const audited: string[] = [];
  const audit = async (page: Page, name: string) => {
    audited.push(name);
    problems.push(...(await auditPage(page, name)));
  };
  const h1 = (page: Page) => page.locator('h1').first().textContent();

  beforeAll(async () => {
    world = await startWithIntervalsOAuth({ OPERATOR_CONTACT_URL: CONTACT });
    ({ fake, svc } = world);
    const port = await freePort();
    supabase = await startSupabaseStandIn({ siteUrl: `http://127.0.0.1:${port}` });
    signInHarness = await startSignInHarness({ ...supabaseEnv(supabase), PORT: String(port) });
    browser = await launchChromium();
  }, HARNESS_START_MS);
  afterAll(async () => {
    await browser?.close();
    await signInHarness?.close();
    await supabase?.close();
    await world?.close();
  }, HARNESS_START_MS);

  it('the landing page: the connector URL, every client, what we keep; with JavaScript off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      const res = await page.goto(`${svc.url}/`);
      expect(res?.status()).toBe(200);
      expect(await h1(page)).toBe('Intervals MCP');
      expect(await page.getByLabel('Connector URL').inputValue()).toBe(`${svc.url}/mcp`);
      expect(await page.getByLabel('Connector URL').getAttribute('readonly')).toBe('');
      const headings = await page.locator('#clients h3').allTextContents();
      expect(headings).toEqual([
        'claude.ai and Claude Desktop',
        'Claude Code',
        'ChatGPT',
        'VS Code (GitHub Copilot)',
        'Cursor',
        'Any other client (mcp-remote)',
      ]);
      for (const id of ['claude', 'claude-code', 'chatgpt', 'vscode', 'cursor', 'mcp-remote']) {
        expect({ id, hasSteps: (await page.locator(`#client-${id} li`).count()) >= 2 }).toEqual({ id, hasSteps: true });
      }
      expect(await page.locator('#client-claude-code').textContent()).toContain(`claude mcp add --transport http intervals ${svc.url}/mcp`);
      // A local (http) BASE_URL: mcp-remote needs --allow-http, and the page says claude.ai cannot reach it.
      expect(await page.locator('#client-mcp-remote').textContent()).toContain(`"-y", "mcp-remote", "${svc.url}/mcp", "--allow-http"`);
      expect(await page.locator('#local-note').textContent()).toMatch(/claude.ai, ChatGPT and Claude Desktop's connectors cannot reach it/);
      expect(await page.locator('#privacy').textContent()).toMatch(/Delete my account/);
      expect(await page.locator('#privacy a[href="/account"]').count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Contact and privacy: the operator of this service' }).getAttribute('href')).toBe(
        CONTACT,
      );
      await Promise.all([
        page.waitForURL(`${svc.url}/account/signin`),
        page.getByRole('link', { name: 'Sign in to your account' }).click(),
      ]);
    } finally {
      await context.close();
    }
    const withJs = await browser.newPage();
    try {
      await withJs.goto(`${svc.url}/`);
      await audit(withJs, 'landing');
    } finally {
      await withJs.close();
    }
  });

  it('OAuth error pages, and an expired sign-in', async () => {
    const page = await browser.newPage();
    try {
      const client = await registerClient(svc.url);
      const cases: [string, string, string][] = [
        ['error-authorize-no-client-id', `${svc.url}/authorize?response_type=code`, 'The app sent an incomplete request'],
        [
          'error-authorize-unknown-client',
          authorizationUrl(svc.url, {
            client: { client_id: 'nobody', redirect_uris: ['http://127.0.0.1:1/cb'] },
            challenge: pkce().challenge,
          }),
          'This app is not known here',
        ],
        [
          'error-authorize-bad-redirect',
          authorizationUrl(svc.url, { client, challenge: pkce().challenge, redirectUri: 'https://elsewhere.example/cb' }),
          'The app asked to send you somewhere unexpected',
        ],
        ['error-signin-expired', `${svc.url}/interaction/no-such-interaction/link`, 'This sign-in has expired'],
        ['error-interaction-expired', `${svc.url}/interaction/no-such-interaction`, 'This sign-in has expired'],
      ];
      for (const [name, url, title] of cases) {
        await page.goto(url);
        expect({ name, title: await h1(page) }).toEqual({ name, title });
        await audit(page, name);
      }
    } finally {
      await page.close();
    }
  });

  it('the Supabase sign-in page: start, a wrong password, the emailed-code step', async () => {
    supabase.createConfirmedUser('pages@example.com', 'pages-password');
    const page = await browser.newPage();
    try {
      await page.goto(`${signInHarness.url}/interaction/abc/signin`);
      expect(await page.getByRole('link', { name: 'Continue with GitHub' }).count()).toBe(1);
      await audit(page, 'signin-supabase');
      await page.getByLabel('Email').fill('pages@example.com');
      await page.getByLabel('Password').fill('not-the-password');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
      expect(await page.getByRole('alert').textContent()).toMatch(/do not match/);
      await audit(page, 'signin-supabase-error');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Email me a code' }).click()]);
      expect(await page.getByLabel('Code').count()).toBe(1);
      await audit(page, 'signin-code');
    } finally {
      await page.close();
    }
  });

  describe('an OAuth connect, then the account page in the same browser', () => {
    const email = 'pages.person@example.com';
    const accountId = devPersonId(email);
    let context: BrowserContext;
    let page: Page;
    let client: RegisteredClient;
    beforeAll(async () => {
      client = await registerClient(svc.url, { client_name: 'Pages Test App' });
    });
    afterAll(async () => context?.close());

    it('sign-in, consent and the link step (with "Connect with Intervals.icu" first), audited on the way', async () => {
      const caught = await contextCatching(browser, client.redirect_uris[0]!);
      context = caught.context;
      page = caught.page;
      await page.goto(authorizationUrl(svc.url, { client, challenge: pkce().challenge, scope: 'intervals:read' }));
      await page.waitForURL(/\/interaction\/[^/]+\/signin$/);
      await audit(page, 'signin-dev');
      await page.locator('form[action$="/dev"] input[name="email"]').fill(email);
      await Promise.all([page.waitForURL(/\/interaction\/[^/]+$/), page.locator('form[action$="/dev"] button[type="submit"]').click()]);
      expect(await h1(page)).toMatch(/^Allow Pages Test App/);
      expect(await page.getByRole('link', { name: 'your account page' }).getAttribute('href')).toBe('/account');
      expect(await page.getByRole('link', { name: 'Not you? Use another account' }).count()).toBe(1);
      await audit(page, 'consent');
      await Promise.all([page.waitForURL(/\/interaction\/[^/]+\/link$/), page.getByRole('button', { name: 'Allow' }).click()]);
      // The link step leads with Intervals.icu's own sign-in; the API key is the alternative.
      const primary = page.locator('a.button:not(.secondary), button:not(.secondary)').first();
      expect(await primary.textContent()).toBe('Connect with Intervals.icu');
      expect(await page.getByRole('heading', { name: 'Or use a personal API key' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Cancel and link later' }).count()).toBe(1);
      await audit(page, 'link');
      await page.getByLabel('Athlete ID').fill('i1001');
      await page.getByLabel('API key').fill('wrong-key-0123456789');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Connect', exact: true }).click()]);
      expect(await page.getByRole('alert').textContent()).toMatch(/rejected this API key/);
      await audit(page, 'link-error');
      await linkWithApiKey(page, 'i1001', fake.athlete('i1001').apiKey);
      const callback = await waitFor(caught.landed);
      expect(callback.searchParams.get('code')).toEqual(expect.any(String));
      await page.waitForURL((u) => u.origin === callback.origin && u.pathname === callback.pathname);
    });

    it('opens /account without a second sign-in: the OAuth sign-in started its session', async () => {
      const res = await page.goto(`${svc.url}/account`);
      expect(new URL(page.url()).pathname).toBe('/account');
      expect(res?.status()).toBe(200);
      expect(await h1(page)).toBe('Your account');
      expect(await page.locator('main').textContent()).toContain(`Signed in as ${email}`);
      expect(await page.locator('#clients tr[data-grant]').textContent()).toContain('Pages Test App');
      await audit(page, 'account-linked');
    });

    it('the account page with tokens (a fresh one shown once, a revoked one) and each confirmation step', async () => {
      for (const name of ['Old laptop', 'Cursor on my laptop']) {
        await page.getByLabel('Name').fill(name);
        await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Create token' }).click()]);
      }
      expect(await page.locator('#new-token-value').textContent()).toMatch(/^imcp_pat_/);
      await audit(page, 'account-new-token');

      await page.goto(`${svc.url}/account`);
      await Promise.all([
        page.waitForURL(/\/account\/tokens\/[^/]+\/revoke$/),
        page.getByRole('link', { name: 'Revoke token Old laptop' }).click(),
      ]);
      expect(await h1(page)).toBe('Revoke the token “Old laptop”?');
      await audit(page, 'confirm-revoke-token');
      await Promise.all([page.waitForURL(/done=revoked_token/), page.getByRole('button', { name: 'Revoke token' }).click()]);
      expect(await page.locator('#tokens').textContent()).toMatch(/revoked \d{4}-/);
      await audit(page, 'account-tokens');

      await Promise.all([
        page.waitForURL(/\/account\/clients\/[^/]+\/revoke$/),
        page.getByRole('link', { name: 'Revoke access for Pages Test App' }).click(),
      ]);
      expect(await h1(page)).toBe('Revoke access for Pages Test App?');
      await audit(page, 'confirm-revoke-app');
      await page.goto(`${svc.url}/account/delete`);
      await audit(page, 'confirm-delete');
      await page.goto(`${svc.url}/account/tokens/no-such-token/revoke`);
      expect(await h1(page)).toBe('Nothing to do');
      await audit(page, 'error-nothing-to-do');
    });

    it('a broken link, a failed re-link, unlink after its confirmation, and the unlinked page', async () => {
      await markLinkBroken(svc.store, accountId, BROKEN_REASON_401);
      await page.goto(`${svc.url}/account`);
      expect(await page.locator('#link-broken').count()).toBe(1);
      await audit(page, 'account-broken');
      await page.getByLabel('Athlete ID').fill('i1001');
      await page.getByLabel('API key').fill('another-wrong-key-0123');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Re-link', exact: true }).click()]);
      expect(await page.locator('#intervals [role="alert"]').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringMatching(/rejected this API key/)]),
      );
      await audit(page, 'account-link-error');

      await page.goto(`${svc.url}/account`);
      await Promise.all([page.waitForURL(`${svc.url}/account/unlink`), page.getByRole('link', { name: 'Unlink Intervals.icu…' }).click()]);
      expect(await page.locator('main').textContent()).toMatch(/This deletes your Intervals.icu API key stored here for athlete/);
      await audit(page, 'confirm-unlink');
      await Promise.all([page.waitForURL(/done=unlinked/), page.getByRole('button', { name: 'Unlink Intervals.icu' }).click()]);
      expect(await page.locator('#intervals').textContent()).toMatch(/Not linked yet/);
      expect(await svc.store.query('SELECT 1 FROM intervals_links WHERE account_id = $1', [accountId])).toEqual([]);
      await audit(page, 'account-unlinked');
    });

    it('sign-out, the account sign-in page, and the deleted-account page', async () => {
      await page.goto(`${svc.url}/logout`);
      await audit(page, 'logout-confirm');
      await page.goto(`${svc.url}/account`);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign out' }).click()]);
      expect(await h1(page)).toBe('Signed out');
      await audit(page, 'signed-out');
      await page.goto(`${svc.url}/account`);
      expect(new URL(page.url()).pathname).toBe('/account/signin');
      await audit(page, 'account-signin');
      await page.locator('form[action$="/dev"] input[name="email"]').fill(email);
      await Promise.all([page.waitForURL(`${svc.url}/account`), page.locator('form[action$="/dev"] button[type="submit"]').click()]);
      await page.goto(`${svc.url}/account/delete`);
      await page.getByLabel('I understand, delete everything').check();
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Delete my account' }).click()]);
      expect(await h1(page)).toBe('Your account is deleted');
      await audit(page, 'account-deleted');
    });
  });

  it('ways out: "Not you?" signs in as someone else; "Cancel and link later" tells the app access_denied', async () => {
    const client = await registerClient(svc.url, { client_name: 'Ways Out App' });
    const { context, page, landed } = await contextCatching(browser, client.redirect_uris[0]!);
    try {
      await signInAndConsent(page, svc.url, client, pkce().challenge, 'first.person@example.com');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Cancel and link later' }).click()]);
      const callback = await waitFor(landed);
      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.get('code')).toBeNull();
      expect(
        await svc.store.query('SELECT 1 FROM intervals_links WHERE account_id = $1', [devPersonId('first.person@example.com')]),
      ).toEqual([]);

      // Another app (so consent is asked again): signed in as the first person, the consent page offers to switch.
      const other = await registerClient(svc.url, { client_name: 'Ways Out App' });
      const again = await contextCatching(browser, other.redirect_uris[0]!);
      try {
        await again.page.goto(authorizationUrl(svc.url, { client: other, challenge: pkce().challenge, scope: 'intervals:read' }));
        await again.page.locator('form[action$="/dev"] input[name="email"]').fill('first.person@example.com');
        await Promise.all([
          again.page.waitForURL(/\/interaction\/[^/]+$/),
          again.page.locator('form[action$="/dev"] button[type="submit"]').click(),
        ]);
        expect(await again.page.locator('main').textContent()).toContain('Signed in as first.person@example.com');
        await Promise.all([
          again.page.waitForURL(/\/signin$/),
          again.page.getByRole('link', { name: 'Not you? Use another account' }).click(),
        ]);
        await again.page.locator('form[action$="/dev"] input[name="email"]').fill('second.person@example.com');
        await again.page.locator('form[action$="/dev"] button[type="submit"]').click();
        await waitFor(
          async () =>
            (
              (await again.page
                .locator('main')
                .textContent()
                .catch(() => '')) ?? ''
            ).includes('Signed in as second.person@example.com') || undefined,
        );
        expect(await h1(again.page)).toMatch(/^Allow Ways Out App/);
      } finally {
        await again.context.close();
      }
    } finally {
      await context.close();
    }
  });

  it('the audit itself sees a contrast failure, a page wider than the phone, an empty header and a missing focus ring (so a clean result means something)', async () => {
    const page = await browser.newPage();
    try {
      await page.setContent(
        '<!doctype html><html lang="en"><head><title>control</title><style>button{outline:none}</style></head><body><main><p style="color:#fff;background:#6aa7ff">white on light blue</p>' +
          '<div style="width:900px">wide</div><div class="card" style="width:200px"><code style="white-space:nowrap">imcp_pat_a_token_far_too_long_for_its_box_0123456789</code></div><table><tr><th></th><th>Name</th></tr></table><button>No ring</button></main></body></html>',
      );
      const found = (await auditPage(page, 'audit-control')).map((p) => `${p.variant} ${p.problem.replace(/:.*$/, '')}`);
      expect(found).toEqual(
        expect.arrayContaining([
          'any 1 empty <th>',
          'phone-light horizontal overflow',
          'desktop-light content wider than its box',
          'phone-light axe serious color-contrast',
          'desktop-dark axe serious color-contrast',
          'desktop-dark no visible focus ring on button "No ring"',
        ]),
      );
      expect(found).not.toContain('desktop-light horizontal overflow');
    } finally {
      await page.close();
    }
  });

  it('found no overflow, no serious or critical axe violation, no empty header and no control without a focus ring on any page', () => {
    expect(audited.length).toBeGreaterThanOrEqual(25);
    expect(problems).toEqual([]);
  });
});
