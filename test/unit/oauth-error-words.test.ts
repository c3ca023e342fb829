import { describe, it, expect } from '@jest/globals';
import { explainOAuthError } from '../../src/auth/error-words.js';

/** oidc-provider's wire error and description → the words on the page a person sees. */
describe('explainOAuthError', () => {
  it.each([
    [
      'invalid_request',
      "missing required parameter 'client_id'",
      'The app sent an incomplete request',
      /did not say which app it is \(client_id\)/,
    ],
    [
      'invalid_request',
      "missing required parameter 'redirect_uri'",
      'The app sent an incomplete request',
      /where to send you back \(redirect_uri\)/,
    ],
    ['invalid_request', "missing required parameter 'nonce'", 'The app sent an incomplete request', /a required detail \(nonce\)/],
    ['invalid_request', 'interaction session id cookie not found', 'This sign-in has expired', /another browser or tab/],
    [
      'invalid_request',
      'Authorization Server policy requires PKCE to be used for this request',
      'The app skipped a security check',
      /PKCE/,
    ],
    ['invalid_client', 'client is invalid', 'This app is not known here', /registration may have expired/],
    [
      'invalid_redirect_uri',
      "redirect_uri did not match any of the client's registered redirect_uris",
      'The app asked to send you somewhere unexpected',
      /never registered here/,
    ],
    ['invalid_scope', 'requested scope is not allowed', 'The app asked for access this service does not offer', /scope/],
    ['invalid_target', 'resource indicator is missing, or unknown', 'The app asked for the wrong server', /\/mcp/],
    [
      'unsupported_response_type',
      'unsupported response_type requested',
      'The app asked in a way this service does not support',
      /authorization code/,
    ],
    [
      'invalid_request',
      'something oidc-provider says that we do not know',
      'This connection request cannot continue',
      /could not be accepted/,
    ],
    ['some_future_error', undefined, 'This connection request cannot continue', /could not be accepted/],
  ])('%s "%s" → "%s"', (error, description, title, what) => {
    const words = explainOAuthError(error, description);
    expect(words.title).toBe(title);
    expect(words.what).toMatch(what);
    expect(words.todo.length).toBeGreaterThan(20);
    // The library's own text never reaches the page.
    if (description) expect(`${words.title} ${words.what} ${words.todo}`).not.toContain(description);
  });
});
