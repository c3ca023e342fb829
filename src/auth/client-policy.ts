import { errors } from 'oidc-provider';
import { SUPPORTED_SCOPES } from '../scopes.js';

/**
 * Client metadata rules on top of oidc-provider's own validation. They run wherever a client is
 * built from metadata: registration (DCR), Client ID Metadata Documents, pinned clients and every
 * load of a stored client. oidc-provider only runs `extraClientMetadata.validator` when at least
 * one extra property is declared; `software_id` / `software_version` (RFC 7591) are worth keeping anyway.
 */
export const EXTRA_CLIENT_PROPERTIES = ['software_id', 'software_version'];

const LIMITS = { redirectUris: 10, uri: 2048, name: 120, contacts: 5, short: 200 };
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Never a redirect target: they run code or read local files in the browser (RFC 8252 §8.1 spirit). */
const FORBIDDEN_SCHEMES = new Set([
  'javascript:',
  'vbscript:',
  'data:',
  'blob:',
  'file:',
  'about:',
  'filesystem:',
  'urn:',
  'ws:',
  'wss:',
  'ftp:',
]);
const URI_FIELDS = ['client_uri', 'logo_uri', 'tos_uri', 'policy_uri', 'jwks_uri'];

type Metadata = Record<string, unknown>;

const invalid = (description: string) => new errors.InvalidClientMetadata(description);

export type RedirectKind = 'https' | 'loopback' | 'private-use';

/** Classifies a redirect URI or explains, in words a developer can act on, why it is refused. */
export function classifyRedirectUri(uri: string): RedirectKind | { problem: string } {
  if (uri.length > LIMITS.uri) return { problem: `is longer than ${LIMITS.uri} characters` };
  // URL parsing silently drops CR, LF and tab, so check the raw string: such a URI is not the one
  // the client will compare against, and must never be stored (RFC 3986 allows no whitespace).
  // eslint-disable-next-line no-control-regex -- control characters are what this check looks for
  if (/[\u0000-\u0020\u007f]/.test(uri)) return { problem: 'contains whitespace or control characters (CR, LF, tab); percent-encode them' };
  const parsed = URL.parse(uri);
  if (!parsed) return { problem: 'is not a valid absolute URI' };
  if (parsed.hash || uri.includes('#')) return { problem: 'must not contain a fragment' };
  const scheme = parsed.protocol;
  if (scheme === 'https:') return 'https';
  if (scheme === 'http:') {
    return LOOPBACK_HOSTS.has(parsed.hostname)
      ? 'loopback'
      : { problem: 'uses http on a non-loopback host; use https, or http://127.0.0.1:<port>/… for apps on this computer' };
  }
  if (FORBIDDEN_SCHEMES.has(scheme)) return { problem: `uses the ${scheme.slice(0, -1)} scheme, which is never allowed` };
  // RFC 8252 §7.1 private-use schemes (cursor://, vscode://, com.example.app:/…).
  return /^[a-z][a-z0-9+.-]*:$/.test(scheme) ? 'private-use' : { problem: 'has an invalid scheme' };
}

function checkString(meta: Metadata, key: string, max: number): void {
  const v = meta[key];
  if (v === undefined) return;
  if (typeof v !== 'string') throw invalid(`${key} must be a string`);
  if (v.length > max) throw invalid(`${key} must be at most ${max} characters`);
}

function checkRedirectUris(meta: Metadata): void {
  const uris = meta.redirect_uris;
  if (!Array.isArray(uris)) return; // oidc-provider reports the missing/invalid array itself
  if (uris.length > LIMITS.redirectUris) throw invalid(`redirect_uris: at most ${LIMITS.redirectUris} are accepted`);
  const kinds = uris.map((uri) => {
    if (typeof uri !== 'string') throw invalid('redirect_uris must only contain strings');
    const kind = classifyRedirectUri(uri);
    if (typeof kind === 'object') throw invalid(`redirect_uris: ${uri.slice(0, 100)} ${kind.problem}`);
    return kind;
  });
  // Loopback on any port and private-use schemes need oidc-provider's `native` rules (RFC 8252);
  // a client that called itself `web` but registers them is a desktop app in practice (Cursor, VS Code).
  if (meta.application_type === 'web' && kinds.some((k) => k !== 'https')) meta.application_type = 'native';
}

/**
 * Widen the registered `scope` to everything we support. MCP SDK clients register with the scope of
 * their first 401 challenge (`intervals:read`), and oidc-provider would later refuse their step-up
 * to `intervals:write`. What the person actually grants is still decided on the consent page.
 */
function widenScope(meta: Metadata): void {
  if (meta.scope === undefined) return;
  if (typeof meta.scope !== 'string') throw invalid('scope must be a space-separated string');
  meta.scope = [...new Set([...meta.scope.split(' ').filter(Boolean), ...SUPPORTED_SCOPES])].join(' ');
}

export function validateClientMetadata(_ctx: unknown, key: string, value: unknown, meta: Metadata): void {
  if (value !== undefined && (typeof value !== 'string' || value.length > LIMITS.short))
    throw invalid(`${key} must be a string of at most ${LIMITS.short} characters`);
  if (key !== EXTRA_CLIENT_PROPERTIES[0]) return; // the whole-metadata rules run once per client
  checkString(meta, 'client_name', LIMITS.name);
  for (const f of URI_FIELDS) checkString(meta, f, LIMITS.uri);
  if (Array.isArray(meta.contacts) && meta.contacts.length > LIMITS.contacts)
    throw invalid(`contacts: at most ${LIMITS.contacts} are accepted`);
  checkRedirectUris(meta);
  widenScope(meta);
}
