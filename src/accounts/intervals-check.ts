import { AppError } from '../errors.js';
import type { LinkInput } from './link-input.js';

/**
 * The live check run before a link is saved: `GET /athlete/{id}` with the person's own key.
 * One attempt with a timeout, no retries: a person is waiting at the form, and each failure
 * gets its own message naming the next step.
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

/** Normalises the id Intervals.icu returns: it may be `i123` or a bare number. */
function asAthleteId(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return `i${v}`;
  if (typeof v === 'string' && /^i?\d+$/.test(v)) return v.startsWith('i') ? v : `i${v}`;
  return undefined;
}

/**
 * getaddrinfo's answers when our own resolver could not find or ask for the name (Node's dns
 * errors): the host's DNS, not Intervals.icu, is what failed, so the message must not blame it.
 */
const OUR_DNS_FAILURES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ENODATA', 'ESERVFAIL']);

function causeCode(err: unknown): string | undefined {
  const c = (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof c === 'string' ? c : undefined;
}

/**
 * Asks Intervals.icu who the credentials belong to. `authorization` is the full header value
 * (Basic for API keys, Bearer for OAuth tokens) so both link methods share one check.
 */
export async function fetchAthlete(deps: CheckDeps, athleteId: string, authorization: string): Promise<VerifiedAthlete> {
  const doFetch = deps.fetch ?? fetch;
  const url = `${deps.baseUrl.replace(/\/+$/, '')}/athlete/${encodeURIComponent(athleteId)}`;
  let res: Response;
  try {
    res = await doFetch(url, {
      headers: { authorization, accept: 'application/json', 'user-agent': deps.userAgent ?? 'intervals-mcp' },
      signal: AbortSignal.timeout(deps.timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    const name = (err as { name?: unknown })?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new LinkCheckError(
        'intervals_timeout',
        `Intervals.icu did not answer within ${Math.round(deps.timeoutMs / 1000)} seconds, so nothing was saved. It may be busy: try again in a minute.`,
        504,
      );
    }
    const code = causeCode(err);
    if (code !== undefined && OUR_DNS_FAILURES.has(code)) {
      throw new LinkCheckError(
        'intervals_dns_failed',
        `This service could not look up the address of Intervals.icu (${code}): a name-lookup problem on our side, not at Intervals.icu. Nothing was saved. Try again in a few minutes; if it keeps happening, tell the operator of this service.`,
        502,
      );
    }
    throw new LinkCheckError(
      'intervals_unreachable',
      `We could not reach Intervals.icu${code ? ` (${code})` : ''}, so nothing was saved. It may be down or restarting: try again in a few minutes.`,
      502,
    );
  }
  // Drain the body in every branch so the connection is released.
  const text = await res.text().catch(() => '');
  if (res.status === 401 || res.status === 403) {
    throw new LinkCheckError(
      'intervals_rejected_key',
      athleteId === '0'
        ? 'Intervals.icu rejected this API key. Copy it again from Settings → Developer Settings on intervals.icu (or generate a new one there) and paste it here.'
        : `Intervals.icu rejected this API key for athlete ${athleteId}. Check that the key is current (Settings → Developer Settings on intervals.icu) and that the athlete ID is yours or one you coach, or enter 0 to use the key's owner.`,
    );
  }
  if (res.status === 404) {
    throw new LinkCheckError(
      'intervals_unknown_athlete',
      `Intervals.icu has no athlete ${athleteId}. Check the athlete ID (Settings on intervals.icu shows it, like i123456), or enter 0 to use the key's owner.`,
    );
  }
  if (res.status === 429) {
    throw new LinkCheckError('intervals_rate_limited', 'Intervals.icu is limiting requests right now, so nothing was saved. Wait a minute and try again.', 503);
  }
  if (!res.ok) {
    throw new LinkCheckError(
      'intervals_unavailable',
      `Intervals.icu answered with an error (HTTP ${res.status}), so nothing was saved. Try again in a few minutes.`,
      502,
    );
  }
  let body: { id?: unknown; name?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = {};
  }
  const id = asAthleteId(body?.id);
  if (!id) {
    throw new LinkCheckError('intervals_unexpected', 'Intervals.icu answered in a way we did not expect, so nothing was saved. Try again in a few minutes.', 502);
  }
  const name = typeof body.name === 'string' && body.name.trim() !== '' ? body.name.trim().slice(0, 200) : null;
  return { athleteId: id, athleteName: name };
}

export function basicAuthorization(apiKey: string): string {
  return `Basic ${Buffer.from(`API_KEY:${apiKey}`).toString('base64')}`;
}

/** Checks a personal API key + athlete id pair; resolves with the real athlete id and name. */
export async function checkApiKey(deps: CheckDeps, input: LinkInput): Promise<VerifiedAthlete> {
  return fetchAthlete(deps, input.athleteId, basicAuthorization(input.apiKey));
}
