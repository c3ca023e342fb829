import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type Router from '@koa/router';
import {
  authorizationUrl,
  authorizeOverHttp,
  launchChromium,
  linkIntervals,
  pkce,
  registerClient,
  startOAuthService,
  type OAuthService,
} from '../support/oauth.js';
import { CookieJar, findForm, submitForm, type FormPage } from '../support/http-forms.js';

/**
 * Every HTML page the service can send carries the page security headers (src/http/html.ts
 * sendPage): found by (1) every GET route of every router mounted on the app (the landing page at
 * `/` among them), (2) a complete OAuth
 * authorization with sign-in, consent and the Intervals.icu link step, (3) the account pages, (4)
 * the links on every page seen, and (5) the error pages of each surface.
 */

interface Seen {
  method: string;
  path: string;
  status: number;
  type: string;
  headers: Headers;
}

const MAX_CRAWL = 60;

function checkPage(p: Seen): string[] {
  const problems: string[] = [];
  const csp = p.headers.get('content-security-policy') ?? '';
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k!, v] as const),
  );
  if (directives.get('frame-ancestors')?.join(' ') !== "'none'") problems.push("CSP frame-ancestors 'none'");
  if (!directives.has('default-src')) problems.push('CSP default-src');
  if (!directives.has('form-action')) problems.push('CSP form-action');
  if (directives.get('script-src')?.includes("'unsafe-inline'")) problems.push('CSP allows inline script');
  if (!/^(no-referrer|same-origin|strict-origin)$/.test(p.headers.get('referrer-policy') ?? '')) problems.push('Referrer-Policy');
  if (p.headers.get('x-content-type-options') !== 'nosniff') problems.push('X-Content-Type-Options nosniff');
  return problems;
}

describe('security headers on every HTML page', () => {
  let svc: OAuthService;
  const seen: Seen[] = [];
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    svc = await startOAuthService({
      INTERVALS_OAUTH_CLIENT_ID: 'deploy-test-client',
      INTERVALS_OAUTH_CLIENT_SECRET: 'deploy-test-secret-0123456789',
    });
    // Record every response the service sends to this test, whichever helper asked for it.
    globalThis.fetch = async (input, init) => {
      const res = await realFetch(input, init);
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.origin === svc.url) {
        seen.push({
          method: init?.method ?? 'GET',
          path: url.pathname,
          status: res.status,
          type: res.headers.get('content-type') ?? '',
          headers: res.headers,
        });
      }
      return res;
    };
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await svc?.close();
  });

  it('visits every page of the product and finds the headers on each', async () => {
    const origin = svc.url;
    // (1) GET routes of the routers mounted on the app; parameters get a value that does not exist.
    const routes = svc.service.app.middleware
      .flatMap((mw) => (mw as unknown as { router?: Router }).router?.stack ?? [])
      .filter((layer) => layer.methods.includes('GET'))
      .map((layer) => String(layer.path).replace(/:(\w+)/g, 'unknown-$1'));
    expect(routes.length).toBeGreaterThan(5);
    const anonymous = new CookieJar();
    for (const path of new Set(routes)) await anonymous.browse(`${origin}${path}`, origin);

    // (2) An OAuth authorization from start to finish (sign-in, consent, link).
    const client = await registerClient(origin, { client_name: 'Header Check' });
    const { challenge } = pkce();
    const url = authorizationUrl(origin, { client, challenge, scope: 'intervals:read', resource: svc.resource });
    const jar = new CookieJar();
    const landed = await authorizeOverHttp(url, { email: 'headers@example.com', link: linkIntervals(svc) }, jar);
    expect(landed.searchParams.get('code')).toMatch(/./);

    // (3) The account page, signed in.
    const signin = (await jar.browse(`${origin}/account`, origin)) as FormPage;
    const dev = findForm(signin, (f) => /\/dev$/.test(f.action));
    if (dev) await submitForm(jar, signin, dev, { email: 'headers@example.com' }, origin);

    // (4) Follow same-origin links from every HTML page seen, breadth first, bounded.
    const queue = [`${origin}/account`, `${origin}/account/delete`];
    const visited = new Set<string>();
    while (queue.length > 0 && visited.size < MAX_CRAWL) {
      const next = queue.shift()!;
      if (visited.has(next)) continue;
      visited.add(next);
      const page = await jar.browse(next, origin);
      if (page instanceof URL) continue;
      for (const m of page.html.matchAll(/<a\b[^>]*\bhref="([^"#]+)"/gi)) {
        const target = new URL(m[1]!.replace(/&amp;/g, '&'), page.url);
        if (target.origin === origin && !/logout|signout|delete\/confirm/.test(target.pathname)) queue.push(target.href);
      }
    }

    // (5) Error pages of each surface.
    await jar.browse(`${origin}/logout`, origin); // signed in: the confirmation page
    for (const path of [
      '/interaction/unknown-uid',
      '/interaction/unknown-uid/signin',
      '/interaction/unknown-uid/link',
      '/authorize',
      `/authorize?client_id=unknown&response_type=code`,
      '/logout',
      '/account/signin/callback?code=bogus',
    ]) {
      await anonymous.browse(`${origin}${path}`, origin);
    }

    // Redirects carry a tiny HTML body that no browser renders; everything else HTML is a page.
    const pages = seen.filter((p) => p.type.startsWith('text/html') && !(p.status >= 300 && p.status < 400 && p.headers.has('location')));
    const paths = new Set(pages.map((p) => p.path.replace(/\/interaction\/[^/]+/, '/interaction/:uid')));
    // The pages a person sees are all among them.
    for (const expected of [
      '/',
      '/account/unlink',
      '/interaction/:uid/signin',
      '/interaction/:uid',
      '/interaction/:uid/link',
      '/account/signin',
      '/account',
      '/authorize',
      '/logout',
    ]) {
      expect({ expected, found: paths.has(expected) }).toEqual({ expected, found: true });
    }
    const failures = pages
      .map((p) => ({ page: `${p.method} ${p.path} ${p.status}`, problems: checkPage(p) }))
      .filter((f) => f.problems.length > 0);
    expect(failures).toEqual([]);
    process.stdout.write(`checked ${pages.length} HTML responses on ${paths.size} paths: ${[...paths].sort().join(', ')}\n`);
  }, 120_000);

  it("the provider's self-submitting pages still work in Chromium under these headers (no CSP violation)", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      // Without a session, /logout answers with oidc-provider's auto-submitting form (inline script
      // allowed by its hash), which posts to /logout/confirm and lands on our "signed out" page.
      await page.goto(`${svc.url}/logout`);
      await page.getByRole('heading', { name: 'You are signed out' }).waitFor({ timeout: 15_000 });
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
