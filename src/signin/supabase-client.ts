import type { AuthClient } from '@supabase/auth-js';
import type { Config } from '../config/schema.js';

export type SupabaseAuth = InstanceType<typeof AuthClient>;
type AuthJs = typeof import('@supabase/auth-js');

/**
 * auth-js is loaded on the first sign-in, not at start-up: it is ~0.45 MB of source (held in
 * memory as a two-byte string) that an instance serving only /mcp never runs, and the 256 MB VM's
 * idle budget is tight (docs/PERFORMANCE.md).
 */
let authJs: Promise<AuthJs> | undefined;
let loaded: AuthJs | undefined;
export function loadAuthJs(): Promise<AuthJs> {
  return (authJs ??= import('@supabase/auth-js').then((m) => (loaded = m)));
}
/** auth-js if a sign-in has loaded it; until then no auth-js error can exist in this process. */
export const loadedAuthJs = (): AuthJs | undefined => loaded;

/**
 * auth-js storage for one request. auth-js uses a given storage only with persistSession: true
 * (otherwise it silently switches to its own memory map and the PKCE verifier is lost between the
 * redirect and the callback). Everything stays in this object; the caller persists only the
 * verifier slots (`pkceEntries`) — the Supabase session auth-js also writes here is dropped with it.
 */
export class RequestStorage {
  private readonly items: Map<string, string>;
  constructor(initial: Record<string, string> = {}) {
    this.items = new Map(Object.entries(initial));
  }
  getItem = (key: string): string | null => this.items.get(key) ?? null;
  setItem = (key: string, value: string): void => void this.items.set(key, value);
  removeItem = (key: string): void => void this.items.delete(key);
  pkceEntries(): Record<string, string> {
    return Object.fromEntries([...this.items].filter(([k]) => k.includes('code-verifier')));
  }
}

export function supabaseAuthUrl(config: Config): string {
  return `${(config.SUPABASE_URL ?? '').replace(/\/+$/, '')}/auth/v1`;
}

/** A fresh auth-js client for one request: server-side PKCE, no timers, no URL detection, a timeout on every call. */
export async function createSupabaseAuth(config: Config, storage: RequestStorage, timeoutMs = 10_000): Promise<SupabaseAuth> {
  const key = config.SUPABASE_ANON_KEY ?? '';
  const { AuthClient } = await loadAuthJs();
  return new AuthClient({
    url: supabaseAuthUrl(config),
    headers: { apikey: key, Authorization: `Bearer ${key}` },
    storageKey: 'sb-intervals-mcp-auth-token',
    storage,
    flowType: 'pkce',
    persistSession: true,
    autoRefreshToken: false,
    detectSessionInUrl: false,
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      }),
  });
}

/**
 * Which providers the Supabase project has enabled (GET /auth/v1/settings), cached briefly. A
 * disabled provider's /authorize answers with a raw JSON error in the person's browser, so we
 * check first and explain on our own page instead.
 */
export function createSettingsProbe(config: Config, ttlMs = 60_000, timeoutMs = 5_000): () => Promise<Record<string, boolean>> {
  let cached: { at: number; external: Record<string, boolean> } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.external;
    const key = config.SUPABASE_ANON_KEY ?? '';
    const res = await fetch(`${supabaseAuthUrl(config)}/settings`, {
      headers: { apikey: key, Authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`Supabase settings answered ${res.status}`);
    const body = (await res.json()) as { external?: Record<string, boolean> };
    cached = { at: Date.now(), external: body.external ?? {} };
    return cached.external;
  };
}
