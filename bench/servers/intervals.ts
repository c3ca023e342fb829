import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FakeIntervals, startFakeIntervals, type FakeAthlete } from '../../test/fakes/intervals/index.js';
import { benchAthlete } from '../lib/athletes.js';

/**
 * The Intervals.icu stand-in as its own process for the benchmark, answering at once. It runs
 * pinned next to the load generator, so its work is not charged to server (c). Many athletes,
 * one per OAuth connect, so every benchmark person links their own. Writes its base URL to
 * BENCH_URL_FILE once listening.
 *
 * With BENCH_UPSTREAM_LATENCY_MS > 0 a front answers after that long ± BENCH_UPSTREAM_JITTER_MS
 * (uniform), as the real API's 100–500 ms, and keeps each request's start and end for
 * `GET /__bench/log` (returns and forgets them): how many calls a tool made and how many of them
 * ran one after another.
 */
const count = Number(process.env.BENCH_ATHLETES ?? '2000');
const athletes: FakeAthlete[] = Array.from({ length: count }, (_, i) => ({
  ...benchAthlete(i),
  oauthToken: `bench-oauth-${i}-0123456789`,
  oauthScopes: ['ACTIVITY:READ', 'WELLNESS:READ', 'CALENDAR:READ'],
  coachOf: [],
}));

const fake: FakeIntervals = await startFakeIntervals(athletes);
// The stand-in records every request for test assertions; under load that would only grow.
setInterval(() => (fake.requests.length = 0), 1000).unref();
const latencyMs = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? '0');
const jitterMs = Number(process.env.BENCH_UPSTREAM_JITTER_MS ?? '0');
writeFileSync(process.env.BENCH_URL_FILE!, latencyMs > 0 ? await startSlowFront(fake.url) : fake.url);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));

interface Timed {
  method: string;
  path: string;
  startMs: number;
  endMs: number;
}

async function startSlowFront(inner: string): Promise<string> {
  let log: Timed[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (req.url === '/__bench/log') {
        // How the tool runs are measured (bench/lib/upstream.ts); never slowed.
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(log));
        log = [];
        return;
      }
      const startMs = performance.now();
      const body = await read(req);
      await new Promise((r) => setTimeout(r, Math.max(0, latencyMs + (Math.random() * 2 - 1) * jitterMs)));
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && k !== 'host' && k !== 'content-length'),
      ) as Record<string, string>;
      const answer = await fetch(`${new URL(inner).origin}${req.url}`, {
        method: req.method,
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      const text = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
      log.push({ method: req.method ?? 'GET', path: (req.url ?? '').split('?')[0]!, startMs, endMs: performance.now() });
      if (log.length > 10_000) log = log.slice(-1_000);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  const origin = new URL(inner);
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}${origin.pathname === '/' ? '' : origin.pathname}`;
}
