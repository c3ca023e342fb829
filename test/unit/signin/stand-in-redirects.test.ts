import { describe, it, expect } from '@jest/globals';
import { resolveRedirect } from '../../fakes/supabase/redirects.js';

const SITE = 'https://mcp.example.com';
const ALLOW = ['https://mcp.example.com/interaction/*/signin/callback', 'https://*.preview.example.org/**', 'myapp://callback'];

/** The stand-in must redirect exactly like GoTrue's IsRedirectURLValid, or tests would pass against a lie. */
describe('stand-in redirect_to resolution (GoTrue rules)', () => {
  it.each([
    ['https://mcp.example.com/anything?x=1', 'https://mcp.example.com/anything?x=1'], // same site
    ['http://mcp.example.com/anything', SITE], // scheme differs
    ['https://mcp.example.com:8443/x', SITE], // port differs (not localhost)
    ['http://127.0.0.1:5555/cb', 'http://127.0.0.1:5555/cb'], // loopback IP always allowed
    ['http://10.0.0.1/cb', SITE], // other IP literals never
    ['https://a.preview.example.org/deep/path', 'https://a.preview.example.org/deep/path'], // ** crosses '/'
    ['https://a.b.preview.example.org/x', SITE], // * does not cross '.'
    ['myapp://callback', 'myapp://callback'],
    ['https://evil.example.net/cb', SITE],
    ['', SITE],
  ])('%s → %s', (requested, expected) => {
    expect(resolveRedirect(requested, SITE, ALLOW)).toBe(expected);
  });
});
