import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, jwtVerify, type CryptoKey, type JWK } from 'jose';

/** ES256 signing keys with a `kid`, the JWKS GoTrue publishes, and its access-token claims (internal/tokens/service.go). */
export interface TokenSigner {
  jwks(): { keys: JWK[] };
  sign(claims: Record<string, unknown>, expiresAt: number): Promise<string>;
  /** Verifies a token this stand-in issued (signature and exp against the stand-in clock). */
  verify(token: string, nowSeconds: number): Promise<Record<string, unknown>>;
}

export async function createTokenSigner(issuer: string): Promise<TokenSigner> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const pub: JWK = { ...(await exportJWK(publicKey)), alg: 'ES256', kid, use: 'sig', key_ops: ['verify'] };
  return {
    jwks: () => ({ keys: [pub] }),
    async sign(claims, expiresAt) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setExpirationTime(expiresAt)
        .sign(privateKey as CryptoKey);
    },
    async verify(token, nowSeconds) {
      const { payload } = await jwtVerify(token, publicKey as CryptoKey, {
        issuer,
        algorithms: ['ES256'],
        currentDate: new Date(nowSeconds * 1000),
      });
      return payload as Record<string, unknown>;
    },
  };
}
