import { AppError } from '../errors.js';
import { createIntervalsClient } from '../intervals/client.js';
import { athleteIdFrom, type IntervalsCredentials } from '../intervals/credentials.js';
import { IntervalsError } from '../intervals/errors.js';
import type { LinkInput } from './link-input.js';

/**
 * The live check run before a link is saved: `GET /athlete/{id}` with the person's own
 * credentials, through the Intervals.icu client. One attempt, no cache: a person is waiting at the
 * form, and each failure gets its own message naming the next step.
 */
export class LinkCheckError extends AppError {
  constructor(code: string, message: string, status = 400) {
    // 502/504 carry a message meant for the person, so they are exposed too.
    super(code, message, status, { expose: true });
    this.name = 'LinkCheckError';
  }
}

export interface CheckDeps {
  /** INTERVALS_API_BASE_URL, e.g. https://intervals.icu/api/v1 */
  baseUrl: string;
  timeoutMs: number;
  userAgent?: string;
  fetch?: typeof fetch;
}

export interface VerifiedAthlete {
  /** The real id (`i123456`), also when the form said `0`. */
  athleteId: string;
  athleteName: string | null;
}

/** Asks Intervals.icu who the credentials belong to (API key or OAuth token: both link methods share one check). */
export async function fetchAthlete(deps: CheckDeps, athleteId: string, credentials: IntervalsCredentials): Promise<VerifiedAthlete> {
  const client = createIntervalsClient({
    baseUrl: deps.baseUrl,
    credentials,
    timeoutMs: deps.timeoutMs,
    userAgent: deps.userAgent,
    fetch: deps.fetch,
    retry: { maxAttempts: 1 },
    cache: false,
  });
  let body: unknown;
  try {
    body = await client.get('/athlete/{id}', { params: { id: athleteId } });
  } catch (err) {
    if (err instanceof IntervalsError) throw checkFailure(err, athleteId, deps.timeoutMs);
    throw err;
  }
  const profile = (typeof body === 'object' && body !== null ? body : {}) as { id?: unknown; name?: unknown };
  const id = athleteIdFrom(profile.id);
  if (!id) {
    throw new LinkCheckError(
      'intervals_unexpected',
      'Intervals.icu answered in a way we did not expect, so nothing was saved. Try again in a few minutes.',
      502,
    );
  }
  const name = typeof profile.name === 'string' && profile.name.trim() !== '' ? profile.name.trim().slice(0, 200) : null;
  return { athleteId: id, athleteName: name };
}

/**
 * getaddrinfo's answers when our own resolver could not find or ask for the name (Node's dns
 * errors): the host's DNS, not Intervals.icu, is what failed, so the message must not blame it.
 */
const OUR_DNS_FAILURES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ENODATA', 'ESERVFAIL']);

/** The person-facing message for each way the check can fail; nothing was saved. */
function checkFailure(err: IntervalsError, athleteId: string, timeoutMs: number): LinkCheckError {
  switch (err.code) {
    case 'unauthorized':
    case 'forbidden':
      return new LinkCheckError(
        'intervals_rejected_key',
        athleteId === '0'
          ? 'Intervals.icu rejected this API key. Copy it again from Settings → Developer Settings on intervals.icu (or generate a new one there) and paste it here.'
          : `Intervals.icu rejected this API key for athlete ${athleteId}. Check that the key is current (Settings → Developer Settings on intervals.icu) and that the athlete ID is yours or one you coach, or enter 0 to use the key's owner.`,
      );
    case 'not_found':
      return new LinkCheckError(
        'intervals_unknown_athlete',
        `Intervals.icu has no athlete ${athleteId}. Check the athlete ID (Settings on intervals.icu shows it, like i123456), or enter 0 to use the key's owner.`,
      );
    case 'rate_limited':
      return new LinkCheckError(
        'intervals_rate_limited',
        'Intervals.icu is limiting requests right now, so nothing was saved. Wait a minute and try again.',
        503,
      );
    case 'timeout':
      return new LinkCheckError(
        'intervals_timeout',
        `Intervals.icu did not answer within ${Math.round(timeoutMs / 1000)} seconds, so nothing was saved. It may be busy: try again in a minute.`,
        504,
      );
    case 'unreachable':
      if (err.networkCode !== undefined && OUR_DNS_FAILURES.has(err.networkCode)) {
        return new LinkCheckError(
          'intervals_dns_failed',
          `This service could not look up the address of Intervals.icu (${err.networkCode}): a name-lookup problem on our side, not at Intervals.icu. Nothing was saved. Try again in a few minutes; if it keeps happening, tell the operator of this service.`,
          502,
        );
      }
      return new LinkCheckError(
        'intervals_unreachable',
        `We could not reach Intervals.icu${err.networkCode ? ` (${err.networkCode})` : ''}, so nothing was saved. It may be down or restarting: try again in a few minutes.`,
        502,
      );
    default:
      return new LinkCheckError(
        'intervals_unavailable',
        `Intervals.icu answered with an error (HTTP ${err.status}), so nothing was saved. Try again in a few minutes.`,
        502,
      );
  }
}

/** Checks a personal API key + athlete id pair; resolves with the real athlete id and name. */
export async function checkApiKey(deps: CheckDeps, input: LinkInput): Promise<VerifiedAthlete> {
  return fetchAthlete(deps, input.athleteId, { kind: 'api_key', apiKey: input.apiKey });
}
