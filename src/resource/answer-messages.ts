/**
 * The JSON-RPC messages in an answer body from the SDK, serialised, in order (progress first, then
 * the result): the body itself when it is JSON, else the `data:` line of each SSE event (the SDK
 * writes every message on one line). Used by the tools/list cache and by the legacy SSE transport.
 */
export function messagesIn(text: string, contentType: string | null): string[] {
  if (!text) return [];
  if (!contentType?.startsWith('text/event-stream')) return [text];
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6));
}
