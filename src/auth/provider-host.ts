import mount from 'koa-mount';
import type { Middleware } from 'koa';
import type { Provider } from 'oidc-provider';
import { createSecretBox, type SecretBox } from '../crypto/secret-box.js';
import { sweepExpiredPayloads } from './adapter.js';
import { loadSigningKeys } from './keys.js';
import { buildProvider, type ProviderDeps } from './provider.js';

const SWEEP_EVERY_MS = 10 * 60 * 1000;

export interface ProviderHost {
  /** The provider serving requests right now. */
  current(): Provider;
  /** Koa middleware that hands each request to the current provider. */
  middleware: Middleware;
  /** Re-reads the signing keys; rebuilds the provider when they changed. Returns whether it did. */
  reloadKeys(): Promise<boolean>;
  /** Stops the key-reload and sweep timer and waits for a run in progress. */
  close(): Promise<void>;
}

/**
 * oidc-provider reads its keys once, at construction. To rotate keys without a restart, each
 * instance re-reads them periodically and, when the published set or the signer changed, builds a
 * fresh provider and routes new requests to it. Nothing is lost: all state is in the store, and
 * requests already inside the old provider finish there. The same timer sweeps expired rows.
 */
export async function createProviderHost(deps: ProviderDeps): Promise<ProviderHost> {
  const box: SecretBox = createSecretBox(deps.secrets);
  let keys = await loadSigningKeys(deps.config, deps.store, box);
  let provider = buildProvider(deps, keys);
  let handler = mount(provider as never) as Middleware;

  const reloadKeys = async () => {
    const next = await loadSigningKeys(deps.config, deps.store, box);
    if (next.fingerprint === keys.fingerprint && next.signingKid === keys.signingKid) return false;
    keys = next;
    provider = buildProvider(deps, keys);
    handler = mount(provider as never) as Middleware;
    deps.logger.info({ signingKid: keys.signingKid, published: keys.keys.length }, 'signing keys changed; provider rebuilt');
    return true;
  };

  let lastSweep = Date.now();
  let closed = false;
  /** The maintenance run in progress, awaited by close() so the store is not closed under it. */
  let running: Promise<void> | undefined;
  const maintain = async () => {
    try {
      await reloadKeys();
      if (Date.now() - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = Date.now();
        const swept = await sweepExpiredPayloads(deps.store);
        if (swept > 0) deps.logger.info({ swept }, 'expired OAuth artefacts swept');
      }
    } catch (err) {
      if (!closed) deps.logger.warn({ err }, 'authorization server maintenance failed; retrying');
    }
  };
  const timer = setInterval(() => {
    running ??= maintain().finally(() => (running = undefined));
  }, deps.config.SIGNING_KEYS_RELOAD_SECONDS * 1000);
  timer.unref();

  return {
    current: () => provider,
    middleware: (ctx, next) => handler(ctx, next),
    reloadKeys,
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
