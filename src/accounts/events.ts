/**
 * Changes to an account that other parts cache (the resource server keeps each token's standing
 * for ACCESS_STATUS_CACHE_SECONDS and decrypted links for 30 s). Subscribing lets this instance
 * forget them the moment the person acts on the account page or oidc-provider ends a grant, so
 * "delete my account", unlink or revoke bite at the very next call here; other instances catch up
 * within their cache lifetimes. In-process only: listeners must be cheap and must not throw.
 */
export type AccountChange = 'deleted' | 'link_changed' | 'token_revoked' | 'client_revoked' | 'toolsets_changed';

type Listener = (accountId: string, change: AccountChange) => void;

const listeners = new Set<Listener>();

/** Returns the unsubscribe function. */
export function onAccountChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** How many parts listen (introspection: a closed service must leave none behind). */
export function accountChangeListenerCount(): number {
  return listeners.size;
}

export function emitAccountChange(accountId: string, change: AccountChange): void {
  for (const l of listeners) {
    try {
      l(accountId, change);
    } catch {
      // A cache that fails to forget must not undo the change the person just made.
    }
  }
}
