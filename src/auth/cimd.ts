import { isIP } from 'node:net';
import type { Config } from '../config/schema.js';
import type { Logger } from '../logger.js';
import { rateLimitRejections } from '../http/metrics.js';
import { createRateLimiter, type RateLimiter } from '../limits/rate-limit.js';
import type { Store } from '../store/store.js';

/** Client ID Metadata Document fetches allowed per requesting IP, and in total, per hour. */
const FETCHES_PER_IP_PER_HOUR = 30;
const FETCHES_PER_HOUR = 1000;
const HOUR_MS = 3_600_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Literal private, loopback and link-local addresses: never fetched, even where the connect-time guard is unavailable. */
const PRIVATE_LITERAL = /^(10\.|127\.|0\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?(::1|f[cd][0-9a-f]{2}:|fe80:))/i;

function isPrivateHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return hostname === 'localhost' || hostname.endsWith('.localhost') || (isIP(bare) !== 0 && PRIVATE_LITERAL.test(bare));
}

export interface CimdDeps {
  config: Config;
  store: Store;
  logger: Logger;
}

/**
 * oidc-provider's `features.clientIdMetadataDocument` hooks. Its own fetch already refuses
 * special-use addresses (checked at connect time), redirects, bodies over 5 KiB and slow answers;
 * we add per-IP and global rate limits so the endpoint cannot be used to make us fetch at scale.
 * Documents are cached (LRU) by oidc-provider, so only cache misses count.
 */
export function buildCimdFeature(deps: CimdDeps) {
  const perIp = createRateLimiter(deps.store, {
    name: 'cimd-fetches-per-ip',
    limit: FETCHES_PER_IP_PER_HOUR,
    windowMs: HOUR_MS,
    bucketMs: 60_000,
  });
  const overall = createRateLimiter(deps.store, { name: 'cimd-fetches', limit: FETCHES_PER_HOUR, windowMs: HOUR_MS, bucketMs: 60_000 });
  // The per-IP budget is asked first, so one address over its limit does not use up everyone's.
  const allowed = async (limiter: RateLimiter, key: string) => {
    if ((await limiter.take(key)).allowed) return true;
    rateLimitRejections.inc({ limiter: limiter.policy.name });
    return false;
  };
  return {
    enabled: true,
    ack: 'draft-02',
    cacheDuration: { min: 300, max: 86_400 },
    async allowFetch(ctx: { ip?: string } | undefined, clientId: string): Promise<boolean> {
      const url = URL.parse(clientId);
      const host = url?.host ?? '';
      const testLoopback = deps.config.CIMD_TEST_LOOPBACK_HTTP && LOOPBACK.has(url?.hostname ?? '');
      if (!url || (isPrivateHost(url.hostname) && !testLoopback)) return false;
      const ip = ctx?.ip ?? 'unknown';
      if (!(await allowed(perIp, `ip:${ip}`)) || !(await allowed(overall, 'all'))) {
        deps.logger.warn({ host, ip }, 'client metadata document fetch refused: rate limit');
        return false;
      }
      return true;
    },
    async allowClient(): Promise<boolean> {
      return true;
    },
  };
}

/**
 * The `fetch` oidc-provider uses for metadata documents. Production: the platform fetch with
 * oidc-provider's SSRF-guarding dispatcher. With the test-only CIMD_TEST_LOOPBACK_HTTP, a document
 * whose URL names a loopback host is fetched over plain http without that guard, so an end-to-end
 * test can serve one; the configuration refuses that setting in production.
 */
export function buildCimdFetch(config: Config): (url: string | URL, init: RequestInit & { dispatcher?: unknown }) => Promise<Response> {
  return async (url, init) => {
    const target = new URL(url);
    if (config.CIMD_TEST_LOOPBACK_HTTP && LOOPBACK.has(target.hostname)) {
      target.protocol = 'http:';
      const { dispatcher: _guard, ...rest } = init;
      return fetch(target, rest);
    }
    return fetch(url, init as RequestInit);
  };
}
