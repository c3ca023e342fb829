import { z } from 'zod';

/**
 * The one configuration schema. Every variable the service reads is declared here, with its
 * default and a valid example; the type `Config` is inferred from it, never written by hand.
 * Each entry's `example` is what the start-up error message offers as a fix.
 */

const csv = (s: string | undefined): string[] =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

const parseUrl = (u: string): URL | undefined => {
  try {
    return new URL(u);
  } catch {
    return undefined;
  }
};

const httpUrl = z.string().refine((u) => /^https?:$/.test(parseUrl(u)?.protocol ?? ''), 'must be an http(s) URL');

/**
 * A whole-number setting. `z.coerce.number()` would turn `PORT=abc` into NaN and answer
 * "expected number, received NaN"; this says what a valid value looks like instead.
 */
const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message);
};

/** Base64 of exactly 32 random bytes (AES-256). */
const key32 = z.string().refine((s) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(s) && Buffer.from(s, 'base64').length === 32, {
  message: 'must be 32 random bytes in base64 (44 characters)',
});

export const ENV_EXAMPLES: Record<string, string> = {
  NODE_ENV: 'production',
  PORT: '8080',
  BASE_URL: 'https://intervals-mcp.fly.dev',
  ISSUER_URL: 'https://intervals-mcp.fly.dev',
  DATABASE_URL: 'postgres://user:password@db.example.supabase.co:6543/postgres',
  DATA_DIR: './data',
  DATABASE_QUERY_TIMEOUT_MS: '5000',
  SUPABASE_URL: 'https://abcdefghijklmnop.supabase.co',
  SUPABASE_ANON_KEY: "eyJhbGciOi... (the project's anon or publishable key)",
  SUPABASE_AUTH_PROVIDERS: 'github,google',
  INTERVALS_API_BASE_URL: 'https://intervals.icu/api/v1',
  INTERVALS_OAUTH_BASE_URL: 'https://intervals.icu',
  INTERVALS_OAUTH_CLIENT_ID: '123',
  INTERVALS_OAUTH_CLIENT_SECRET: '(the secret Intervals.icu issued for your app)',
  INTERVALS_TIMEOUT_MS: '15000',
  ENCRYPTION_KEY: '$(openssl rand -base64 32)',
  PREVIOUS_ENCRYPTION_KEYS: '(the old ENCRYPTION_KEY values, comma-separated, while re-encrypting)',
  COOKIE_KEYS: '$(openssl rand -base64 32),<the previous key: 32 or more characters>',
  SIGNING_KEYS: '{"keys":[{"kty":"EC","crv":"P-256","d":"…","x":"…","y":"…","kid":"k1"}]}',
  RATE_LIMIT_PER_HOUR: '100',
  ACCESS_STATUS_CACHE_SECONDS: '10',
  ALLOWED_ORIGINS: 'https://claude.ai,https://claude.com',
  TRUST_PROXY: 'true',
  METRICS_TOKEN: '$(openssl rand -hex 24)',
  REGISTRATION_RATE_LIMIT_PER_HOUR: '60',
  SIGNING_KEYS_RELOAD_SECONDS: '30',
  CIMD_TEST_LOOPBACK_HTTP: 'false',
  FLY_MACHINE_ID: '(set by Fly on each machine)',
  SSE_MAX_STREAMS_PER_PERSON: '4',
  SHUTDOWN_TIMEOUT_MS: '10000',
  LOG_LEVEL: 'info',
  SERVICE_NAME: 'Intervals MCP',
  OPERATOR_CONTACT_URL: 'https://example.com/privacy',
  ATHLETE_ID: 'i123456',
  API_KEY: '(your Intervals.icu personal API key)',
  TOOLSETS: 'planning,analysis',
};

export const configSchema = z.object({
  /** `production` turns on every guardrail: https BASE_URL, all secrets required, secure cookies. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** TCP port the HTTP server listens on. */
  PORT: wholeNumber(0, 65535).default(8080),
  /** Public origin; also the OAuth issuer. Path-less, no trailing slash. Defaults to http://localhost:PORT. */
  BASE_URL: httpUrl
    .refine((u) => {
      const x = parseUrl(u);
      return !x || ((x.pathname === '/' || x.pathname === '') && !u.endsWith('/') && !x.search && !x.hash);
    }, 'must be an origin without path, query or trailing slash')
    .optional(),
  /** Postgres connection string. Unset → embedded PGlite under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must start with postgres:// or postgresql://')
    .optional(),
  /** Where PGlite keeps its files when DATABASE_URL is unset. */
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * With DATABASE_URL: how long one query may wait for PostgreSQL to answer (and, if shorter than
   * 3 s, for a free connection) before the request gets 503; the connection is then dropped.
   * Bounds requests when the database stops answering without refusing (network partition, frozen
   * server, a lock that never frees). Migrations and `admin` commands are exempt.
   */
  DATABASE_QUERY_TIMEOUT_MS: wholeNumber(100, 120_000).default(5000),
  /**
   * OAuth issuer the resource server trusts (its JWKS is fetched from here). Defaults to BASE_URL:
   * set it only when the authorization server runs on another host.
   */
  ISSUER_URL: httpUrl.optional(),
  /** Supabase project URL. Unset (outside production) → local development sign-in. */
  SUPABASE_URL: httpUrl.optional(),
  /** Supabase anon/publishable key (public by design, but kept out of logs). */
  SUPABASE_ANON_KEY: z.string().min(20, 'looks too short for a Supabase key').optional(),
  /** OAuth providers enabled in Supabase, one "Continue with …" button each. */
  SUPABASE_AUTH_PROVIDERS: z
    .string()
    .optional()
    .transform(csv)
    .pipe(z.array(z.string().regex(/^[a-z0-9_]+$/, 'provider names are lower-case words such as github'))),
  /** Intervals.icu REST API base. */
  INTERVALS_API_BASE_URL: httpUrl.default('https://intervals.icu/api/v1'),
  /** Intervals.icu web origin for its OAuth authorize/token endpoints. */
  INTERVALS_OAUTH_BASE_URL: httpUrl.default('https://intervals.icu'),
  INTERVALS_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  INTERVALS_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  /** Per-call timeout for Intervals.icu requests. */
  INTERVALS_TIMEOUT_MS: wholeNumber(100, 120_000).default(15_000),
  /** AES-256-GCM key for secrets at rest. Outside production, generated and kept in the store. */
  ENCRYPTION_KEY: key32.optional(),
  /** Older encryption keys, still accepted for decryption until `admin reencrypt` has run. */
  PREVIOUS_ENCRYPTION_KEYS: z.string().optional().transform(csv).pipe(z.array(key32)),
  /** Cookie signing keys, newest first (keygrip rotation). */
  COOKIE_KEYS: z
    .string()
    .optional()
    .transform((s) => (s === undefined ? undefined : csv(s)))
    .pipe(z.array(z.string().min(32, 'each cookie key needs at least 32 characters')).min(1).optional()),
  /** OAuth signing keys as a private JWKS (JSON). Unset → generated, encrypted and kept in the store. */
  SIGNING_KEYS: z.string().optional(),
  /**
   * How often each instance re-reads the signing keys from the store, so a rotation reaches every
   * running instance without a restart. Must stay well under the rotation's publish lead (5 min).
   */
  SIGNING_KEYS_RELOAD_SECONDS: wholeNumber(1, 120).default(30),
  /** Tool calls per person per rolling hour. */
  RATE_LIMIT_PER_HOUR: wholeNumber(1, 1_000_000).default(100),
  /**
   * How long an instance relies on its last look at a token's standing (account active, the app's
   * grant not revoked, the personal access token not revoked) before asking the database again.
   * A revocation or account deletion made on another instance is enforced here within this time
   * (on the instance that made it, at once), access tokens already issued included. 0 asks on
   * every /mcp request; each look is one indexed query per person and app.
   */
  ACCESS_STATUS_CACHE_SECONDS: wholeNumber(0, 300).default(10),
  /** Browser origins allowed to call /mcp (DNS-rebinding protection), comma-separated. */
  ALLOWED_ORIGINS: z.string().optional().transform(csv).pipe(z.array(httpUrl)),
  /**
   * Dynamic client registrations accepted per client IP per hour. Generous by default: claude.ai
   * registers from a few shared Anthropic egress addresses.
   */
  REGISTRATION_RATE_LIMIT_PER_HOUR: wholeNumber(1, 100_000).default(60),
  /**
   * TESTS ONLY (refused in production): fetch Client ID Metadata Documents whose URL host is
   * 127.0.0.1/localhost over plain http, bypassing the SSRF guard, so an end-to-end test can serve
   * one on loopback. Never set this on a deployed server.
   */
  CIMD_TEST_LOOPBACK_HTTP: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Trust X-Forwarded-* headers (set when behind Fly's proxy). */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** Bearer token for /metrics and /config. Unset in production → those endpoints answer 404. */
  METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /**
   * This instance's name among its peers (Fly sets it on every machine). The legacy SSE transport
   * records which instance holds each stream, so a POST that reaches another instance is sent on
   * to it (Fly's `fly-replay: instance=…`). Unset: a random name per process.
   */
  FLY_MACHINE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only')
    .optional(),
  /** Open legacy SSE streams (GET /sse) one person may hold at once, across every instance. */
  SSE_MAX_STREAMS_PER_PERSON: z.coerce.number().int().min(1).max(100).default(4),
  /** How long in-flight requests may run after SIGTERM before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: wholeNumber(0, 120_000).default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The service's name as people see it on the landing page (its heading and tab title). */
  SERVICE_NAME: z.string().trim().min(1).max(60, 'use at most 60 characters').default('Intervals MCP'),
  /**
   * Where people reach the operator: a contact or privacy page (https) or a `mailto:` address.
   * Linked from the landing page; unset → no link.
   */
  OPERATOR_CONTACT_URL: z
    .string()
    .refine((u) => /^(https?:|mailto:)$/.test(parseUrl(u)?.protocol ?? ''), 'must be an http(s) URL or a mailto: address')
    .optional(),
  /** stdio mode only: the athlete and their personal API key. */
  ATHLETE_ID: z
    .string()
    .regex(/^(i?\d+|0)$/, "must be an Intervals.icu athlete id such as i123456 (or 0 for the key's owner)")
    .optional(),
  API_KEY: z.string().min(8, 'looks too short for an Intervals.icu API key').optional(),
  /**
   * stdio mode only: the tool sets on besides core (planning, coach, analysis, or all), separated
   * by commas or spaces; an unknown name stops the start. Unset: core only. `--toolsets` overrides it.
   */
  TOOLSETS: z
    .string()
    .regex(/^[A-Za-z, ]*$/, 'must be tool set names separated by commas, such as planning,analysis (or all)')
    .optional(),
});

/**
 * Rules that involve more than one variable. They read the raw strings, so they report even
 * when other variables failed to parse: the operator sees every problem in one go.
 */
export function crossFieldProblems(env: Record<string, string | undefined>): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  const missing = (key: string) => env[key] === undefined;
  if (env.NODE_ENV === 'production') {
    const why: Record<string, string> = {
      BASE_URL: 'is required in production',
      DATABASE_URL: 'is required in production (PGlite is for development only)',
      SUPABASE_URL: 'is required in production (the development sign-in is disabled there)',
      SUPABASE_ANON_KEY: 'is required in production',
      ENCRYPTION_KEY: 'is required in production',
      COOKIE_KEYS: 'is required in production',
    };
    for (const [key, message] of Object.entries(why)) if (missing(key)) out.push({ key, message });
    if (env.CIMD_TEST_LOOPBACK_HTTP === 'true')
      out.push({ key: 'CIMD_TEST_LOOPBACK_HTTP', message: 'is a test-only setting and must not be true in production' });
    if (env.BASE_URL !== undefined && !env.BASE_URL.startsWith('https://'))
      out.push({ key: 'BASE_URL', message: 'must be https in production' });
  }
  const pairs: [string, string][] = [
    ['SUPABASE_URL', 'SUPABASE_ANON_KEY'],
    ['INTERVALS_OAUTH_CLIENT_ID', 'INTERVALS_OAUTH_CLIENT_SECRET'],
  ];
  for (const [a, b] of pairs) {
    if (missing(a) !== missing(b)) {
      const [absent, present] = missing(a) ? [a, b] : [b, a];
      out.push({ key: absent, message: `must be set together with ${present}` });
    }
  }
  return out;
}

export type RawConfig = z.infer<typeof configSchema>;

/** Derived, fully-resolved configuration the rest of the code reads. */
export type Config = Readonly<
  Omit<RawConfig, 'BASE_URL' | 'ISSUER_URL' | 'ALLOWED_ORIGINS' | 'TRUST_PROXY'> & {
    BASE_URL: string;
    /** The OAuth issuer: ISSUER_URL, else BASE_URL. */
    ISSUER_URL: string;
    ALLOWED_ORIGINS: readonly string[];
    TRUST_PROXY: boolean;
    /** The MCP endpoint, `BASE_URL/mcp`: the audience of every access token. */
    MCP_RESOURCE: string;
    isProduction: boolean;
  }
>;

/** Keys whose values are secrets: never printed, not even in /config. */
export const SECRET_KEYS = new Set<string>([
  'DATABASE_URL',
  'SUPABASE_ANON_KEY',
  'INTERVALS_OAUTH_CLIENT_SECRET',
  'ENCRYPTION_KEY',
  'PREVIOUS_ENCRYPTION_KEYS',
  'COOKIE_KEYS',
  'SIGNING_KEYS',
  'METRICS_TOKEN',
  'API_KEY',
]);
