import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { startIntervalsOAuthStandIn, type IntervalsOAuthStandIn } from '../fakes/intervals/oauth.js';
import { authorizationUrl, startOAuthService, type OAuthService, type RegisteredClient } from '../support/oauth.js';

export interface ServiceWithIntervals {
  fake: FakeIntervals;
  /** Intervals.icu's OAuth stand-in; whoever is "signed in" there is athlete i2002. */
  oauth: IntervalsOAuthStandIn;
  svc: OAuthService;
  close(): Promise<void>;
}

/** The service against the Intervals.icu stand-ins, with its OAuth app configured (so "Connect with Intervals.icu" is offered). */
export async function startWithIntervalsOAuth(env: Record<string, string> = {}): Promise<ServiceWithIntervals> {
  const fake = await startFakeIntervals();
  const oauth = await startIntervalsOAuthStandIn(fake.athlete('i2002'));
  const svc = await startOAuthService({
    INTERVALS_API_BASE_URL: fake.url,
    INTERVALS_OAUTH_BASE_URL: oauth.url,
    INTERVALS_OAUTH_CLIENT_ID: oauth.clientId,
    INTERVALS_OAUTH_CLIENT_SECRET: oauth.clientSecret,
    ...env,
  });
  return {
    fake,
    oauth,
    svc,
    async close() {
      await svc.close();
      await oauth.close();
      await fake.close();
    },
  };
}

/** A browser context whose requests to the client's redirect_uri are caught, never sent. */
export async function contextCatching(
  browser: Browser,
  redirectUri: string,
): Promise<{ context: BrowserContext; page: Page; landed: () => URL | undefined }> {
  const context = await browser.newContext();
  const target = new URL(redirectUri);
  let landed: URL | undefined;
  await context.route(
    (u) => u.origin === target.origin && u.pathname === target.pathname,
    async (route) => {
      landed = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' });
    },
  );
  return { context, page: await context.newPage(), landed: () => landed };
}

/** Authorize → development sign-in → Allow; leaves the page on the link step. */
export async function signInAndConsent(
  page: Page,
  baseUrl: string,
  client: RegisteredClient,
  challenge: string,
  email: string,
  scope = 'intervals:read',
): Promise<void> {
  await page.goto(authorizationUrl(baseUrl, { client, challenge, scope }));
  await page.locator('form[action$="/dev"] input[name="email"]').fill(email);
  await Promise.all([page.waitForURL(/\/interaction\/[^/]+$/), page.locator('form[action$="/dev"] button[type="submit"]').click()]);
  await Promise.all([page.waitForURL(/\/interaction\/[^/]+\/link$/), page.getByRole('button', { name: 'Allow' }).click()]);
}

/** Polls `get` until it yields a value (bounded). */
export async function waitFor<T>(get: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing after ${ms} ms`);
}

/** Fills the link form (Athlete ID, API key) and presses Connect. */
export async function linkWithApiKey(page: Page, athleteId: string, apiKey: string): Promise<void> {
  await page.getByLabel('Athlete ID').fill(athleteId);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
}
