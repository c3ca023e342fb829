import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Config } from '../config/schema.js';
import type { McpAnswer, McpDispatch } from './mcp-dispatch.js';
import type { McpGate } from './mcp-gate.js';
import { McpRefusal, readMcpMessage, sendRefusal, type McpMessage } from './mcp-message.js';
import type { VerifiedToken } from './verify-token.js';

export interface McpEndpointDeps {
  config: Config;
  gate: McpGate;
  dispatcher: McpDispatch;
  /** Runs before everything else on /mcp: Origin/Host, then bearer verification (throws challenges). */
  authenticate: (ctx: Context) => Promise<VerifiedToken>;
}

/** JSON-RPC bodies above this are refused with 413 (tool arguments are small). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * /mcp, MCP Streamable HTTP without sessions: authenticate → read the message → gate (scopes,
 * rate limit) → dispatch (src/resource/mcp-dispatch.ts) → write the answer. GET and DELETE take
 * the same path; the SDK answers them (405: there is no stream or session to open or end).
 */
export function buildMcpEndpoint(deps: McpEndpointDeps): Router {
  const { gate, dispatcher } = deps;
  const resource = new URL(deps.config.MCP_RESOURCE);

  async function handle(ctx: Context): Promise<void> {
    const token = await deps.authenticate(ctx);
    let message: McpMessage = { kind: 'none' };
    try {
      message = await readMcpMessage(ctx.method, Number(ctx.get('content-length') || 0), ctx.req, MAX_BODY_BYTES);
      ctx.set(await gate.check(message, token));
    } catch (err) {
      if (!(err instanceof McpRefusal)) throw err;
      return sendRefusal(ctx, err, message);
    }
    let signal: AbortSignal | undefined;
    const answer = await dispatcher.dispatch(
      {
        httpMethod: ctx.method,
        url: resource.href,
        header: (name) => ctx.get(name) || null,
        headers: () => headersOf(ctx),
        message,
        // Made when the SDK path asks for it: the fast lane never does, and an AbortController
        // and a close listener per request were allocation on every call for nothing.
        get signal() {
          return (signal ??= abortSignalOf(ctx));
        },
      },
      authInfoOf(token, resource),
    );
    await writeAnswer(ctx, answer);
  }

  const router = new Router();
  router.post('/mcp', handle);
  router.get('/mcp', handle);
  router.delete('/mcp', handle);
  return router;
}

/** Aborts when the client goes away before the answer is written. */
function abortSignalOf(ctx: Context): AbortSignal {
  const aborted = new AbortController();
  if (ctx.res.destroyed && !ctx.res.writableFinished) aborted.abort();
  else {
    ctx.res.once('close', () => {
      if (!ctx.res.writableFinished) aborted.abort();
    });
  }
  return aborted.signal;
}

function headersOf(ctx: Context): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (value === undefined) continue;
    // The bearer token stays here: the SDK gets the verified AuthInfo, never the credential.
    if (name === 'authorization' || name === 'cookie') continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** What the SDK and the tools learn about the caller: who, with which scopes; never the token itself. */
export function authInfoOf(token: VerifiedToken, resource: URL): AuthInfo {
  const person = token.person;
  return {
    // The bearer token itself never travels further than verification (no passthrough, no logs).
    token: token.fingerprint,
    clientId: person.clientId ?? '',
    scopes: [...person.scopes],
    expiresAt: token.expiresAt,
    resource,
    extra: { person },
  };
}

async function writeAnswer(ctx: Context, answer: McpAnswer): Promise<void> {
  if (answer.kind === 'json') {
    ctx.status = answer.status;
    ctx.type = 'application/json';
    ctx.length = answer.chunks.reduce((n, c) => n + c.length, 0);
    // Written in pieces (one writev) rather than copied into one new ~50 KB buffer per tools/list.
    ctx.respond = false;
    ctx.res.cork();
    for (const chunk of answer.chunks.slice(0, -1)) ctx.res.write(chunk);
    ctx.res.end(answer.chunks.at(-1));
    return;
  }
  const { response } = answer;
  ctx.status = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'content-length') ctx.set(name, value);
  });
  if (!response.body) {
    ctx.body = ''; // Koa would otherwise send the status text (or turn the status into 204)
    return;
  }
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    ctx.body = Readable.fromWeb(response.body as NodeReadableStream);
    return;
  }
  ctx.body = Buffer.from(await response.arrayBuffer());
}
