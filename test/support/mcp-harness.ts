import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { createIntervalsClient, type IntervalsClientOptions, type IntervalsCredentials, type UpstreamEvent } from '../../src/intervals/client.js';
import { ReadCache } from '../../src/intervals/read-cache.js';
import { Throttle } from '../../src/intervals/throttle.js';
import { READ_SCOPE, WRITE_SCOPE, type Person, type ToolContext } from '../../src/mcp/context.js';
import { createDirectToolCalls, type DirectToolCall } from '../../src/mcp/direct-tool-calls.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { ALL_TOOLS } from '../../src/mcp/tools/index.js';
import type { FakeAthlete, FakeIntervals } from '../fakes/intervals/index.js';

// No jest imports here: scripts/tool-sizes.ts runs this harness outside jest (npm run tool-sizes).

/**
 * The real MCP SDK client connected in memory to the real tool registry, acting for one fake
 * athlete. Every harness gets its own read cache and throttle, so tests never share state.
 * `call` goes the way POST /mcp does: the direct path for a call it takes, the SDK for the rest
 * (src/mcp/direct-tool-calls.ts), and checks direct results as the SDK client checks its own.
 */
export interface ToolHarness {
  client: Client;
  /** Upstream calls the Intervals client reported (onUpstream). */
  upstream: UpstreamEvent[];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** The direct tools/call path alone, for the same person (`call` uses it when it takes the call). */
  direct: DirectToolCall;
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
}

export const READ_WRITE = [READ_SCOPE, WRITE_SCOPE];

export async function connectTools(opts: HarnessOptions): Promise<ToolHarness> {
  const athlete = opts.athlete ?? opts.fake.athletes[0]!;
  const credentials: IntervalsCredentials =
    opts.auth === 'oauth' ? { kind: 'oauth', accessToken: athlete.oauthToken, scopes: athlete.oauthScopes } : { kind: 'api_key', apiKey: athlete.apiKey };
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
  const person: Person = { accountId: `acct-${athlete.id}`, scopes: new Set(opts.scopes ?? READ_WRITE), clientId: 'test-client' };
  const ctx: ToolContext = { person, athleteId: opts.athleteId ?? athlete.id, intervals };
  const server = createMcpServer({ resolveContext: async () => ctx });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'tool-tests', version: '1.0.0' });
  await server.connect(serverSide);
  await client.connect(clientSide);
  // The server does not check its own structured results (src/mcp/registry.ts); listing first
  // makes the SDK client validate every result below against the advertised outputSchema.
  const { tools } = await client.listTools();
  const direct = createDirectToolCalls(ALL_TOOLS, async () => ctx);
  const validator = new AjvJsonSchemaValidator();
  const outputCheckers = new Map(tools.flatMap((t) => (t.outputSchema ? [[t.name, validator.getValidator(t.outputSchema)] as const] : [])));
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> => {
    const answered = direct({ name, arguments: args }, {});
    if (!answered) return (await client.callTool({ name, arguments: args })) as CallToolResult;
    const result = CallToolResultSchema.parse(await answered);
    const check = outputCheckers.get(name);
    if (check && !result.isError) {
      const verdict = check(result.structuredContent);
      if (!verdict.valid) throw new Error(`${name}: structured result does not match its outputSchema: ${verdict.errorMessage}`);
    }
    return result;
  };
  return {
    client,
    upstream,
    call,
    direct,
    async structured<T>(name: string, args: Record<string, unknown> = {}) {
      const r = await call(name, args);
      if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
      return r.structuredContent as T;
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** The text of a tool result's first content block. */
export function textOf(r: CallToolResult): string {
  const first = r.content[0];
  return first?.type === 'text' ? first.text : '';
}
