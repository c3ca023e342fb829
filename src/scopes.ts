/**
 * The OAuth scopes of the MCP resource, defined once: the authorization server grants them, the
 * resource server and the tools check them. Nothing here imports anything, so every layer may use it.
 */
export const READ_SCOPE = 'intervals:read';
export const WRITE_SCOPE = 'intervals:write';
export type Scope = typeof READ_SCOPE | typeof WRITE_SCOPE;

/** Scopes the MCP resource server understands; `intervals:read` is the default when none is asked. */
export const RS_SCOPES = [READ_SCOPE, WRITE_SCOPE] as const;
export const DEFAULT_SCOPE = READ_SCOPE;
/** Everything the authorization server accepts (discovery `scopes_supported`). */
export const SUPPORTED_SCOPES = ['openid', 'offline_access', 'email', ...RS_SCOPES] as const;
