import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { authorize, exchangeCode, refreshTokens, registerClient, startOAuthService, type OAuthService } from '../../support/oauth.js';
import { CookieJar } from '../../support/http-forms.js';
import { rotateSigningKeys } from '../../../src/auth/keys.js';
import { createSecretBox } from '../../../src/crypto/secret-box.js';
import { resolveSecrets } from '../../../src/store/app-secrets.js';
import { REQ } from '../../../src/auth/requirements.js';

let svc: OAuthService;
const jar = new CookieJar();
beforeAll(async () => {
  svc = await startOAuthService({ SIGNING_KEYS_RELOAD_SECONDS: '1' });
});
afterAll(async () => {
  await svc?.close();
});

const jwks = async () => (await (await fetch(`${svc.url}/jwks`)).json()) as JSONWebKeySet;
const kids = async () => (await jwks()).keys.map((k) => k.kid);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe(`${REQ.PERSISTENCE.id} restarts`, () => {
  it('registration, then restart, then the whole flow; code issued, restart, exchanged', async () => {
    const client = await registerClient(svc.url);
    await svc.restart();
    const { code, verifier } = await authorize(svc, { jar, client });
    await svc.restart();
    const res = await exchangeCode(svc.url, client, { code: code!, verifier });
    expect(res.status).toBe(200);
    await svc.restart();
    const refreshed = await refreshTokens(svc.url, client, res.body.refresh_token!);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toEqual(expect.any(String));
  });

  it('the browser session and remembered consent survive a restart', async () => {
    const client = await registerClient(svc.url);
    await authorize(svc, { jar, client });
    await svc.restart();
    const steps: string[] = [];
    const again = await authorize(svc, { jar, client, onStep: (p) => steps.push(p) });
    expect(again.code).toBeTruthy();
    expect(steps).toEqual([]);
  });
});

describe(`${REQ.KEY_ROTATION.id} signing key rotation`, () => {
  it('a new key is published before it signs; old tokens stay verifiable; no restart needed', async () => {
    const { client, code, verifier } = await authorize(svc, { jar });
    const before = await exchangeCode(svc.url, client, { code: code!, verifier });
    const oldKid = decodeProtectedHeader(before.body.access_token!).kid!;
    expect(await kids()).toEqual([oldKid]);

    const box = createSecretBox(await resolveSecrets(svc.service.config, svc.store));
    const rotated = await rotateSigningKeys(svc.store, box, { publishLeadSeconds: 8 });
    expect(rotated.kid).not.toBe(oldKid);

    // Published (the instance reloads every second) while the old key still signs.
    await until('the new key in /jwks', async () => ((await kids()).includes(rotated.kid) ? true : undefined));
    const during = await refreshTokens(svc.url, client, before.body.refresh_token!);
    expect(Date.now()).toBeLessThan(rotated.activatesAt.getTime());
    expect(decodeProtectedHeader(during.body.access_token!).kid).toBe(oldKid);

    // After activation the new key signs; the old one is still published for tokens in flight.
    let refresh = during.body.refresh_token!;
    const after = await until('a token signed by the new key', async () => {
      const r = await refreshTokens(svc.url, client, refresh);
      refresh = r.body.refresh_token!;
      return decodeProtectedHeader(r.body.access_token!).kid === rotated.kid ? r : undefined;
    });
    const published = createLocalJWKSet(await jwks());
    for (const token of [before.body.access_token!, after.body.access_token!]) {
      const { payload } = await jwtVerify(token, published, { issuer: svc.url, audience: svc.resource });
      expect(payload.aud).toBe(svc.resource);
    }
    expect(await kids()).toEqual([rotated.kid, oldKid]);
  });
});
