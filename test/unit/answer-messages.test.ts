import { describe, expect, it } from '@jest/globals';
import { messagesIn } from '../../src/resource/answer-messages.js';

describe('messagesIn: the JSON-RPC messages of an SDK answer body', () => {
  it.each([
    ['a JSON body is one message', '{"jsonrpc":"2.0","id":1,"result":{}}', 'application/json', ['{"jsonrpc":"2.0","id":1,"result":{}}']],
    ['no content type: the body as it came', '{"id":1}', null, ['{"id":1}']],
    ['an empty body has none', '', 'text/event-stream', []],
    [
      'an SSE body: each data line, in order, without event names or ids',
      'event: message\nid: 1\ndata: {"method":"notifications/progress"}\n\nevent: message\ndata: {"id":1,"result":{}}\n\n',
      'text/event-stream; charset=utf-8',
      ['{"method":"notifications/progress"}', '{"id":1,"result":{}}'],
    ],
  ])('%s', (_case, text, contentType, expected) => {
    expect(messagesIn(text, contentType)).toEqual(expected);
  });
});
