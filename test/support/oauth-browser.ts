/**
 * The person's side of the OAuth flow in headless Chromium (re-exported by ./oauth.ts): sign-in,
 * consent and the link step clicked like a person, so CSP, cookies and redirects are the browser's.
 */
import { chromium, type Browser } from 'playwright-core';
import type { PersonOptions } from './oauth.js';

const MAX_STEPS = 100;

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    // scripts/test.mjs picks it: the system's Chromium, or the one an npm package ships.
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * The same walk in headless Chromium, clicking like a person (so CSP, cookies and redirects are
 * the browser's). Returns the URL the browser was sent to at the client's redirect_uri.
 */
export async function authorizeInBrowser(browser: Browser, url: string, redirectUri: string, person: PersonOptions): Promise<URL> {
  const context = await browser.newContext();
  const page = await context.newPage();
  let landed: URL | undefined;
  const target = new URL(redirectUri);
  // Watch requests rather than routing: Playwright does not intercept a redirect's next hop, and the
  // callback only needs to be seen, not answered (nothing listens there; the browser shows an error).
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (!landed && u.origin === target.origin && u.pathname === target.pathname) landed = u;
  });
  const settle = async (before: string) => {
    for (let i = 0; i < 150 && !landed && page.url() === before; i++) await page.waitForTimeout(100);
  };
  try {
    await page.goto(url);
    for (let i = 0; i < MAX_STEPS && !landed; i++) {
      await page.waitForLoadState('domcontentloaded').catch(() => undefined);
      if (landed) break;
      const here = page.url();
      const path = new URL(here).pathname;
      const devForm = page.locator('form[action$="/dev"]');
      const consent = page.getByRole('button', { name: 'Allow' });
      // Decided by what the page shows, not its URL: a continue page keeps the POST's URL while it navigates on.
      if (person.signIn && /\/interaction\/[^/]+\/signin/.test(path) && (await page.locator('input[type="password"]').count())) {
        person.onStep?.(path);
        await person.signIn(page);
        await settle(here);
      } else if (await devForm.count()) {
        person.onStep?.(path);
        await devForm.locator('input[name="email"]').fill(person.email);
        await devForm.locator('button[type="submit"], input[type="submit"]').first().click();
        await settle(here);
      } else if (await consent.count()) {
        person.onStep?.(path);
        await page.getByRole('button', { name: person.decision === 'deny' ? 'Deny' : 'Allow' }).click();
        await settle(here);
      } else if (/\/interaction\/[^/]+\/link$/.test(path)) {
        person.onStep?.(path);
        if (!person.link) throw new Error('the flow reached the Intervals.icu link step; pass `link`');
        await person.link({ email: person.email });
        await page.goto(`${new URL(url).origin}/authorize/${path.split('/')[2]}`).catch(() => undefined);
      } else {
        await page.waitForTimeout(100); // a continue page or a redirect in progress
      }
    }
    if (!landed)
      throw new Error(
        `browser flow ended on ${page.url()}: ${await page
          .locator('body')
          .innerText()
          .catch(() => '')}`,
      );
    return landed;
  } finally {
    await context.close();
  }
}
