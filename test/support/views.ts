import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/** What an MCP Apps host declares in its client capabilities (ext-apps' McpUiClientCapabilities). */
export const UI_CAPABILITIES = { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } } };

/** The v2 SDK client on our /mcp with a bearer token; `ui` declares the MCP Apps extension, `era` picks the protocol. */
export async function connectMcp(resource: string, token: string, opts: { ui?: boolean; era?: 'legacy' | 'modern' } = {}): Promise<Client> {
  const client = new Client(
    { name: opts.ui ? 'apps-host' : 'plain-client', version: '1.0.0' },
    {
      ...(opts.ui ? { capabilities: UI_CAPABILITIES } : {}),
      ...(opts.era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return client;
}

/** POSTs one JSON-RPC message to /mcp the way a 2025-era client does, returning the raw answer. */
export function postMcp(resource: string, token: string, message: unknown): Promise<Response> {
  return fetch(resource, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify(message),
  });
}
