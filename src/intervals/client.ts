import { createHash } from 'node:crypto';
import { authorizationFor, credentialSecret, type IntervalsCredentials } from './credentials.js';
import { errorFromResponse, IntervalsError, timeoutError, unreachableError, type ErrorHints } from './errors.js';
import { missingOAuthScope } from './oauth-scopes.js';
import { ReadCache, sharedReadCache } from './read-cache.js';
import { sharedThrottle, type Throttle } from './throttle.js';
import type { Method } from './http-method.js';

/**
 * The one way our code talks to Intervals.icu (https://intervals.icu/api/v1). Each client carries
 * one person's credentials; pacing, the read cache and coalescing are keyed by a fingerprint of
 * those credentials, so clients created per request still share them.
 */
export type { IntervalsCredentials };

export interface UpstreamEvent {
  method: string;
  /** Route template (`/activity/{id}`): bounded cardinality, no ids or dates. */
  route: string;
  status: number | 'error';
  ms: number;
}

export interface RetryOptions {
  /** Attempts in total, first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the caller gets a rate_limited error instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 4_000, maxRetryAfterMs: 10_000 };

export interface IntervalsClientOptions {
  baseUrl: string;
  credentials: IntervalsCredentials;
  timeoutMs: number;
  userAgent?: string;
  onUpstream?: (e: UpstreamEvent) => void;
  fetch?: typeof fetch;
  /** How the person fixes a broken link; quoted in 401/403 errors. */
  relinkHint?: string;
  retry?: Partial<RetryOptions>;
  throttle?: Throttle;
  /** `false` turns caching and coalescing off. */
  cache?: ReadCache | false;
  /**
   * Called when Intervals.icu answers 401: the stored credentials no longer work (key revoked,
   * app disconnected). The HTTP layer marks the link broken so the account page says so.
   */
  onUnauthorized?: () => void;
}

export type { Method };
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export interface CallOptions {
  /** Values for `{name}` placeholders in the route; each is URL-encoded. */
  params?: Record<string, string | number>;
  /** Query string; null/undefined values are left out, arrays are sent comma-separated (Intervals.icu style). */
  query?: Record<string, QueryValue>;
  body?: unknown;
}

export interface IntervalsClient {
  readonly credentialKind: IntervalsCredentials['kind'];
  request<T = unknown>(method: Method, route: string, opts?: CallOptions): Promise<T>;
  get<T = unknown>(route: string, opts?: CallOptions): Promise<T>;
  put<T = unknown>(route: string, opts?: CallOptions): Promise<T>;
  post<T = unknown>(route: string, opts?: CallOptions): Promise<T>;
  delete<T = unknown>(route: string, opts?: CallOptions): Promise<T>;
}

export const DEFAULT_USER_AGENT = 'intervals-mcp/0.1 (Model Context Protocol server for Intervals.icu)';

const IDEMPOTENT = new Set<Method>(['GET', 'PUT', 'DELETE']);
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export function buildUrl(baseUrl: string, route: string, opts: CallOptions = {}): string {
  const path = route.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = opts.params?.[name];
    if (v === undefined) throw new Error(`route ${route} needs the ${name} parameter`);
    return encodeURIComponent(String(v));
  });
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    if (v === undefined || v === null) continue;
    qs.append(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const q = qs.toString();
  return `${baseUrl.replace(/\/+$/, '')}${path}${q ? `?${q}` : ''}`;
}

function fingerprint(baseUrl: string, c: IntervalsCredentials): string {
  const secret = credentialSecret(c);
  return createHash('sha256').update(`${c.kind}\u0000${baseUrl}\u0000${secret}`).digest('hex').slice(0, 32);
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date), if present and sane. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const secs = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - now) / 1000;
  return Number.isFinite(secs) && secs >= 0 ? Math.ceil(secs) : undefined;
}

/** `ECONNREFUSED`, `ENOTFOUND`, … from a failed fetch, when there is one. */
function networkCode(err: unknown): string | undefined {
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code) ? code : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createIntervalsClient(opts: IntervalsClientOptions): IntervalsClient {
  const doFetch = opts.fetch ?? fetch;
  const retry = { ...DEFAULT_RETRY, ...opts.retry };
  const throttle = opts.throttle ?? sharedThrottle;
  const cache = opts.cache === false ? undefined : (opts.cache ?? sharedReadCache);
  const owner = fingerprint(opts.baseUrl, opts.credentials);
  const secret = credentialSecret(opts.credentials);
  // An upstream error body could echo what we sent; the credential never goes further than here.
  const withoutSecret = (text: string) => text.split(secret).join('[REDACTED]');
  const hints: ErrorHints = { relink: opts.relinkHint ?? 'check the Intervals.icu credentials and link the account again' };
  const headers = {
    authorization: authorizationFor(opts.credentials),
    accept: 'application/json',
    'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT,
  };

  /** One HTTP exchange; resolves with status, headers and body text, or throws timeout/unreachable. */
  async function attempt(method: Method, route: string, url: string, body: unknown) {
    await throttle.acquire(owner);
    const started = performance.now();
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), opts.timeoutMs);
    try {
      const res = await doFetch(url, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: ac.signal,
        redirect: 'error',
      });
      const text = await res.text();
      opts.onUpstream?.({ method, route, status: res.status, ms: performance.now() - started });
      return { status: res.status, retryAfter: parseRetryAfter(res.headers.get('retry-after')), text };
    } catch (err) {
      // The cause may quote the URL or headers; neither leaves this function (only its error code).
      opts.onUpstream?.({ method, route, status: 'error', ms: performance.now() - started });
      throw ac.signal.aborted ? timeoutError(method, route, opts.timeoutMs) : unreachableError(method, route, networkCode(err));
    } finally {
      clearTimeout(timer);
    }
  }

  function backoff(n: number, retryAfter?: number): number {
    if (retryAfter !== undefined) return retryAfter * 1000;
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** n);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  async function send<T>(method: Method, route: string, call: CallOptions): Promise<T> {
    const url = buildUrl(opts.baseUrl, route, call);
    for (let n = 0; ; n++) {
      let outcome: Awaited<ReturnType<typeof attempt>>;
      try {
        outcome = await attempt(method, route, url, call.body);
      } catch (err) {
        // A POST that timed out may have been applied: only idempotent calls are retried.
        if (!IDEMPOTENT.has(method) || n + 1 >= retry.maxAttempts) throw err;
        await sleep(backoff(n));
        continue;
      }
      const { status, retryAfter, text } = outcome;
      if (status >= 200 && status < 300) return parseBody(text) as T;
      // 429 means "not processed", so even a POST may be repeated; 5xx only for idempotent calls.
      const retryable = RETRYABLE_STATUS.has(status) && (status === 429 || IDEMPOTENT.has(method));
      const waitTooLong = retryAfter !== undefined && retryAfter * 1000 > retry.maxRetryAfterMs;
      if (!retryable || waitTooLong || n + 1 >= retry.maxAttempts) {
        if (status === 401) opts.onUnauthorized?.();
        throw errorFromResponse(
          {
            method,
            route,
            status,
            body: withoutSecret(text),
            retryAfterSeconds: retryAfter,
            missingOAuthScope: status === 403 ? missingOAuthScope(opts.credentials, method, route) : undefined,
          },
          hints,
        );
      }
      await sleep(backoff(n, retryAfter));
    }
  }

  async function request<T>(method: Method, route: string, call: CallOptions = {}): Promise<T> {
    if (method === 'GET' && cache) {
      return cache.get(owner, buildUrl('', route, call), () => send<T>(method, route, call));
    }
    try {
      return await send<T>(method, route, call);
    } finally {
      // Invalidate even when the write failed: it may have been applied before the error.
      if (method !== 'GET') cache?.invalidate(owner);
    }
  }

  return {
    credentialKind: opts.credentials.kind,
    request,
    get: (route, call) => request('GET', route, call),
    put: (route, call) => request('PUT', route, call),
    post: (route, call) => request('POST', route, call),
    delete: (route, call) => request('DELETE', route, call),
  };
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export { IntervalsError };
