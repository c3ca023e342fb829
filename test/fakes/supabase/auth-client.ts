import { AuthClient } from '@supabase/auth-js';
import type { SupabaseStandIn } from './server.js';

/**
 * The real auth-js client pointed at a stand-in, configured the way a server uses it: PKCE,
 * persistSession with an explicit storage (here a Map the test can inspect), no timers.
 */
export function authClientFor(
  standIn: SupabaseStandIn,
  storage = new Map<string, string>(),
): { auth: InstanceType<typeof AuthClient>; storage: Map<string, string> } {
  const auth = new AuthClient({
    url: `${standIn.url}/auth/v1`,
    headers: { apikey: standIn.anonKey, Authorization: `Bearer ${standIn.anonKey}` },
    storageKey: 'sb-test-auth-token',
    storage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
      removeItem: (k: string) => void storage.delete(k),
    },
    flowType: 'pkce',
    persistSession: true,
    autoRefreshToken: false,
    detectSessionInUrl: false,
  });
  return { auth, storage };
}

/** Follows a browser's GET redirects from `start` until it leaves the stand-in; returns the final URL. */
export async function followOutOf(standIn: SupabaseStandIn, start: string, maxHops = 8): Promise<string> {
  let at = start;
  for (let i = 0; i < maxHops && at.startsWith(standIn.url); i++) {
    const res = await fetch(at, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    const loc = res.headers.get('location');
    if (!loc) throw new Error(`stand-in answered ${res.status} at ${new URL(at).pathname}: ${await res.text()}`);
    at = new URL(loc, at).href;
  }
  return at;
}

/** Environment that points our service (or the sign-in harness) at a stand-in. */
export function supabaseEnv(standIn: SupabaseStandIn, providers = 'github,google'): Record<string, string> {
  return { SUPABASE_URL: standIn.url, SUPABASE_ANON_KEY: standIn.anonKey, SUPABASE_AUTH_PROVIDERS: providers };
}
