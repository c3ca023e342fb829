import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHook } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { accountChangeListenerCount } from '../../src/accounts/events.js';
import { startService } from '../../src/service.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { freePort, ROOT } from '../support/process.js';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

/**
 * The service owns every timer, socket and subscription it makes: started and stopped 20 times in
 * one process (each run serving real requests), it leaves nothing behind.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const RUNS = 20;
/** Allowed heap growth over 20 runs: caches of modules loaded once (oidc-provider, the SDK) are already warm. */
const HEAP_GROWTH_MB = 12;

let db: TestDatabase;
let fake: FakeIntervals;
beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeIntervals();
});
afterAll(async () => {
  await fake.close();
  await db.drop();
});

/** Live handles by kind (Timeout, TCPServerWrap, TCPSocketWrap, …). */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

/** Kinds with more live handles now than before (keep-alive sockets of this test's own fetches may close, not open). */
function grown(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).filter(([k, n]) => n > (before[k] ?? 0)));
}

async function oneRun(): Promise<void> {
  const port = await freePort();
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: String(port),
    BASE_URL: `http://127.0.0.1:${port}`,
    INTERVALS_API_BASE_URL: fake.url,
    SIGNING_KEYS_RELOAD_SECONDS: '1',
  };
  const svc = await startService({ env: { ...env, ...db.env } });
  expect((await fetch(`${svc.url}/ready`)).status).toBe(200);
  // Without a token /mcp answers 401 before anything else; discovery and JWKS go through oidc-provider.
  expect((await fetch(`${svc.url}/mcp`, { method: 'POST' })).status).toBe(401);
  expect((await fetch(`${svc.url}/.well-known/oauth-authorization-server`)).status).toBe(200);
  expect(await svc.stop()).toBe(true);
}

describe('service lifecycle', () => {
  it(`starts and stops ${RUNS} times with no timer, socket or subscription left, and the heap back within ${HEAP_GROWTH_MB} MB`, async () => {
    await oneRun(); // warm-up: first-use module state (oidc-provider, the SDK) is not a leak
    gc();
    const before = resources();
    const listenersBefore = accountChangeListenerCount();
    const heapBefore = process.memoryUsage().heapUsed;
    // Repeating timers (unref'd ones too, which getActiveResourcesInfo leaves out) and listening
    // sockets that our code or its libraries create during the runs, until destroyed. One-shot
    // timers end by themselves (Node's Date-header cache, request timeouts); an interval that is
    // never cleared is the leak that keeps a stopped service's parts alive.
    const live = new Map<number, string>();
    const ours = (stack: string) => stack.includes(`${ROOT}src/`) || stack.includes(`${ROOT}node_modules/`);
    const hook = createHook({
      init: (id, type, _trigger, resource) => {
        const repeating = type === 'Timeout' && (resource as { _repeat?: number | null })._repeat != null;
        if (!repeating && type !== 'TCPSERVERWRAP') return;
        const stack = new Error().stack ?? '';
        if (ours(stack))
          live.set(
            id,
            `${type} ${
              stack
                .split('\n')
                .find((l) => l.includes(ROOT) && !l.includes('service-lifecycle'))
                ?.trim() ?? ''
            }`,
          );
      },
      destroy: (id) => live.delete(id),
    }).enable();
    try {
      for (let i = 0; i < RUNS; i++) await oneRun();
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      hook.disable();
    }
    gc();
    expect([...live.values()]).toEqual([]);
    expect(grown(before, resources())).toEqual({});
    expect(accountChangeListenerCount()).toBe(listenersBefore);
    const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    expect(grownMb).toBeLessThan(HEAP_GROWTH_MB);
  }, 180_000);
});
