import { Client, StreamableHTTPClientTransport, type AuthInfo } from '@modelcontextprotocol/client';
import type { CallToolResult, ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/server';
import {
  createIntervalsClient,
  type IntervalsClientOptions,
  type IntervalsCredentials,
  type UpstreamEvent,
} from '../../src/intervals/client.js';
import { ReadCache } from '../../src/intervals/read-cache.js';
import { Throttle } from '../../src/intervals/throttle.js';
import { READ_SCOPE, WRITE_SCOPE, type Person, type ToolContext } from '../../src/mcp/context.js';
import { createToolRegistry, TOOL_SCOPES } from '../../src/mcp/server.js';
import type { Toolset } from '../../src/mcp/tool.js';
import { TOOLSET_NAMES, withCore } from '../../src/mcp/toolsets.js';
import { createMcpDispatch, type McpDispatch } from '../../src/resource/mcp-dispatch.js';
import { MAX_BODY_BYTES } from '../../src/resource/mcp-endpoint.js';
import type { FakeAthlete, FakeIntervals } from '../fakes/intervals/index.js';
import { dispatchFetch } from './mcp-dispatch-fetch.js';

// No jest imports here: scripts/tool-sizes.ts runs this harness outside jest (npm run tool-sizes).

/**
 * The real MCP SDK client, acting for one fake athlete, talking to the real tool registry through
 * the same dispatch function POST /mcp uses (src/resource/mcp-dispatch.ts): the fast lane for the
 * calls it takes, the SDK for the rest. The client checks every structured result against the
 * tool's advertised outputSchema. Every harness gets its own read cache and throttle.
 */
export interface ToolHarness {
  client: Client;
  /** Upstream calls the Intervals client reported (onUpstream). */
  upstream: UpstreamEvent[];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Call and return `structuredContent`, failing the test if the tool reported an error. */
  structured<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  fake: FakeIntervals;
  /** Defaults to the fake's first athlete. */
  athlete?: FakeAthlete;
  /** Which credential the client sends (default api_key). */
  auth?: 'api_key' | 'oauth';
  /** The athlete id the context carries (default athlete.id; try '0'). */
  athleteId?: string;
  scopes?: string[];
  client?: Partial<IntervalsClientOptions>;
  /** false: the SDK answers every request (no fast lane); default true, as in production. */
  fastLane?: boolean;
  /** 'modern': the client speaks 2026-07-28 (server/discover, per-request envelope); default the 2025 handshake. */
  era?: 'legacy' | 'modern';
  /** The tool sets the connection carries; default every set, so each tool test reaches its tool. */
  toolsets?: readonly Toolset[];
  /**
   * The client declares form elicitation and answers each question with this (the person at the
   * keyboard); it records what it was asked. Default: no elicitation capability.
   */
  elicitation?: (params: ElicitRequestFormParams) => ElicitResult | Promise<ElicitResult>;
}

export const READ_WRITE = [READ_SCOPE, WRITE_SCOPE];

export async function connectTools(opts: HarnessOptions): Promise<ToolHarness> {
  const athlete = opts.athlete ?? opts.fake.athletes[0]!;
  const credentials: IntervalsCredentials =
    opts.auth === 'oauth'
      ? { kind: 'oauth', accessToken: athlete.oauthToken, scopes: athlete.oauthScopes }
      : { kind: 'api_key', apiKey: athlete.apiKey };
  const upstream: UpstreamEvent[] = [];
  const intervals = createIntervalsClient({
    baseUrl: opts.fake.url,
    credentials,
    timeoutMs: 5_000,
    relinkHint: 're-link Intervals.icu at http://localhost/account',
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    throttle: new Throttle({ perKeyPerSecond: 1_000, perKeyBurst: 1_000, globalPerSecond: 1_000, globalBurst: 1_000 }),
    cache: new ReadCache(),
    onUpstream: (e) => upstream.push(e),
    ...opts.client,
  });
  const person: Person = {
    accountId: `acct-${athlete.id}`,
    scopes: new Set(opts.scopes ?? READ_WRITE),
    clientId: 'test-client',
    toolsets: new Set(withCore(opts.toolsets ?? TOOLSET_NAMES)),
  };
  const ctx: ToolContext = { person, athleteId: opts.athleteId ?? athlete.id, intervals };
  const { client, dispatcher } = await connectRegistry(async () => ctx, person, opts);
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  return {
    client,
    upstream,
    call,
    async structured<T>(name: string, args: Record<string, unknown> = {}) {
      const r = await call(name, args);
      if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
      return r.structuredContent as T;
    },
    async close() {
      await client.close();
      await dispatcher.close();
    },
  };
}

/** An SDK client connected to the whole registry through the /mcp dispatcher, for one person. */
export async function connectRegistry(
  resolveContext: () => Promise<ToolContext>,
  person: Person,
  opts: Pick<HarnessOptions, 'fastLane' | 'era' | 'elicitation'> = {},
): Promise<{ client: Client; dispatcher: McpDispatch }> {
  const registry = createToolRegistry({ resolveContext });
  const dispatcher = createMcpDispatch(
    { createServer: registry.createServer, toolScopes: TOOL_SCOPES, tools: registry.tools },
    { maxBodyBytes: MAX_BODY_BYTES, fastLane: opts.fastLane },
  );
  const authInfo: AuthInfo = { token: 'test', clientId: person.clientId ?? '', scopes: [...person.scopes], extra: { person } };
  const client = new Client(
    { name: 'tool-tests', version: '1.0.0' },
    {
      ...(opts.era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
      ...(opts.elicitation ? { capabilities: { elicitation: { form: {} } } } : {}),
    },
  );
  const answer = opts.elicitation;
  if (answer) client.setRequestHandler('elicitation/create', (request) => answer(request.params as ElicitRequestFormParams));
  await client.connect(
    new StreamableHTTPClientTransport(new URL('http://registry.test/mcp'), { fetch: dispatchFetch(dispatcher, authInfo) }),
  );
  return { client, dispatcher };
}

/** The text of a tool result's first content block. */
export function textOf(r: CallToolResult): string {
  const first = r.content[0];
  return first?.type === 'text' ? first.text : '';
}
