import { scrubText } from '../logger.js';

/**
 * Everything that can go wrong talking to Intervals.icu, as a stable code plus the next step a
 * language model (or a person) should take. The message never carries credentials: upstream
 * bodies are scrubbed and capped before they are quoted.
 */
export type IntervalsErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_request'
  | 'strava_unavailable'
  | 'rate_limited'
  | 'upstream_error'
  | 'timeout'
  | 'unreachable';

export class IntervalsError extends Error {
  override readonly name = 'IntervalsError';
  constructor(
    readonly code: IntervalsErrorCode,
    /** HTTP status from Intervals.icu, or 0 when no answer arrived (timeout, connection failure). */
    readonly status: number,
    message: string,
    /** What to do about it, addressed to the caller. */
    readonly nextStep: string,
    /** Seconds to wait before retrying, when known (429). */
    readonly retryAfterSeconds?: number,
    /** For `unreachable`: the system error code of the failed connection (`ECONNREFUSED`, `ENOTFOUND`), when known. */
    readonly networkCode?: string,
  ) {
    super(message);
  }
}

export function isIntervalsError(err: unknown): err is IntervalsError {
  return err instanceof IntervalsError;
}

/** Hints the client adds to its errors; the transport knows where a person can re-link. */
export interface ErrorHints {
  /** e.g. "re-link Intervals.icu at https://host/account" or "check API_KEY in your MCP client config". */
  relink: string;
}

const MAX_QUOTED = 300;

/** Pull the human part out of an Intervals.icu error body (JSON `{error}` or plain text). */
export function upstreamMessage(body: string): string {
  let text = body;
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    if (typeof parsed?.error === 'string') text = parsed.error;
    else if (typeof parsed?.message === 'string') text = parsed.message;
  } catch {
    // plain-text body: quote as is
  }
  // Control characters out, secrets scrubbed, length capped: this text ends up in tool output.
  // eslint-disable-next-line no-control-regex -- control characters are what this strips
  const clean = scrubText(text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim());
  return clean.length > MAX_QUOTED ? `${clean.slice(0, MAX_QUOTED)}…` : clean;
}

const STRAVA = /strava/i;

export interface FailureContext {
  method: string;
  /** Route template, e.g. `/activity/{id}/intervals`. */
  route: string;
  status: number;
  body: string;
  retryAfterSeconds?: number;
  /** The Intervals.icu OAuth scope this call needs, when the caller uses OAuth and lacks it. */
  missingOAuthScope?: string;
}

/** Map an Intervals.icu HTTP failure to a typed error with a next step. */
export function errorFromResponse(f: FailureContext, hints: ErrorHints): IntervalsError {
  const said = upstreamMessage(f.body);
  const quote = said ? ` Intervals.icu said: "${said}".` : '';
  const where = `${f.method} ${f.route}`;
  if (STRAVA.test(said)) {
    return new IntervalsError(
      'strava_unavailable',
      f.status,
      `This activity was imported from Strava, and Strava's API terms stop Intervals.icu from sharing its data with apps.`,
      'Connect the device or service (Garmin, Wahoo, Zwift, COROS, Suunto, Polar …) to Intervals.icu directly so new activities arrive with full data, or upload the original file.',
    );
  }
  switch (f.status) {
    case 401:
      return new IntervalsError(
        'unauthorized',
        401,
        `Intervals.icu rejected the stored credentials (${where}).${quote}`,
        `The link to Intervals.icu is no longer valid: ${hints.relink}.`,
      );
    case 403:
      return f.missingOAuthScope
        ? new IntervalsError(
            'forbidden',
            403,
            `Intervals.icu refused ${where}: the Intervals.icu authorisation lacks the ${f.missingOAuthScope} permission.${quote}`,
            `Grant ${f.missingOAuthScope}: ${hints.relink} and tick that permission.`,
          )
        : new IntervalsError(
            'forbidden',
            403,
            `Intervals.icu refused ${where}.${quote}`,
            `If you asked for another athlete, check that they share their data with you (list_athletes shows who you can see). Otherwise ${hints.relink}.`,
          );
    case 404:
      return new IntervalsError(
        'not_found',
        404,
        `Intervals.icu has nothing at ${where}.${quote}`,
        'Check the id (activity ids look like i12345678, event ids are numbers, dates are YYYY-MM-DD); list tools such as get_activities or get_events return valid ids.',
      );
    case 405:
    case 400:
    case 422:
      return new IntervalsError(
        'invalid_request',
        f.status,
        `Intervals.icu did not accept ${where}.${quote}`,
        'Fix the parameter named in the message and call the tool again.',
      );
    case 429:
      return new IntervalsError(
        'rate_limited',
        429,
        `Intervals.icu is rate-limiting requests (${where}).`,
        `Wait ${f.retryAfterSeconds ?? 10} seconds before calling again, and prefer fewer, wider requests (a date range instead of one call per day).`,
        f.retryAfterSeconds ?? 10,
      );
    default:
      return new IntervalsError(
        'upstream_error',
        f.status,
        `Intervals.icu answered ${f.status} to ${where}.`,
        'This is on the Intervals.icu side; try again in a minute. If it persists, check https://intervals.icu is up.',
      );
  }
}

export function timeoutError(method: string, route: string, ms: number): IntervalsError {
  return new IntervalsError(
    'timeout',
    0,
    `Intervals.icu did not answer ${method} ${route} within ${ms} ms.`,
    'Try again; if it keeps timing out, ask for a smaller date range or fewer items.',
  );
}

export function unreachableError(method: string, route: string, networkCode?: string): IntervalsError {
  return new IntervalsError(
    'unreachable',
    0,
    `Could not reach Intervals.icu for ${method} ${route} (connection failed).`,
    'Try again in a minute; Intervals.icu or the network may be briefly unavailable.',
    undefined,
    networkCode,
  );
}
