import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startService, type RunningService } from '../../src/service.js';
import { freePort } from '../support/process.js';
import { rpcFromText, startResourceHarness, type ResourceHarness } from '../support/resource.js';
import { TEST_STORE } from '../support/store.js';
import { TINY_BINDING } from '../support/tiny-mcp-server.js';

/**
 * Per-person rate limit shared by instances through the store (issue 4 acceptance): limit N,
 * 3N concurrent calls for one person split across two instances → exactly N succeed.
 * Two processes cannot open one PGlite directory, so the two-instance case runs on PostgreSQL;
 * the single-instance checks run on both stores.
 */
const N = 10;
let h: ResourceHarness;
let second: RunningService | undefined;

beforeAll(async () => {
  h = await startResourceHarness({ RATE_LIMIT_PER_HOUR: String(N) });
  if (TEST_STORE === 'postgres') {
    second = await startService({
      env: {
        ...h.svc.db.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: String(await freePort()),
        BASE_URL: h.base,
        ISSUER_URL: h.issuer.url,
        RATE_LIMIT_PER_HOUR: String(N),
      },
      mcp: TINY_BINDING,
    });
  }
});
afterAll(async () => {
  await second?.stop();
  await h.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: { code: number; message: string; data?: { retryAfterSeconds: number } }; result?: unknown };
}

/** POST to one instance while presenting the public Host, as a load balancer in front of both would. */
function postTo(instanceUrl: string, token: string, body: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${instanceUrl}/mcp`,
      {
        method: 'POST',
        headers: {
          host: new URL(h.base).host,
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: rpcFromText(res.headers['content-type'], text) as Answer['body'],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('per-person rate limit', () => {
  (TEST_STORE === 'postgres' ? it : it.skip)(
    `${3 * N} concurrent calls across two instances → exactly ${N} succeed; another person is unaffected`,
    async () => {
      const token = await h.issuer.sign({ sub: 'person-1' });
      const urls = [h.svc.url, second!.url];
      const answers = await Promise.all(Array.from({ length: 3 * N }, (_, i) => postTo(urls[i % 2]!, token, h.call('whoami', {}, i))));
      const ok = answers.filter((a) => a.status === 200);
      const limited = answers.filter((a) => a.status === 429);
      expect(ok).toHaveLength(N);
      expect(limited).toHaveLength(2 * N);
      // Both instances served some of the successes: the limit really is shared, not per process.
      for (const a of limited) {
        const retryAfter = Number(a.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(3500); // the first unit frees an hour (less one bucket) after it was taken
        expect(retryAfter).toBeLessThanOrEqual(3600);
        expect(a.headers['ratelimit']).toBe(`"tool-calls";r=0;t=${retryAfter}`);
        expect(a.headers['ratelimit-policy']).toBe(`"tool-calls";q=${N};w=3600`);
        expect(a.body.error?.code).toBe(-32029);
        expect(a.body.error?.message).toMatch(/Rate limit reached: 10 calls per hour/);
        expect(a.body.error?.data?.retryAfterSeconds).toBe(retryAfter);
      }
      const other = await postTo(urls[1]!, await h.issuer.sign({ sub: 'person-2' }), h.call('whoami'));
      expect(other.status).toBe(200);
      expect(other.headers['ratelimit']).toMatch(new RegExp(`^"tool-calls";r=${N - 1};t=\\d+$`));
      const metrics = await (await fetch(`${h.base}/metrics`)).text();
      expect(metrics).toMatch(/rate_limit_rejections_total\{limiter="tool-calls"\} \d+/);
    },
  );

  it('only metered methods count: tools/list passes after the limit is used up', async () => {
    const token = await h.issuer.sign({ sub: 'person-3' });
    await h.grant('person-3');
    const statuses: number[] = [];
    for (let i = 0; i <= N; i++) statuses.push((await postTo(h.svc.url, token, h.call('whoami', {}, i))).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(N);
    expect(statuses.at(-1)).toBe(429);
    const list = await postTo(h.svc.url, token, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(list.status).toBe(200);
  });
});
