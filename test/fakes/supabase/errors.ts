import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * GoTrue's error answers (internal/api/errors.go). The body shape depends on the REQUEST header
 * X-Supabase-Api-Version: 2024-01-01 or later → `{code, message}` and the header echoed back;
 * absent/older (curl, browser navigations) → legacy `{code: <status>, error_code, msg}`.
 * auth-js reads `code` only when the response carries the version header.
 */
export class GoTrueError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The OAuth-style error (`{error, error_description}`, always 400) some grant paths use. */
export class GoTrueOAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export const API_VERSION_2024 = '2024-01-01';

export function usesNewErrorShape(req: IncomingMessage): boolean {
  const v = String(req.headers['x-supabase-api-version'] ?? '');
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= API_VERSION_2024;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendGoTrueError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (err instanceof GoTrueOAuthError) return sendJson(res, 400, { error: err.error, error_description: err.description });
  const e =
    err instanceof GoTrueError
      ? err
      : new GoTrueError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information');
  const isWeak = e.errorCode === 'weak_password';
  if (usesNewErrorShape(req)) {
    const headers: Record<string, string> = { 'x-supabase-api-version': API_VERSION_2024 };
    if (!isWeak) headers['x-sb-error-code'] = e.errorCode;
    return sendJson(res, e.status, { code: e.errorCode, message: e.message, ...e.extra }, headers);
  }
  const legacy: Record<string, unknown> = { code: e.status, error_code: e.errorCode, msg: e.message, ...e.extra };
  if (e.status >= 500) legacy.error_id = crypto.randomUUID();
  return sendJson(res, e.status, legacy, { 'x-sb-error-code': e.errorCode });
}
