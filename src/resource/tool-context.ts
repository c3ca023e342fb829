import type { Config } from '../config/schema.js';
import { loadIntervalsCredentials } from '../accounts/links.js';
import { onAccountChange } from '../accounts/events.js';
import { createLinkHealthReporter } from '../accounts/link-health.js';
import { createSecretBox } from '../crypto/secret-box.js';
import { AppError } from '../errors.js';
import { recordUpstream } from '../http/metrics.js';
import { createIntervalsClient, type IntervalsCredentials } from '../intervals/client.js';
import type { Person } from '../mcp/context.js';
import type { ResolveContext } from '../mcp/server.js';
import type { Secrets } from '../store/app-secrets.js';
import type { Queryable } from '../store/store.js';
import { ExpiringLru } from '../limits/expiring-lru.js';

export interface ToolContextDeps {
  config: Config;
  store: Queryable;
  secrets: Pick<Secrets, 'encryptionKey' | 'previousEncryptionKeys'>;
}

/** Decrypted links stay in memory this long: an unlink or re-link applies everywhere within it. */
const LINK_CACHE_MS = 30_000;
/**
 * A successful upstream call is written to the link's health at most this often per person: the
 * account page shows "last successful call" to the minute (markLinkOk skips fresher rows anyway),
 * and a write per call would be a database round trip per tool call, 10–40 ms away on Fly.
 */
const OK_RECORD_EVERY_MS = 60_000;

/**
 * Over HTTP, who a tool acts for: the Person the bearer check attached
 * (`extra.authInfo.extra.person`), their linked athlete, and an Intervals.icu client holding
 * their own credentials (never the MCP token: no passthrough).
 */
export function createToolContextResolver(deps: ToolContextDeps): { resolve: ResolveContext; close(): void } {
  const box = createSecretBox(deps.secrets);
  const links = new ExpiringLru<string, { athleteId: string; credentials: IntervalsCredentials } | null>(10_000);
  const accountPage = `${deps.config.BASE_URL}/account`;
  // Unlink, re-link and account deletion on this instance apply at the next call, not after the cache time.
  const okRecorded = new ExpiringLru<string, true>(10_000);
  const unsubscribe = onAccountChange((accountId) => {
    links.delete(accountId);
    okRecorded.delete(accountId);
  });
  const health = { store: deps.store, check: { baseUrl: deps.config.INTERVALS_API_BASE_URL, timeoutMs: deps.config.INTERVALS_TIMEOUT_MS } };
  const resolve: ResolveContext = async (extra) => {
    const person = extra.authInfo?.extra?.person as Person | undefined;
    if (!person?.accountId)
      throw new AppError('unauthenticated', 'This call carries no authenticated person; reconnect the MCP client.', 401);
    let link = links.get(person.accountId);
    if (link === undefined) {
      link = (await loadIntervalsCredentials(deps.store, box, person.accountId)) ?? null;
      links.set(person.accountId, link, Date.now() + LINK_CACHE_MS);
    }
    if (!link)
      throw new AppError(
        'not_linked',
        `No Intervals.icu account is linked to this sign-in yet. Link it at ${accountPage}, then try again.`,
        409,
      );
    // Keeps the account page's "last successful call" and "broken" state current.
    const accountId = person.accountId;
    const reportHealth = createLinkHealthReporter(health, accountId, link.credentials);
    return {
      person,
      athleteId: link.athleteId,
      intervals: createIntervalsClient({
        baseUrl: deps.config.INTERVALS_API_BASE_URL,
        credentials: link.credentials,
        timeoutMs: deps.config.INTERVALS_TIMEOUT_MS,
        onUpstream: (e) => {
          recordUpstream(e);
          const ok = typeof e.status === 'number' && e.status >= 200 && e.status < 300;
          if (ok && okRecorded.get(accountId)) return;
          // Anything but a success may mark the link broken: the next success records at once.
          if (ok) okRecorded.set(accountId, true, Date.now() + OK_RECORD_EVERY_MS);
          else okRecorded.delete(accountId);
          void reportHealth(e);
        },
        relinkHint: `link the Intervals.icu account again at ${accountPage}`,
      }),
    };
  };
  return { resolve, close: unsubscribe };
}
