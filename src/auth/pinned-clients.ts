import type { ClientMetadata } from 'oidc-provider';

/**
 * Well-known Client ID Metadata Document clients, configured statically so they work even when
 * their documents cannot be fetched from our servers (claude.ai's answer a Cloudflare challenge to
 * many datacenter IPs: anthropics/claude-ai-mcp#650). Contents mirror the published documents as
 * captured 2026-09; re-check them against the live URLs when a vendor announces changes.
 * Static clients are never fetched and never expire.
 */
const common = {
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

export const PINNED_CLIENTS: readonly ClientMetadata[] = [
  {
    ...common,
    client_id: 'https://claude.ai/oauth/mcp-oauth-client-metadata',
    client_name: 'Claude',
    application_type: 'web',
    // claude.ai announced a possible move of its callback to claude.com: accept both.
    redirect_uris: ['https://claude.ai/api/mcp/auth_callback', 'https://claude.com/api/mcp/auth_callback'],
  },
  {
    ...common,
    client_id: 'https://claude.ai/oauth/claude-code-client-metadata',
    client_name: 'Claude Code',
    // native: its port-less loopback redirects match any port (RFC 8252 §7.3).
    application_type: 'native',
    redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
  },
  {
    ...common,
    client_id: 'https://chatgpt.com/oauth/client.json',
    client_name: 'ChatGPT',
    application_type: 'web',
    redirect_uris: [
      'https://chatgpt.com/connector_platform_oauth_redirect',
      'https://chatgpt.com/backend-api/aip/connectors/links/oauth/callback',
    ],
  },
];

export const PINNED_CLIENT_IDS: ReadonlySet<string> = new Set(PINNED_CLIENTS.map((c) => c.client_id));
