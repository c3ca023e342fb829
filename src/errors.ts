/**
 * Typed errors with stable codes (STYLE rule 6). `expose` decides whether the message may reach
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

/** Status, code and the message safe to show for any thrown value. */
export function describeError(err: unknown): { status: number; code: string; message: string } {
  const e = err as { status?: unknown; statusCode?: unknown; code?: unknown; expose?: unknown; message?: unknown };
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 500;
  const expose = typeof e?.expose === 'boolean' ? e.expose : status < 500;
  if (!expose || status >= 500) {
    return { status: status >= 400 ? status : 500, code: status === 503 ? 'unavailable' : 'server_error', message: status === 503 ? 'The service is temporarily unavailable; try again shortly.' : 'Something went wrong on our side. It has been logged.' };
  }
  return {
    status,
    code: typeof e.code === 'string' ? e.code : 'bad_request',
    message: typeof e.message === 'string' ? e.message : 'Bad request',
  };
}
