import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { ROOT } from './process.js';

/** A real MCP client talking to a server process over stdio, as Claude Desktop does. */
export interface StdioSession {
  client: Client;
  /** Client-side protocol errors (a stray non-JSON line on stdout lands here). */
  errors: Error[];
  stderr(): string;
  callTool(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * Starts `command args` with only PATH, LOG_LEVEL and `env` in its environment (like an MCP
 * client's config) and connects the SDK's stdio client to it.
 */
export async function connectStdio(
  command: string,
  args: string[],
  env: Record<string, string>,
  opts: { cwd?: string; path?: string } = {},
): Promise<StdioSession> {
  const transport = new StdioClientTransport({
    command,
    args,
    cwd: opts.cwd ?? ROOT,
    env: { PATH: opts.path ?? process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const errors: Error[] = [];
  const client = new Client({ name: 'stdio-test', version: '1.0.0' });
  client.onerror = (e) => errors.push(e);
  await client.connect(transport);
  return {
    client,
    errors,
    stderr: () => stderr,
    callTool: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: () => client.close(),
  };
}
