import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import {
  authorizationUrl,
  pkce,
  registerClient,
  startOAuthService,
  type OAuthService,
  type RegisteredClient,
} from '../../support/oauth.js';

/**
 * The pages a person sees when /authorize cannot send the error back to the app: plain words for
 * what went wrong and what to do, the spec's `error` code kept for the app's developer, and none
 * of oidc-provider's library text.
 */
describe('OAuth error pages in plain words', () => {
  let svc: OAuthService;
  let client: RegisteredClient;
  beforeAll(async () => {
    svc = await startOAuthService();
    client = await registerClient(svc.url);
  });
  afterAll(async () => svc?.close());

  const LIBRARY_TEXT = /missing required parameter|client is invalid|redirect_uri did not match|registered redirect_uris/;

  it.each([
    [
      'no client_id',
      () => `${svc.url}/authorize?response_type=code`,
      'invalid_request',
      'The app sent an incomplete request',
      /did not say which app it is \(client_id\)/,
      /remove this connector/,
    ],
    [
      'an unknown client',
      () =>
        authorizationUrl(svc.url, {
          client: { client_id: 'no-such-client', redirect_uris: ['http://127.0.0.1:1/cb'] },
          challenge: pkce().challenge,
        }),
      'invalid_client',
      'This app is not known here',
      /does not know the app that sent you here/,
      /remove this connector \(or server\) and add it again/,
    ],
    [
      'an unregistered redirect address',
      () => authorizationUrl(svc.url, { client, challenge: pkce().challenge, redirectUri: 'https://evil.example/cb' }),
      'invalid_redirect_uri',
      'The app asked to send you somewhere unexpected',
      /never registered here/,
      /If you did not start this connection yourself, close this page/,
    ],
  ])('%s: says what happened and what to do, keeps the error code', async (_name, url, code, title, what, todo) => {
    const res = await fetch(url(), { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const page = await res.text();
    expect(page).toContain(`<h1>${title}</h1>`);
    expect(page).toMatch(what);
    expect(page).toContain('<h2>What to do</h2>');
    expect(page).toMatch(todo);
    expect(page).toContain(`data-error="${code}"`);
    expect(page).toContain(`<code id="oauth-error-code">${code}</code>`);
    expect(page).not.toMatch(LIBRARY_TEXT);
  });
});
