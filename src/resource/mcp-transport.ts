import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, JSONRPCRequest, MessageExtraInfo, RequestId } from '@modelcontextprotocol/sdk/types.js';

/** What a JSON-RPC request ends with: a result or an error, carrying the caller's own id. */
export type JsonRpcReply =
  | { jsonrpc: '2.0'; id: RequestId; result: Record<string, unknown> }
  | { jsonrpc: '2.0'; id: RequestId; error: { code: number; message: string; data?: unknown } };

interface Exchange {
  originalId: RequestId;
  resolve: (reply: JsonRpcReply) => void;
  /** Progress and log notifications the tool sends while it runs. */
  onNotification?: (message: JSONRPCMessage) => void;
}

export interface Dispatched {
  reply: Promise<JsonRpcReply>;
  /** Aborts the handler (its `extra.signal`) and settles `reply` with an error; for client disconnects. */
  cancel(reason: string): void;
}

/**
 * The one transport of the process's one long-lived McpServer (perf-anchors.md: per-request
 * servers and transports are where the SDK's stateless shape loses). Each HTTP request hands its
 * JSON-RPC request in through `dispatch`; ids are rewritten to process-unique numbers so that
 * concurrent clients that all use id 1 never collide in the SDK's per-id bookkeeping, and the
 * caller's id is restored on the way out. Notifications the server sends while a request runs
 * carry `relatedRequestId` and are routed to that request's HTTP response.
 */
export class MultiplexTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** Server messages tied to no request (e.g. list_changed): nothing to deliver them on when stateless. */
  onUnrelated?: (message: JSONRPCMessage) => void;

  private seq = 0;
  private readonly exchanges = new Map<number, Exchange>();
  private closed = false;

  async start(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [id] of this.exchanges) this.settleWithError(id, -32000, 'The server is shutting down; retry the request.');
    this.onclose?.();
  }

  get inFlight(): number {
    return this.exchanges.size;
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if ('id' in message && ('result' in message || 'error' in message)) {
      const ex = typeof message.id === 'number' ? this.exchanges.get(message.id) : undefined;
      if (!ex) return; // cancelled or already answered
      this.exchanges.delete(message.id as number);
      ex.resolve({ ...(message as JsonRpcReply), id: ex.originalId });
      return;
    }
    if ('method' in message && 'id' in message) {
      // A server→client request (sampling, elicitation, roots). A stateless server has no channel on
      // which the answer could come back to this instance, so refuse it at once rather than let the
      // tool hang until the SDK's timeout.
      queueMicrotask(() =>
        this.onmessage?.({
          jsonrpc: '2.0',
          id: message.id,
          error: { code: -32601, message: 'This stateless server cannot send requests to the client.' },
        }),
      );
      return;
    }
    const related = options?.relatedRequestId;
    if (typeof related === 'number') {
      this.exchanges.get(related)?.onNotification?.(message);
      return;
    }
    this.onUnrelated?.(message);
  }

  dispatch(
    request: JSONRPCRequest,
    extra: MessageExtraInfo,
    onNotification?: (message: JSONRPCMessage) => void,
  ): Dispatched {
    if (this.closed || !this.onmessage) throw new Error('MultiplexTransport is not connected');
    const id = ++this.seq;
    const reply = new Promise<JsonRpcReply>((resolve) => {
      this.exchanges.set(id, { originalId: request.id, resolve, onNotification });
    });
    this.onmessage({ ...request, id }, extra);
    return {
      reply,
      cancel: (reason) => {
        if (!this.exchanges.has(id)) return;
        // The SDK aborts the handler's signal and sends nothing more for a cancelled request.
        this.onmessage?.({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });
        this.settleWithError(id, -32800, `Request cancelled: ${reason}`);
      },
    };
  }

  private settleWithError(id: number, code: number, message: string): void {
    const ex = this.exchanges.get(id);
    if (!ex) return;
    this.exchanges.delete(id);
    ex.resolve({ jsonrpc: '2.0', id: ex.originalId, error: { code, message } });
  }
}

/**
 * A request answered outside the SDK (the direct tools/call path) as a Dispatched: a client that
 * goes away gets the same cancelled reply the SDK path gives, and the late result is dropped.
 */
export function answeredDirectly(id: RequestId, result: Promise<Record<string, unknown>>): Dispatched {
  let settle!: (reply: JsonRpcReply) => void;
  const reply = new Promise<JsonRpcReply>((resolve) => (settle = resolve));
  void result.then((r) => settle({ jsonrpc: '2.0', id, result: r }));
  return { reply, cancel: (reason) => settle({ jsonrpc: '2.0', id, error: { code: -32800, message: `Request cancelled: ${reason}` } }) };
}
