import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';

/**
 * A stand-in authorization server for resource-server tests: publishes a JWKS at /jwks and signs
 * access tokens with keys it can rotate. The real AS (test/support/oauth.ts) covers the happy
 * path end to end; this one forges the negative cases (wrong iss, aud, alg, expired, unknown kid).
 * The resource server accepts a token only while the person's Grant for its client_id exists:
 * insertGrant (test/support/resource.ts) writes the row the real AS would have written.
 */
/** The `client_id` the issuer puts in its tokens unless told otherwise. */
export const TEST_CLIENT_ID = 'test-client';

export interface TestIssuer {
  url: string;
  /** Signs an RFC 9068 access token; claims override the defaults. */
  sign(claims?: Record<string, unknown>, opts?: { kid?: string; typ?: string; key?: CryptoKey; alg?: string }): Promise<string>;
  /** Publishes a new key and signs with it from now on (the old key stays published unless dropOld). */
  rotate(opts?: { dropOld?: boolean }): Promise<string>;
  /** A key pair that is never published. */
  strayKey(): Promise<CryptoKey>;
  publicJwk(): JWK;
  jwksFetches(): number;
  close(): Promise<void>;
}

interface Key {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

export async function startTestIssuer(opts: { audience: () => string }): Promise<TestIssuer> {
  let keys: Key[] = [await newKey()];
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/jwks') {
      fetches += 1;
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    async sign(claims = {}, o = {}) {
      const current = keys.at(-1)!;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ scope: 'intervals:read', client_id: TEST_CLIENT_ID, ...claims })
        .setProtectedHeader({ alg: o.alg ?? 'ES256', typ: o.typ ?? 'at+jwt', kid: o.kid ?? current.kid })
        .setIssuer((claims.iss as string | undefined) ?? url)
        .setAudience((claims.aud as string | undefined) ?? opts.audience())
        .setSubject((claims.sub as string | undefined) ?? 'person-1')
        .setIssuedAt((claims.iat as number | undefined) ?? now)
        .setExpirationTime((claims.exp as number | undefined) ?? now + 3600)
        .setJti(randomUUID())
        .sign(o.key ?? current.privateKey);
    },
    async rotate(o = {}) {
      const k = await newKey();
      keys = o.dropOld ? [k] : [...keys, k];
      return k.kid;
    },
    async strayKey() {
      return (await newKey()).privateKey;
    },
    publicJwk: () => keys.at(-1)!.jwk,
    jwksFetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
