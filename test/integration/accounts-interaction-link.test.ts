import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { devPersonId } from '../../src/signin/dev-identity.js';
import { alertText } from '../support/form-client.js';
import { CookieJar, findForm, submitForm, type FormPage } from '../support/http-forms.js';
import { authorizationUrl, exchangeCode, pkce, registerClient, startOAuthService, type OAuthService } from '../support/oauth.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';

/** The link step of the OAuth sign-in over real HTTP (no browser): its guards and its way out. */
describe('/interaction/:uid/link', () => {
  let fake: FakeIntervals;
  let svc: OAuthService;
  beforeAll(async () => {
    fake = await startFakeIntervals();
    svc = await startOAuthService({ INTERVALS_API_BASE_URL: fake.url });
  });
  afterAll(async () => {
    await svc?.close();
    await fake?.close();
  });

  const asPage = (p: FormPage | URL): FormPage => {
    if (p instanceof URL) throw new Error(`left the site for ${p.href}`);
    return p;
  };

  it('refuses a vanished interaction with a page that says what to do', async () => {
    const jar = new CookieJar();
    for (const path of ['/interaction/no-such-uid/link', '/interaction/no-such-uid/link/oauth']) {
      const page = asPage(await jar.browse(`${svc.url}${path}`, svc.url));
      expect(page.status).toBe(path.endsWith('/oauth') ? 404 : 400);
      if (page.status === 400)
        expect(alertText(page.html)).toBe(
          'This sign-in has expired or was finished in another tab. Go back to your app and connect again.',
        );
    }
  });

  it('after consent: CSRF and bad input are refused on the page, then a good key returns the browser to the client with a code', async () => {
    const client = await registerClient(svc.url);
    const { verifier, challenge } = pkce();
    const jar = new CookieJar();
    const signin = asPage(await jar.browse(authorizationUrl(svc.url, { client, challenge, scope: 'intervals:read' }), svc.url));
    const consent = asPage(
      await submitForm(
        jar,
        signin,
        findForm(signin, (f) => f.action.endsWith('/dev'))!,
        { email: 'walker@example.com' },
        svc.url,
      ),
    );
    const link = asPage(
      await submitForm(
        jar,
        consent,
        findForm(consent, (f) => f.action.endsWith('/consent'))!,
        { decision: 'allow' },
        svc.url,
      ),
    );
    expect(link.url.pathname).toMatch(/^\/interaction\/[^/]+\/link$/);
    expect(link.html).toContain('<label for="athlete_id">Athlete ID</label>');
    expect(link.html).not.toContain('Connect with Intervals.icu'); // OAuth app not configured here
    const form = findForm(link, (f) => f.action.endsWith('/link'))!;

    const forged = asPage(
      await jar.browse(`${svc.url}${link.url.pathname}`, svc.url, {
        method: 'POST',
        body: new URLSearchParams({ athlete_id: '0', api_key: fake.athlete('i1001').apiKey }),
      }),
    );
    expect(forged.status).toBe(403);
    const oversized = asPage(await submitForm(jar, link, form, { athlete_id: '0', api_key: 'k'.repeat(300) }, svc.url));
    expect(oversized.status).toBe(400);
    expect(alertText(oversized.html)).toMatch(/^That is too long for an Intervals.icu API key \(300 characters/);
    expect(oversized.html).toContain('aria-invalid="true"');
    expect(await svc.store.query('SELECT 1 FROM intervals_links')).toEqual([]);

    const back = await submitForm(jar, link, form, { athlete_id: '0', api_key: fake.athlete('i1001').apiKey }, svc.url);
    if (!(back instanceof URL)) throw new Error(`stayed on ${back.url.pathname}: ${alertText(back.html)}`);
    expect(`${back.origin}${back.pathname}`).toBe(client.redirect_uris[0]);
    const tokens = await exchangeCode(svc.url, client, { code: back.searchParams.get('code')!, verifier });
    expect(tokens.status).toBe(200);
    expect(
      await svc.store.query('SELECT athlete_id FROM intervals_links WHERE account_id = $1', [devPersonId('walker@example.com')]),
    ).toEqual([{ athlete_id: 'i1001' }]);
  });
});
