import { startFakeIntervals, type FakeAthlete, type FakeIntervals } from '../../fakes/intervals/index.js';
import { freePort, spawnServer, stopProcess, type ServerProcess } from '../../support/process.js';
import { createTestDatabase, type TestDatabase } from '../../support/store.js';
import { connectOnce, type Connect } from './connect.js';

/**
 * The compiled service as a child process (`node dist/src/main.js`: crashes, unhandled rejections
 * and memory are its own), on a fresh database, talking to an Intervals.icu stand-in, with
 * helpers to connect people over OAuth and call /mcp with their tokens.
 */
export interface ReliableService {
  url: string;
  proc: ServerProcess;
  fake: FakeIntervals;
  db: TestDatabase;
  /** Full OAuth connect for `email`, linking stand-in athlete `athlete` (default: the first). */
  connect(email: string, athlete?: FakeAthlete, scope?: string): Promise<Connect>;
  mcp(token: string | undefined, body: unknown, init?: McpInit): Promise<McpAnswer>;
  callTool(token: string, name: string, args?: Record<string, unknown>, init?: McpInit): Promise<McpAnswer>;
  /** The process is still running (never crashed). */
  alive(): boolean;
  close(): Promise<void>;
}

export interface McpInit {
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Send this raw body instead of JSON.stringify(body). */
  raw?: string;
}

export interface McpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON-RPC message (from a JSON body or the first SSE `data:` event), when there is one. */
  json?: {
    result?: { isError?: boolean; content?: { type: string; text?: string }[]; [k: string]: unknown };
    error?: { code: number; message: string };
  };
}

export interface ServiceOptions {
  env?: Record<string, string>;
  /** Share a database (two instances); default: a fresh one, dropped on close. */
  db?: TestDatabase;
  /** Share a stand-in; default: a fresh one, closed on close. */
  fake?: FakeIntervals;
  /** Rewrite DATABASE_URL (e.g. through a TCP proxy). */
  databaseUrl?: (url: string) => string;
}

function parseAnswer(text: string, contentType: string): McpAnswer['json'] {
  try {
    if (contentType.includes('text/event-stream')) {
      const data = text.split('\n').find((l) => l.startsWith('data:'));
      return data ? JSON.parse(data.slice(5)) : undefined;
    }
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function postMcp(url: string, token: string | undefined, body: unknown, init: McpInit = {}): Promise<McpAnswer> {
  const res = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...init.headers,
    },
    body: init.raw ?? JSON.stringify(body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: parseAnswer(text, res.headers.get('content-type') ?? '') };
}

let rpcId = 0;
export const toolCall = (name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: ++rpcId,
  method: 'tools/call',
  params: { name, arguments: args },
});

export async function startReliableService(opts: ServiceOptions = {}): Promise<ReliableService> {
  const db = opts.db ?? (await createTestDatabase());
  const fake = opts.fake ?? (await startFakeIntervals());
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dbEnv = { ...db.env };
  if (dbEnv.DATABASE_URL && opts.databaseUrl) dbEnv.DATABASE_URL = opts.databaseUrl(dbEnv.DATABASE_URL);
  const proc = await spawnServer({
    ...dbEnv,
    PORT: String(port),
    BASE_URL: url,
    INTERVALS_API_BASE_URL: fake.url,
    INTERVALS_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'warn',
    ...opts.env,
  });
  return {
    url,
    proc,
    fake,
    db,
    connect: (email, athlete = fake.athletes[0]!, scope) => connectOnce(url, { email, athlete, scope }),
    mcp: (token, body, init) => postMcp(url, token, body, init),
    callTool: (token, name, args = {}, init) => postMcp(url, token, toolCall(name, args), init),
    alive: () => proc.child.exitCode === null && proc.child.signalCode === null,
    async close() {
      await stopProcess(proc);
      if (!opts.fake) await fake.close();
      if (!opts.db) await db.drop();
    },
  };
}
