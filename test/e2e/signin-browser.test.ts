import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/oauth.js';
import { startSupabaseStandIn, type SupabaseStandIn } from '../fakes/supabase/server.js';
import { supabaseEnv } from '../fakes/supabase/auth-client.js';
import { HARNESS_START_MS, startSignInHarness, type SignInHarness } from '../support/signin-harness.js';
import { freePort } from '../support/process.js';

const PAGE = '/interaction/abc/signin';

/**
 * The sign-in page in headless Chromium with JavaScript switched OFF: every path must work as
 * plain HTML forms and links, found by their accessible labels and names, through the browser's
 * own cookies, redirects and CSP.
 */
describe('sign-in page in Chromium (no JavaScript)', () => {
  let browser: Browser;
  let s: SupabaseStandIn;
  let h: SignInHarness;
  let dev: SignInHarness;
  beforeAll(async () => {
    const port = await freePort();
    s = await startSupabaseStandIn({ siteUrl: `http://127.0.0.1:${port}` });
    h = await startSignInHarness({ ...supabaseEnv(s), PORT: String(port) });
    dev = await startSignInHarness({});
    browser = await launchChromium();
  }, HARNESS_START_MS);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([h?.close(), dev?.close()]);
    await s?.close();
  }, HARNESS_START_MS);

  async function open(base: string): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}${PAGE}`);
    return page;
  }
  const doneText = (page: Page) => page.locator('p').first().textContent();

  it('email + password: type, "Sign in", land signed in', async () => {
    s.createConfirmedUser('browser@example.com', 'browser-password');
    const page = await open(h.url);
    await page.getByLabel('Email').fill('browser@example.com');
    await page.getByLabel('Password').fill('browser-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/interaction/abc/done');
    expect(await doneText(page)).toBe('Signed in as browser@example.com');
    await page.context().close();
  });

  it('a wrong password: the message on the page, email kept, password cleared', async () => {
    s.createConfirmedUser('typo@example.com', 'the-real-one');
    const page = await open(h.url);
    await page.getByLabel('Email').fill('typo@example.com');
    await page.getByLabel('Password').fill('not-the-real-one');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'That email and password do not match. Check them and try again, or choose “Email me a code”.',
    );
    expect(await page.getByLabel('Email').inputValue()).toBe('typo@example.com');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await page.context().close();
  });

  it('"Create account", then the confirmation link in the same browser signs in', async () => {
    const page = await open(h.url);
    await page.getByLabel('Email').fill('brand-new@example.com');
    await page.getByLabel('Password').fill('brand-new-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/^Check your inbox: if brand-new@example.com can be registered/);
    await page.goto(s.lastOtpFor('brand-new@example.com')!.confirmationUrl);
    await page.waitForURL('**/interaction/abc/done');
    expect(await doneText(page)).toBe('Signed in as brand-new@example.com');
    await page.context().close();
  });

  it('"Email me a code", then "Code" and "Verify"; a wrong code first shows its message', async () => {
    s.createConfirmedUser('otp-browser@example.com', 'unused-password');
    const page = await open(h.url);
    await page.getByLabel('Email').fill('otp-browser@example.com');
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'That code is wrong or has expired. Check the most recent email from us, or send a new code.',
    );
    await page.getByLabel('Code').fill(s.lastOtpFor('otp-browser@example.com')!.otp);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/interaction/abc/done');
    expect(await doneText(page)).toBe('Signed in as otp-browser@example.com');
    await page.context().close();
  });

  it('"Continue with GitHub": through Supabase and the provider and back, signed in', async () => {
    s.setIdpDecision('github', { email: 'octocat@example.com' });
    const page = await open(h.url);
    await page.getByRole('link', { name: 'Continue with GitHub' }).click();
    await page.waitForURL('**/interaction/abc/done');
    expect(await doneText(page)).toBe('Signed in as octocat@example.com');
    expect(h.signedIn.at(-1)?.method).toBe('oauth:github');
    await page.context().close();
  });

  it('"Continue with Google" cancelled at the provider: the message on our page', async () => {
    s.setIdpDecision('google', 'deny');
    const page = await open(h.url);
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await page.waitForURL('**/signin/callback**');
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Signing in with Google was cancelled. Choose an option below to try again.',
    );
    await page.context().close();
  });

  it('the local development sign-in (no SUPABASE_URL): clearly labelled, one Email field', async () => {
    const page = await open(dev.url);
    await expect(page.getByRole('heading', { name: 'Local development sign-in' }).count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: /Continue with/ }).count()).resolves.toBe(0);
    await page.getByLabel('Email').fill('dev-browser@example.com');
    await page.getByRole('button', { name: 'Sign in (development)' }).click();
    await page.waitForURL('**/interaction/abc/done');
    expect(dev.signedIn.at(-1)).toMatchObject({ email: 'dev-browser@example.com', method: 'dev' });
    await page.context().close();
  });
});
