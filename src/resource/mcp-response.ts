import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Dispatched, JsonRpcReply } from './mcp-transport.js';

/** What the client's Accept header allows for a POST /mcp answer (Streamable HTTP). */
export interface ResponseModes {
  json: boolean;
  sse: boolean;
  /** The client accepts only event streams, or ranks them above JSON. */
  prefersSse: boolean;
}

export function responseModes(accept: string | undefined): ResponseModes {
  if (!accept) return { json: true, sse: false, prefersSse: false };
  let jsonQ = -1;
  let sseQ = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) || 0 : 1;
    if (type === 'application/json' || type === 'application/*') jsonQ = Math.max(jsonQ, q);
    else if (type === 'text/event-stream' || type === 'text/*') sseQ = Math.max(sseQ, q);
    else if (type === '*/*') {
      jsonQ = Math.max(jsonQ, q);
    }
  }
  const json = jsonQ > 0;
  const sse = sseQ > 0;
  return { json, sse, prefersSse: sse && sseQ > jsonQ };
}

const sseEvent = (m: unknown) => `event: message\ndata: ${JSON.stringify(m)}\n\n`;

/**
 * Answers one dispatched request: plain JSON by default (cheapest), switching to an SSE stream
 * when the client prefers one or when the tool sends a notification (progress, log) before its
 * result and the client accepts event streams. In stateless mode the stream ends with the result.
 * Koa writes the stream; no `ctx.respond = false` needed.
 */
export async function writeReply(
  ctx: Context,
  modes: ResponseModes,
  start: (onNotification: (m: JSONRPCMessage) => void) => Dispatched,
  finish: (reply: JsonRpcReply) => { status: number; reply: JsonRpcReply },
): Promise<void> {
  const early: JSONRPCMessage[] = [];
  let stream: PassThrough | undefined;
  let wake: (() => void) | undefined;
  const onNotification = (m: JSONRPCMessage) => {
    if (!modes.sse) return; // nowhere to put it
    if (stream) stream.write(sseEvent(m));
    else {
      early.push(m);
      wake?.();
    }
  };
  const dispatched = start(onNotification);
  const onClose = () => {
    if (!ctx.res.writableFinished) dispatched.cancel('the client closed the connection');
  };
  ctx.res.once('close', onClose);

  if (!modes.prefersSse) {
    const notified = new Promise<undefined>((resolve) => {
      wake = () => resolve(undefined);
    });
    const first = await Promise.race([dispatched.reply.then((reply) => ({ reply })), notified]);
    if (first) {
      const { status, reply } = finish(first.reply);
      ctx.status = status;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(reply);
      return;
    }
  }
  stream = new PassThrough();
  ctx.status = 200;
  ctx.set('Cache-Control', 'no-cache, no-transform');
  ctx.set('X-Accel-Buffering', 'no');
  ctx.type = 'text/event-stream';
  ctx.body = stream;
  for (const m of early.splice(0)) stream.write(sseEvent(m));
  const s = stream;
  void dispatched.reply.then((r) => {
    s.end(sseEvent(finish(r).reply));
  });
}
