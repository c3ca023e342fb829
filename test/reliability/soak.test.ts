import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { refreshTokens } from '../support/oauth.js';
import { TEST_STORE } from '../support/store.js';
import { startLoad } from './support/load.js';
import { parse } from 'smol-toml';
import { ROOT } from '../support/process.js';
import { startReliableService, toolCall, type ReliableService } from './support/service.js';

/**
 * Soak: steady mixed traffic from several people (tool calls, tool lists, token refreshes,
 * readiness probes) against the compiled server, sampling its resident memory every second.
 * After a warm-up, memory must level off rather than climb with the number of requests served.
 * Bounded: RELIABILITY_SOAK_SECONDS (default 60) of load. On the PostgreSQL pass only: that is
 * the production store, and PGlite's own heap would drown the signal.
 */
const SECONDS = Number(process.env.RELIABILITY_SOAK_SECONDS ?? '60');
const PEOPLE = 4;
/** NODE_OPTIONS from fly.toml's [env]. */
const productionNodeOptions = () =>
  String((parse(readFileSync(`${ROOT}fly.toml`, 'utf8')) as { env?: { NODE_OPTIONS?: string } }).env?.NODE_OPTIONS ?? '');

const describePg = TEST_STORE === 'postgres' ? describe : describe.skip;

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describePg('soak', () => {
  let svc: ReliableService;
  const people: { token: string; refresh: string; client: Parameters<typeof refreshTokens>[1] }[] = [];

  beforeAll(async () => {
    // Production's runtime flags (fly.toml: a capped V8 heap on a 256 MB VM). Without the cap V8
    // grows its heap lazily on this 23 GB machine, and RSS growth says nothing about a leak.
    svc = await startReliableService({ env: { RATE_LIMIT_PER_HOUR: '1000000', LOG_LEVEL: 'warn', NODE_OPTIONS: productionNodeOptions() } });
    for (let i = 0; i < PEOPLE; i++) {
      const c = await svc.connect(`soak-${i}@example.com`);
      people.push({ token: c.accessToken, refresh: c.refreshToken, client: c.client });
    }
  });
  afterAll(async () => {
    await svc?.close();
  });

  it(
    `keeps resident memory level over ${SECONDS} s of mixed traffic`,
    async () => {
      const pid = svc.proc.child.pid!;
      const samples: { t: number; mb: number }[] = [];
      const t0 = Date.now();
      const sampler = setInterval(() => samples.push({ t: Date.now() - t0, mb: rssMb(pid) }), 1_000);
      let n = 0;
      // Refreshes by the clock, not by request count: /token allows 300 requests per address per hour
      // (src/auth/guards.ts), and a faster server would otherwise run into that limit.
      const refreshEveryMs = Math.max(1_000, (SECONDS * 1_000) / 100);
      let nextRefreshAt = Date.now() + refreshEveryMs;
      let refreshes = 0;
      const step = async () => {
        const i = n++;
        const p = people[i % PEOPLE]!;
        switch (i % 10) {
          case 0:
            return (await fetch(`${svc.url}/ready`)).status;
          case 1:
            return (await svc.mcp(p.token, { jsonrpc: '2.0', id: i, method: 'tools/list', params: {} })).status;
          case 2: {
            if (Date.now() < nextRefreshAt) return (await svc.mcp(p.token, toolCall('get_athlete', { format: 'json' }))).status;
            nextRefreshAt = Date.now() + refreshEveryMs;
            const r = await refreshTokens(svc.url, p.client, p.refresh);
            if (r.status === 200) Object.assign(p, { token: r.body.access_token, refresh: r.body.refresh_token });
            refreshes += 1;
            return r.status;
          }
          default:
            return (await svc.callTool(p.token, 'get_athlete')).status;
        }
      };
      const load = startLoad(step, { workers: 8, maxRequests: 2_000_000, maxMs: SECONDS * 1_000 });
      await new Promise((r) => setTimeout(r, SECONDS * 1_000));
      const outcomes = await load.stop();
      clearInterval(sampler);

      const failed = outcomes.filter((o) => o.error !== undefined || (o.value !== undefined && o.value >= 400));
      expect(failed.slice(0, 5)).toEqual([]);
      expect(outcomes.length).toBeGreaterThan(SECONDS * 5);
      // Token refreshes were part of the mix (every one of them succeeded: `failed` is empty).
      expect(refreshes).toBeGreaterThanOrEqual(Math.floor((SECONDS * 1_000) / refreshEveryMs / 2));
      // Warm-up: the first quarter (JIT, pools, caches filling). Then compare the second quarter with the last.
      const q = Math.floor(samples.length / 4);
      const early = median(samples.slice(q, 2 * q).map((s) => s.mb));
      const late = median(samples.slice(3 * q).map((s) => s.mb));
      const peak = Math.max(...samples.map((s) => s.mb));
      process.stdout.write(
        `soak: ${outcomes.length} requests in ${SECONDS} s; RSS early ${early.toFixed(1)} MB, late ${late.toFixed(1)} MB, peak ${peak.toFixed(1)} MB\n`,
      );
      expect(late - early).toBeLessThan(30);
      expect(peak).toBeLessThan(300);
      expect(svc.alive()).toBe(true);
    },
    (SECONDS + 120) * 1_000,
  );
});
