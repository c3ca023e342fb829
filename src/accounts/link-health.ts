import type { Logger } from '../logger.js';
import type { Queryable } from '../store/store.js';
import type { IntervalsCredentials } from '../intervals/credentials.js';
import { fetchAthlete, LinkCheckError, type CheckDeps } from './intervals-check.js';
import { markLinkBroken, markLinkOk } from './links.js';

/**
 * Keeps a link's health current from the person's own tool calls, for the account page: any 2xx
 * records a successful call; a 401 marks the link broken. A 403 is ambiguous — another athlete who
 * does not share with them, an OAuth scope they did not grant, or a revoked key — so it costs one
 * probe of `GET /athlete/0` with the same credentials, and only a refusal there marks the link
 * broken. Plug the returned function into the Intervals.icu client's `onUpstream`.
 */
export interface LinkHealthDeps {
  store: Queryable;
  logger?: Logger;
  /** Where and how to probe (INTERVALS_API_BASE_URL, timeout). */
  check: CheckDeps;
}

export interface UpstreamOutcome {
  status: number | 'error';
}

export const BROKEN_REASON_401 =
  'Intervals.icu rejected the stored credentials (HTTP 401): the API key was changed or the access was revoked.';
export const BROKEN_REASON_PROBE =
  'Intervals.icu no longer accepts the stored credentials (HTTP 403 even for your own profile): the API key was changed or the access was revoked.';

/** The returned promise never rejects; callers may ignore it (the client's onUpstream does). */
export function createLinkHealthReporter(
  deps: LinkHealthDeps,
  accountId: string,
  credentials: IntervalsCredentials,
): (e: UpstreamOutcome) => Promise<void> {
  let probing = false;
  const settle = (what: string, p: Promise<unknown>): Promise<void> =>
    p.then(
      () => undefined,
      (err: unknown) => deps.logger?.warn({ err, accountId }, `could not record link health (${what})`),
    );

  const probe = async () => {
    try {
      await fetchAthlete(deps.check, '0', credentials);
    } catch (err) {
      if (err instanceof LinkCheckError && err.code === 'intervals_rejected_key')
        await markLinkBroken(deps.store, accountId, BROKEN_REASON_PROBE);
      // Unreachable, slow, anything else: not evidence against the credentials.
    } finally {
      probing = false;
    }
  };

  return async (e) => {
    if (typeof e.status !== 'number') return;
    if (e.status >= 200 && e.status < 300) return settle('ok', markLinkOk(deps.store, accountId));
    if (e.status === 401) return settle('broken', markLinkBroken(deps.store, accountId, BROKEN_REASON_401));
    if (e.status === 403 && !probing) {
      probing = true;
      return settle('probe', probe());
    }
  };
}
