import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Logger } from '../logger.js';
import { messagesIn } from './answer-messages.js';
import type { McpAnswer, McpDispatch } from './mcp-dispatch.js';
import { MAX_BODY_BYTES } from './mcp-endpoint.js';
import type { McpGate } from './mcp-gate.js';
import { McpRefusal, readMcpMessage, sendRefusal, type McpMessage } from './mcp-message.js';
import type { SseSessionStore } from './sse-sessions.js';
import type { VerifiedToken } from './verify-token.js';

export interface LegacySseDeps {
  authenticate: (ctx: Context) => Promise<VerifiedToken>;
  authInfo: (token: VerifiedToken) => AuthInfo;
  gate: McpGate;
  dispatcher: McpDispatch;
  sessions: SseSessionStore;
  /** BASE_URL/mcp: the URL the SDK is told each message came to. */
  mcpUrl: string;
  /** This instance's name among its peers (FLY_MACHINE_ID). */
  instanceId: string;
  maxStreamsPerPerson: number;
  logger?: Logger;
}

/** A comment line keeps proxies (Fly's idles connections out after 60 s) from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

interface Stream {
  owner: string;
  out: PassThrough;
}

/**
 * The HTTP+SSE transport of MCP 2024-11-05, for clients that still speak it (`"transport": "sse"`):
 * `GET /sse` opens a stream whose first event names `/messages?sessionId=…`; each `POST` there
 * carries one JSON-RPC message, answered 202, and the answer goes down the stream.
 *
 * Several instances: the stream lives on the instance that accepted the GET, but a POST can reach
 * any instance. Each stream has a row in Postgres (owner, instance); a POST for a stream held
 * elsewhere is answered with `fly-replay: instance=<holder>`, and Fly's proxy replays it to that
 * instance. Chosen over relaying the messages through Postgres: no polling and no extra hop
 * for the answer, the holder runs the call itself, and the proxy already does the routing.
 * Behind the same authentication, gate (scopes, rate limit) and dispatch as /mcp.
 */
export function buildLegacySse(deps: LegacySseDeps): { router: Router; close(): Promise<void> } {
  const streams = new Map<string, Stream>();
  // The heartbeat runs only while this instance holds a stream: with none open there is nothing to
  // keep alive or mark as seen. Its sweep of other instances' stale rows can wait until then, as
  // lookups already ignore rows older than STALE_AFTER_S (sse-sessions.ts).
  let heartbeat: NodeJS.Timeout | undefined;
  const beat = () => {
    for (const s of streams.values()) s.out.write(': keep-alive\n\n');
    deps.sessions.touch([...streams.keys()]).catch((err: unknown) => deps.logger?.warn({ err }, 'sse heartbeat failed'));
    deps.sessions.sweep().catch(() => undefined);
  };
  const startHeartbeat = () => {
    if (heartbeat) return;
    heartbeat = setInterval(beat, HEARTBEAT_MS);
    heartbeat.unref();
  };
  const stopHeartbeat = () => {
    clearInterval(heartbeat);
    heartbeat = undefined;
  };

  const ownerOf = (token: VerifiedToken) => token.person.accountId ?? token.fingerprint;

  const drop = (id: string) => {
    if (!streams.delete(id)) return;
    if (streams.size === 0) stopHeartbeat();
    deps.sessions.close([id]).catch((err: unknown) => deps.logger?.warn({ err }, 'sse session cleanup failed'));
  };

  const router = new Router();

  router.get('/sse', async (ctx) => {
    const token = await deps.authenticate(ctx);
    const owner = ownerOf(token);
    if ((await deps.sessions.countOpen(owner)) >= deps.maxStreamsPerPerson) {
      refuse(
        ctx,
        429,
        `Too many open SSE streams for this account (at most ${deps.maxStreamsPerPerson}); close one, or use ${'/mcp'} (Streamable HTTP), which needs none.`,
      );
      return;
    }
    const id = randomUUID();
    await deps.sessions.open(id, owner, deps.instanceId);
    const out = new PassThrough();
    streams.set(id, { owner, out });
    startHeartbeat();
    ctx.req.socket.setTimeout(0);
    ctx.status = 200;
    ctx.set({ 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
    ctx.type = 'text/event-stream';
    ctx.body = out;
    out.write(`event: endpoint\ndata: /messages?sessionId=${id}\n\n`);
    ctx.res.once('close', () => drop(id));
    out.once('close', () => drop(id));
  });

  router.post('/messages', async (ctx) => {
    const token = await deps.authenticate(ctx);
    const id = typeof ctx.query.sessionId === 'string' ? ctx.query.sessionId : '';
    const local = streams.get(id);
    if (!local) {
      const row = id ? await deps.sessions.find(id) : undefined;
      // fly-replay-src is set on a request Fly's proxy replayed here: the row is stale, do not bounce again.
      if (!row || row.instance_id === deps.instanceId || ctx.get('fly-replay-src')) {
        refuse(ctx, 404, 'Unknown or closed SSE session: open a new stream with GET /sse and post to the endpoint it names.');
        return;
      }
      if (row.owner !== ownerOf(token)) {
        refuse(ctx, 403, 'This SSE session belongs to another sign-in.');
        return;
      }
      ctx.status = 307;
      ctx.set('fly-replay', `instance=${row.instance_id}`);
      ctx.body = '';
      return;
    }
    if (local.owner !== ownerOf(token)) {
      refuse(ctx, 403, 'This SSE session belongs to another sign-in.');
      return;
    }
    let message: McpMessage = { kind: 'none' };
    try {
      message = await readMcpMessage('POST', Number(ctx.get('content-length') || 0), ctx.req, MAX_BODY_BYTES);
      ctx.set(await deps.gate.check(message, token));
    } catch (err) {
      if (!(err instanceof McpRefusal)) throw err;
      return sendRefusal(ctx, err, message);
    }
    // The 2024-11-05 client sends neither Accept nor a protocol version; the SDK's stateless
    // 2025-era serving wants both media types accepted.
    const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
    const abort = new AbortController();
    local.out.once('close', () => abort.abort());
    const answered = deps.dispatcher.dispatch(
      { httpMethod: 'POST', url: deps.mcpUrl, header: (name) => headers.get(name), headers: () => headers, message, signal: abort.signal },
      deps.authInfo(token),
    );
    void answered
      .then((answer) => messagesOf(answer))
      .then((messages) => {
        for (const m of messages) local.out.write(`event: message\ndata: ${m}\n\n`);
      })
      .catch((err: unknown) => deps.logger?.warn({ err }, 'sse message failed'));
    ctx.status = 202;
    ctx.body = '';
  });

  return {
    router,
    async close() {
      stopHeartbeat();
      const ids = [...streams.keys()];
      for (const s of streams.values()) s.out.end();
      streams.clear();
      await deps.sessions.close(ids).catch((err: unknown) => deps.logger?.warn({ err }, 'sse session cleanup failed'));
    },
  };
}

function refuse(ctx: Context, status: number, description: string): void {
  ctx.status = status;
  ctx.body = { error: status === 429 ? 'too_many_streams' : status === 403 ? 'forbidden' : 'not_found', error_description: description };
}

/** The JSON-RPC messages of one answer, serialised, in order (progress first, then the result). */
async function messagesOf(answer: McpAnswer): Promise<string[]> {
  if (answer.kind === 'json') return [Buffer.concat(answer.chunks).toString('utf8')];
  return messagesIn(await answer.response.text(), answer.response.headers.get('content-type'));
}
