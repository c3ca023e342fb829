import { describe, expect, it } from '@jest/globals';
import { classifyRedirectUri } from '../../src/auth/client-policy.js';
import { buildResourceMatcher } from '../../src/auth/resource-indicators.js';
import { parseConfiguredKeys, SigningKeyError } from '../../src/auth/keys.js';
import { REQ } from '../../src/auth/requirements.js';

describe(`${REQ.REDIRECT_SCHEMES.id} classifyRedirectUri`, () => {
  it.each([
    ['https://claude.ai/api/mcp/auth_callback', 'https'],
    ['http://127.0.0.1:6274/oauth/callback', 'loopback'],
    ['http://localhost/callback', 'loopback'],
    ['http://[::1]:9000/cb', 'loopback'],
    ['cursor://anysphere.cursor-mcp/oauth/callback', 'private-use'],
    ['com.example.app:/oauth2redirect', 'private-use'],
  ])('%s → %s', (uri, kind) => {
    expect(classifyRedirectUri(uri)).toBe(kind);
  });

  it.each([
    ['javascript:alert(1)', /javascript scheme/],
    ['JAVASCRIPT:alert(1)', /javascript scheme/],
    ['data:text/html,x', /data scheme/],
    ['file:///etc/passwd', /file scheme/],
    ['http://example.com/cb', /non-loopback host/],
    ['http://127.0.0.1.example.com/cb', /non-loopback host/],
    ['https://a.example/cb#frag', /fragment/],
    ['not-a-uri', /not a valid absolute URI/],
    ['https://a.example/cb\r\nSet-Cookie: x=1', /whitespace or control characters/],
    ['https://a.example/c b', /whitespace or control characters/],
    [`https://a.example/${'x'.repeat(2100)}`, /longer than/],
  ])('%s is refused', (uri, problem) => {
    const result = classifyRedirectUri(uri);
    expect(typeof result).toBe('object');
    expect((result as { problem: string }).problem).toMatch(problem);
  });
});

describe(`${REQ.RESOURCE_INDICATORS.id} buildResourceMatcher`, () => {
  const matches = buildResourceMatcher({ BASE_URL: 'https://mcp.example.com', MCP_RESOURCE: 'https://mcp.example.com/mcp' });
  it.each([
    ['https://mcp.example.com/mcp', true],
    ['https://mcp.example.com/mcp/', true],
    ['https://MCP.Example.com/mcp', true],
    ['HTTPS://mcp.example.com/mcp', true],
    ['https://mcp.example.com', true],
    ['https://mcp.example.com/', true],
    ['https://mcp.example.com/mcp?x=1', false],
    ['https://mcp.example.com/mcp#f', false],
    ['https://mcp.example.com/other', false],
    ['https://mcp.example.com/MCP', false],
    ['http://mcp.example.com/mcp', false],
    ['https://mcp.example.com.evil.example/mcp', false],
    ['https://user@mcp.example.com/mcp', false],
    ['urn:mcp', false],
  ])('%s → %s', (indicator, expected) => {
    expect(matches(indicator)).toBe(expected);
  });
});

describe(`${REQ.KEY_ROTATION.id} parseConfiguredKeys`, () => {
  const ec = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' };
  it('the first key signs; every key is published', () => {
    const set = parseConfiguredKeys(
      JSON.stringify({
        keys: [
          { ...ec, kid: 'new' },
          { ...ec, kid: 'old' },
        ],
      }),
    );
    expect(set.signingKid).toBe('new');
    expect(set.keys.map((k) => k.kid)).toEqual(['new', 'old']);
    expect(set.source).toBe('config');
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['no keys', '{"keys":[]}', /at least one key/],
    ['a key without kid', JSON.stringify({ keys: [ec] }), /needs a "kid"/],
    ['a public key', JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k' }] }), /not a private key/],
    ['an RSA signer', JSON.stringify({ keys: [{ kty: 'RSA', n: 'n', e: 'AQAB', d: 'd', kid: 'r' }] }), /EC P-256/],
  ])('%s → a SigningKeyError that names the problem and no key material', (_name, json, message) => {
    let error: unknown;
    try {
      parseConfiguredKeys(json);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SigningKeyError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/"d"\s*:/);
  });
});
