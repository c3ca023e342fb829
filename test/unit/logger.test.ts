import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from '@jest/globals';
import { redact, scrubText } from '../../src/logger.js';

describe('redact', () => {
  it.each([
    ['Bearer header text', 'got Bearer abc.def.ghi from client', 'got Bearer [REDACTED] from client'],
    ['Basic credentials', 'Authorization: Basic QVBJX0tFWTpzZWNyZXQ=', 'Authorization: Basic [REDACTED]'],
    ['a bare JWT', 'token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.sig', 'token [REDACTED_JWT]'],
    ['query secrets', '/cb?code=abc123&state=s&api_key=k1', '/cb?code=[REDACTED]&state=s&api_key=[REDACTED]'],
    ['Intervals basic user', 'API_KEY:5up3rs3cr3t', 'API_KEY:[REDACTED]'],
    ['database URLs', 'postgres://user:pw0rd@host:5432/db', 'postgres://user:[REDACTED]@host:5432/db'],
    ['a personal access token', 'sent imcp_pat_AbC-12_xyz to /mcp', 'sent imcp_pat_[REDACTED] to /mcp'],
    [
      'an X-API-Key header quoted in text',
      'headers: X-API-Key: some-intervals-key, accept: */*',
      'headers: X-API-Key: [REDACTED], accept: */*',
    ],
    ['an X-API-Key in JSON text', '{"x-api-key":"k-123"}', '{"x-api-key":"[REDACTED]"}'],
  ])('scrubs %s', (_name, input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });

  it('masks secret keys at any depth and keeps the rest', () => {
    const out = redact({
      a: { b: { c: { client_secret: 's1', apiKey: 's2', refresh_token: 's3', note: 'fine' } } },
      list: [{ password: 's4' }],
      headers: { Cookie: 's5', 'set-cookie': ['s6'], host: 'x', 'X-API-Key': 's7' },
      keep: true,
    });
    expect(out).toEqual({
      a: { b: { c: { client_secret: '[REDACTED]', apiKey: '[REDACTED]', refresh_token: '[REDACTED]', note: 'fine' } } },
      list: [{ password: '[REDACTED]' }],
      headers: { Cookie: '[REDACTED]', 'set-cookie': '[REDACTED]', host: 'x', 'X-API-Key': '[REDACTED]' },
      keep: true,
    });
  });

  it("masks what objects with toJSON turn into (a URL's query), and leaves the input untouched", () => {
    const input = { url: new URL('https://x.test/cb?code=abc&state=s'), at: new Date('2026-11-21T00:00:00Z'), nested: { token: 't1' } };
    expect(redact(input)).toEqual({
      url: 'https://x.test/cb?code=[REDACTED]&state=s',
      at: '2026-11-21T00:00:00.000Z',
      nested: { token: '[REDACTED]' },
    });
    expect(input.nested.token).toBe('t1');
  });

  it('hands back the same object when nothing needs masking (no copy per log line)', () => {
    const line = { method: 'POST', path: '/mcp', status: 200, ms: 1.2, tags: ['a', 'b'] };
    expect(redact(line)).toBe(line);
  });

  it('reduces errors to type, scrubbed message and code', () => {
    const err = Object.assign(new Error('call failed with Bearer abc'), {
      code: 'ECONNRESET',
      config: { headers: { authorization: 'x' } },
    });
    expect(redact({ err })).toEqual({ err: { type: 'Error', message: 'call failed with Bearer [REDACTED]', code: 'ECONNRESET' } });
  });
});

describe('the stdout destination (batched)', () => {
  // A real process (the compiled build, as the process-level tests use): the batching and the write at exit are what is under test.
  const logger = fileURLToPath(new URL('../../dist/src/logger.js', import.meta.url));
  const run = (script: string) =>
    spawnSync(process.execPath, ['--input-type=module', '-e', `import { createLogger } from ${JSON.stringify(logger)};\n${script}`], {
      encoding: 'utf8',
    });
  const messages = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { msg: string }).msg);

  it('writes every line, in order, when the process exits before any batch was due', () => {
    const out = run("const log = createLogger('info'); for (let i = 0; i < 3; i++) log.info(`line ${i}`); process.exit(0);");
    expect(out.status).toBe(0);
    expect(messages(out.stdout)).toEqual(['line 0', 'line 1', 'line 2']);
  });

  it('writes batches larger than 8 KB and the rest after them, nothing lost or doubled', () => {
    const out = run(
      "const log = createLogger('info'); for (let i = 0; i < 500; i++) log.info({ pad: 'x'.repeat(40) }, `line ${i}`); setTimeout(() => log.info('last'), 150);",
    );
    expect(out.status).toBe(0);
    expect(messages(out.stdout)).toEqual([...Array.from({ length: 500 }, (_, i) => `line ${i}`), 'last']);
  });
});
