import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../test/support/process.js';
import { connectLoad, connectOnce, type ConnectAs } from '../../test/reliability/support/connect.js';
import { benchAthlete } from './athletes.js';
import { startDelayProxy } from './delay-proxy.js';
import { PRODUCT_MAIN, ROOT, SERVERS_DIR } from './paths.js';
import { readMemory, sleep, spawnPinned, stopPinned, waitForOk, type Pinned } from './proc.js';
import { nodeArgsFrom, productionNodeOptions } from './runtime.js';
import { median } from './stats.js';
import type { OAuthRecord, StartRecord } from './report.js';
import type { Target } from './target.js';

/**
 * Server (c): our production build (`node dist/src/main.js`) on a fresh PostgreSQL schema, with
 * the Intervals.icu stand-in in its own process, the rate limit set high, and real access tokens
 * from our own authorization server for people who linked Intervals.icu.
 */

const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Idle RSS is read this long after /ready first answers: start-up garbage settles. */
const IDLE_SETTLE_MS = 2000;
const SETTLED_AFTER_MS = 20_000;

export interface ProductOptions {
  dir: string;
  cpu: number | undefined;
  helperCpu: number | undefined;
  oauthSeconds: number;
  oauthConcurrency: number;
  cpuProf: boolean;
  /** Round trip added between (c) and PostgreSQL (bench/lib/delay-proxy.ts), 0 included; undefined: direct. */
  dbLatencyMs: number | undefined;
  /** Intervals.icu answers after this long, ± the jitter (bench/servers/intervals.ts). */
  upstreamLatencyMs: number;
  upstreamJitterMs: number;
  log: (line: string) => void;
}

export interface Product {
  target: Target;
  /** The Intervals.icu stand-in's origin (its front's, with --upstream-latency-ms). */
  intervalsOrigin: string;
  firstStart: StartRecord;
  oauth: OAuthRecord;
  notes: string[];
  restart(): Promise<StartRecord>;
  close(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function startStandIn(opts: ProductOptions): Promise<{ proc: Pinned; apiBaseUrl: string }> {
  // The stand-in reads its captured samples next to its compiled code; tsc copies no JSON.
  cpSync(join(ROOT, 'test/fakes/intervals/samples'), join(ROOT, 'dist/bench/test/fakes/intervals/samples'), { recursive: true });
  const urlFile = join(opts.dir, 'intervals-url.txt');
  const proc = spawnPinned(process.execPath, [`${SERVERS_DIR}intervals.js`], {
    cpu: opts.helperCpu,
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      BENCH_URL_FILE: urlFile,
      BENCH_ATHLETES: '5000',
      BENCH_UPSTREAM_LATENCY_MS: String(opts.upstreamLatencyMs),
      BENCH_UPSTREAM_JITTER_MS: String(opts.upstreamJitterMs),
    },
  });
  for (let i = 0; i < 300 && !existsSync(urlFile); i++) await sleep(50);
  if (!existsSync(urlFile)) throw new Error(`the Intervals.icu stand-in did not start:\n${proc.stderrTail()}`);
  return { proc, apiBaseUrl: readFileSync(urlFile, 'utf8') };
}

export async function setUpProduct(opts: ProductOptions): Promise<Product> {
  const notes: string[] = [];
  const schema = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  const standIn = await startStandIn(opts);
  const pgAt = new URL(PG_ADMIN_URL);
  const dbProxy =
    opts.dbLatencyMs !== undefined
      ? await startDelayProxy({ host: pgAt.hostname, port: Number(pgAt.port || 5432) }, opts.dbLatencyMs)
      : undefined;
  const dbUrl = dbProxy ? dbProxy.rewrite(PG_ADMIN_URL) : PG_ADMIN_URL;
  if (dbProxy)
    notes.push(
      `(c) reaches PostgreSQL through a proxy in the benchmark that adds ${opts.dbLatencyMs} ms per round trip (${(opts.dbLatencyMs ?? 0) / 2} ms each way).`,
    );
  if (opts.upstreamLatencyMs > 0)
    notes.push(
      `The Intervals.icu stand-in answers after ${opts.upstreamLatencyMs} ± ${opts.upstreamJitterMs} ms (uniform), as the real API's 100–500 ms.`,
    );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const profDir = join(opts.dir, 'cpu-profiles');
  if (opts.cpuProf) mkdirSync(profDir, { recursive: true });
  // Production settings as far as loopback allows: NODE_ENV=production needs an https BASE_URL and
  // Supabase, which a plain-HTTP benchmark cannot offer, so the mode stays `development` with
  // every secret given explicitly (as production requires), info logging to a file, PostgreSQL.
  // What production runs with (heap cap, async-context-frame), unless overridden for an experiment.
  const nodeOptions = process.env.BENCH_PRODUCT_NODE_OPTIONS ?? productionNodeOptions();
  // The Dockerfile's CMD flags (V8 flags Node refuses in NODE_OPTIONS), or BENCH_PRODUCT_NODE_ARGS.
  const runtimeArgs = nodeArgsFrom(process.env.BENCH_PRODUCT_NODE_ARGS);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'development',
    PORT: String(port),
    BASE_URL: url,
    DATABASE_URL: `${dbUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    COOKIE_KEYS: randomBytes(32).toString('base64'),
    RATE_LIMIT_PER_HOUR: '1000000',
    REGISTRATION_RATE_LIMIT_PER_HOUR: '100000',
    TRUST_PROXY: 'true',
    INTERVALS_API_BASE_URL: standIn.apiBaseUrl,
    INTERVALS_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'info',
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    ...Object.fromEntries(
      (process.env.BENCH_PRODUCT_ENV ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => kv.split('=', 2) as [string, string]),
    ),
  };
  notes.push(
    process.env.BENCH_PRODUCT_NODE_OPTIONS === undefined
      ? `Every server runs with production's runtime options, so the ratios compare designs under the same heap limits and GC settings: NODE_OPTIONS="${nodeOptions}" (fly.toml [env]) and node ${runtimeArgs.join(' ')} (the Dockerfile's CMD).`
      : `(c) runs with BENCH_PRODUCT_NODE_OPTIONS="${nodeOptions}" (not fly.toml's) and node ${runtimeArgs.join(' ')}.`,
  );
  notes.push(
    '(c) runs with NODE_ENV=development (production mode needs an https BASE_URL and Supabase, which loopback HTTP cannot offer), ' +
      'but with every production secret set explicitly, DATABASE_URL, LOG_LEVEL=info (JSON access log to a file), RATE_LIMIT_PER_HOUR=1000000, ' +
      'REGISTRATION_RATE_LIMIT_PER_HOUR=100000 and TRUST_PROXY=true (each benchmark person comes from their own X-Forwarded-For address).',
  );
  let starts = 0;
  let proc: Pinned | undefined;
  const spawnProduct = async (what: StartRecord['what']): Promise<StartRecord> => {
    starts += 1;
    const nodeArgs = [...runtimeArgs, ...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [])];
    const t0 = performance.now();
    const trips0 = dbProxy?.sent();
    proc = spawnPinned(process.execPath, [...nodeArgs, PRODUCT_MAIN], {
      cpu: opts.cpu,
      cwd: ROOT,
      env,
      logFile: join(opts.dir, `product-${starts}.log`),
    });
    const readyMs = await waitForOk(`${url}/ready`, t0, proc);
    // /ready itself pings the database once per probe; the count includes the probe that answered.
    const dbRoundTrips = dbProxy && trips0 !== undefined ? dbProxy.sent() - trips0 : undefined;
    await sleep(IDLE_SETTLE_MS);
    const idleRssMb = readMemory(proc.pid).rssMb;
    // V8 shrinks the young generation of an idle process after several seconds (its memory
    // reducer); what an idle VM holds is the settled figure.
    await sleep(SETTLED_AFTER_MS - IDLE_SETTLE_MS);
    return { what, readyMs, idleRssMb, settledRssMb: readMemory(proc.pid).rssMb, ...(dbRoundTrips !== undefined ? { dbRoundTrips } : {}) };
  };
  const firstStart = await spawnProduct('first start (fresh schema, migrations)');
  opts.log(
    `(c) first start: /ready after ${firstStart.readyMs.toFixed(0)} ms, idle RSS ${firstStart.idleRssMb.toFixed(1)} MB, settled ${firstStart.settledRssMb.toFixed(1)} MB`,
  );

  // Person n signs in as bench-n and links stand-in athlete n.
  // Each from their own address (TRUST_PROXY): the sign-in's per-address limit is for one person's guessing.
  const who = (n: number): ConnectAs => ({
    email: `bench-${n}@example.com`,
    athlete: benchAthlete(n),
    ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
  });
  // The person whose token carries the load connects first, alone, so a failure is clear.
  const first = await connectOnce(url, who(0));
  opts.log(`(c) OAuth connect works (${first.ms.toFixed(0)} ms); measuring connects for ${opts.oauthSeconds} s`);
  const load = await connectLoad(url, who, {
    seconds: opts.oauthSeconds,
    concurrency: opts.oauthConcurrency,
    firstN: 1,
    maxConnects: 4000,
  });
  const stepNames = Object.keys(first.steps);
  const oauth: OAuthRecord = {
    connects: load.connects.length,
    seconds: load.seconds,
    concurrency: opts.oauthConcurrency,
    perConnectMs: load.connects.map((c) => c.ms),
    stepMs: Object.fromEntries(stepNames.map((s) => [s, median(load.connects.map((c) => c.steps[s] ?? NaN))])),
    failures: load.failures.length,
  };
  if (load.failures.length) opts.log(`(c) ${load.failures.length} OAuth connects failed, e.g.: ${load.failures[0]}`);
  opts.log(`(c) ${oauth.connects} connects in ${oauth.seconds.toFixed(1)} s`);

  const target: Target = {
    key: 'c',
    url,
    mcpPath: '/mcp',
    authorization: `Bearer ${first.accessToken}`,
    get proc() {
      return proc!;
    },
    ...(dbProxy ? { dbRoundTrips: () => dbProxy.sent() } : {}),
    stop: async () => {
      if (proc) await stopPinned(proc);
    },
  };
  return {
    target,
    intervalsOrigin: new URL(standIn.apiBaseUrl).origin,
    firstStart,
    oauth,
    notes,
    async restart() {
      await target.stop();
      const s = await spawnProduct('restart (migrated schema)');
      opts.log(
        `(c) restart: /ready after ${s.readyMs.toFixed(0)} ms, idle RSS ${s.idleRssMb.toFixed(1)} MB, settled ${s.settledRssMb.toFixed(1)} MB`,
      );
      return s;
    },
    async close() {
      await target.stop();
      await stopPinned(standIn.proc);
      await dbProxy?.close();
      await admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    },
  };
}
