/**
 * Typed errors with stable codes. `expose` decides whether the message may reach
 * the caller: anything 5xx is logged and answered generically, never echoed.
 */
export class AppError extends Error {
  readonly expose: boolean;
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    options?: { cause?: unknown; expose?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.expose = options?.expose ?? status < 500;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/**
 * Socket-level failures, PostgreSQL's "connection exception" / "operator intervention" classes, and
 * our own StoreUnavailableError (store/store.ts: e.g. a query that outlived DATABASE_QUERY_TIMEOUT_MS).
 */
const UNREACHABLE_CODES =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|08\w{3}|57P0[123]|store_unavailable)$/;
/** node-postgres's messages without a code: the connect timeout, a waiter's checkout timeout, `query_timeout`. */
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/;

/**
 * True when `err` (or anything in its cause chain) says the database or another dependency could
 * not be reached: the request may well succeed in a moment, so it is a 503, not a 500.
 */
export function isDependencyUnreachable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.code === 'string' && UNREACHABLE_CODES.test(e.code)) return true;
    if (typeof e.message === 'string' && UNREACHABLE_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** What every 503 tells the caller (Retry-After): a dependency that went away is usually back within seconds. */
export const RETRY_AFTER_SECONDS = 5;

/** True when the honest answer to `err` is 503 "try again shortly": declared so, or a dependency unreachable. */
export function isTemporarilyUnavailable(err: unknown): boolean {
  return describeError(err).status === 503;
}

/** Status, code and the message safe to show for any thrown value. */
export function describeError(err: unknown): { status: number; code: string; message: string } {
  const e = err as { status?: unknown; statusCode?: unknown; code?: unknown; expose?: unknown; message?: unknown };
  const declared = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const status = declared ?? (isDependencyUnreachable(err) ? 503 : 500);
  const expose = typeof e?.expose === 'boolean' ? e.expose : status < 500;
  if (!expose || status >= 500) {
    return {
      status: status >= 400 ? status : 500,
      code: status === 503 ? 'unavailable' : 'server_error',
      message:
        status === 503
          ? 'The service is temporarily unavailable; try again shortly.'
          : 'Something went wrong on our side. It has been logged.',
    };
  }
  return {
    status,
    code: typeof e.code === 'string' ? e.code : 'bad_request',
    message: typeof e.message === 'string' ? e.message : 'Bad request',
  };
}

/**
 * Start-up stopped by something outside the configuration's syntax (a port in use, a database
 * that cannot be reached, a data directory held by another process). The message names the
 * setting to change and how; main.ts prints it and exits non-zero.
 */
export class StartupError extends Error {
  readonly code = 'startup_failed';
  constructor(
    /** The variable a person would change, e.g. `PORT`. */
    readonly setting: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartupError';
  }
}
