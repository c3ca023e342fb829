import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBareKoa, startSdkStateless } from './lib/baselines.js';
import { requestBodies, syntheticFixtures, writeFixtures, type BenchCall, type Fixtures } from './lib/fixtures.js';
import { describeMachine } from './lib/machine.js';
import { checkAnswer, runMatrix } from './lib/matrix.js';
import { ROOT } from './lib/paths.js';
import { setUpProduct, type Product } from './lib/product.js';
import { killAll } from './lib/proc.js';
import { renderProfile, summarizeProfile } from './lib/profile.js';
import { renderMarkdown, type Kind, type Report, type ServerKey } from './lib/report.js';
import { requireWrk } from './lib/wrk.js';
import type { Target } from './lib/target.js';
import { measureUpstream } from './lib/upstream.js';

/**
 * `npm run bench`: on loopback, in one run, measures (a) bare Koa with a fixed answer, (b) the
 * MCP SDK's stateless shape with jose, and (c) our production build on PostgreSQL, under wrk at
 * several concurrencies, plus OAuth connects per second, cold start and idle memory. Raw results
 * go to bench/results/<timestamp>/; the Markdown summary is printed for docs/PERFORMANCE.md.
 * Targets are reported, never asserted: a shared two-core machine is too noisy to fail a build on.
 */

const { values: o } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    passes: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    kinds: { type: 'string' },
    servers: { type: 'string', default: 'a,b,b2,c' },
    restarts: { type: 'string' },
    'oauth-seconds': { type: 'string' },
    'oauth-concurrency': { type: 'string', default: '4' },
    'server-cpu': { type: 'string', default: '1' },
    'wrk-cpu': { type: 'string', default: '0' },
    'cpu-prof': { type: 'boolean', default: false },
    'db-latency-ms': { type: 'string' },
    'upstream-latency-ms': { type: 'string', default: '0' },
    'upstream-jitter-ms': { type: 'string' },
  },
  allowPositionals: false,
});

const quick = o.quick!;
const num = (v: string | undefined, full: number, q: number) => (v !== undefined ? Number(v) : quick ? q : full);
const cpuOpt = (v: string | undefined) => (v === 'none' || v === undefined ? undefined : Number(v));
const settings = {
  passes: num(o.passes, 3, 1),
  seconds: num(o.seconds, 10, 3),
  warmupSeconds: num(o.warmup, 3, 1),
  connections: (o.connections ?? '1,16,64').split(',').map(Number),
  kinds: (o.kinds ?? 'call,list').split(',').map((k) => `tools/${k}` as Kind),
  servers: o.servers!.split(',') as ServerKey[],
  restarts: num(o.restarts, 3, 1),
  oauthSeconds: num(o['oauth-seconds'], 10, 3),
  oauthConcurrency: Number(o['oauth-concurrency']),
  serverCpu: cpuOpt(o['server-cpu']),
  wrkCpu: cpuOpt(o['wrk-cpu']),
  // Given (0 included): (c) reaches PostgreSQL through the benchmark's delay proxy, which also counts round trips.
  dbLatencyMs: o['db-latency-ms'] !== undefined ? Number(o['db-latency-ms']) : undefined,
  upstreamLatencyMs: Number(o['upstream-latency-ms']),
  // Default jitter: a fifth of the latency either way.
  upstreamJitterMs:
    o['upstream-jitter-ms'] !== undefined ? Number(o['upstream-jitter-ms']) : Math.round(Number(o['upstream-latency-ms']) / 5),
};
/**
 * The tools/call every server answers: BENCH_TOOL / BENCH_TOOL_ARGS, else the first of these that
 * (c) lists — a typical read that goes to Intervals.icu (the stand-in) on a cache miss.
 */
const PREFERRED_CALLS: BenchCall[] = [
  { tool: 'get_activities', args: { oldest: '2026-09-01', newest: '2026-09-30' } },
  { tool: 'get_athlete', args: {} },
];
function chooseCall(listed: string[]): BenchCall {
  if (process.env.BENCH_TOOL)
    return { tool: process.env.BENCH_TOOL, args: JSON.parse(process.env.BENCH_TOOL_ARGS ?? '{}') as Record<string, unknown> };
  return PREFERRED_CALLS.find((c) => listed.includes(c.tool)) ?? PREFERRED_CALLS[PREFERRED_CALLS.length - 1]!;
}

const started = new Date();
const stamp = started
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z');
const dir = join(ROOT, 'bench', 'results', stamp);
mkdirSync(dir, { recursive: true });
const log = (line: string) => {
  const l = `[${new Date().toISOString().slice(11, 19)}] ${line}`;
  process.stderr.write(`${l}\n`);
  appendFileSync(join(dir, 'progress.log'), `${l}\n`);
};

async function main(): Promise<void> {
  requireWrk();
  const report: Report = {
    info: {
      started: started.toISOString().replace(/\.\d+Z$/, 'Z'),
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      ...(await describeMachine()),
      settings:
        `${settings.passes} passes × ${settings.seconds} s per run (after a ${settings.warmupSeconds} s warm-up per server and kind), ` +
        `connections ${settings.connections.join('/')}, ${settings.dbLatencyMs === undefined ? 'PostgreSQL direct' : `PostgreSQL through a proxy adding ${settings.dbLatencyMs} ms per round trip`}, Intervals.icu latency ${settings.upstreamLatencyMs} ± ${settings.upstreamJitterMs} ms, wrk 1 thread pinned to CPU ${settings.wrkCpu ?? 'any'}, servers pinned to CPU ${settings.serverCpu ?? 'any'}`,
      answerBytes: { a: {}, b: {}, b2: {}, c: {} },
      notes: [],
    },
    load: [],
    starts: [],
  };
  const targets: Target[] = [];
  let product: Product | undefined;
  const save = () => writeFileSync(join(dir, 'report.json'), JSON.stringify(report, null, 2));
  try {
    let fixtures: Fixtures;
    let bodies = requestBodies(chooseCall([]));
    if (settings.servers.includes('c')) {
      log('setting up (c): PostgreSQL schema, Intervals.icu stand-in, first start, OAuth connects');
      product = await setUpProduct({
        dir,
        cpu: settings.serverCpu,
        helperCpu: settings.wrkCpu,
        oauthSeconds: settings.oauthSeconds,
        oauthConcurrency: settings.oauthConcurrency,
        cpuProf: o['cpu-prof']!,
        dbLatencyMs: settings.dbLatencyMs,
        upstreamLatencyMs: settings.upstreamLatencyMs,
        upstreamJitterMs: settings.upstreamJitterMs,
        log,
      });
      report.starts.push(product.firstStart);
      report.oauth = product.oauth;
      report.info.notes.push(...product.notes);
      const listed = JSON.parse(await checkAnswer(product.target, 'tools/list', bodies.list)) as { result: { tools: { name: string }[] } };
      const call = chooseCall(listed.result.tools.map((t) => t.name));
      bodies = requestBodies(call);
      report.info.notes.push(
        `tools/call: \`${call.tool}\` with \`${JSON.stringify(call.args)}\`; (c) lists ${listed.result.tools.length} tools, and (b) registers the same ${listed.result.tools.length} (name, description, input schema) on every per-request server.`,
      );
      const fixedCall = await checkAnswer(product.target, 'tools/call', bodies.call);
      const fixedList = await checkAnswer(product.target, 'tools/list', bodies.list);
      fixtures = {
        callRequest: bodies.call,
        listRequest: bodies.list,
        fixedCall,
        fixedList,
        tools: JSON.stringify(JSON.parse(fixedList).result.tools),
        callResult: JSON.stringify(JSON.parse(fixedCall).result),
      };
      targets.push(product.target);
    } else {
      fixtures = syntheticFixtures(chooseCall([]));
      report.info.notes.push('Server (c) not run: (a) and (b) answer a synthetic ~2 KB activities listing.');
    }
    const files = writeFixtures(dir, fixtures);
    const base = { cpu: settings.serverCpu, files };
    if (settings.servers.includes('b2')) targets.unshift(await startSdkStateless(base, 'v2'));
    if (settings.servers.includes('b')) targets.unshift(await startSdkStateless(base));
    if (settings.servers.includes('a')) targets.unshift(await startBareKoa(base));
    for (const t of targets) {
      for (const [kind, body] of [
        ['tools/call', bodies.call],
        ['tools/list', bodies.list],
      ] as const) {
        const text = await checkAnswer(t, kind, body);
        report.info.answerBytes[t.key][kind] = Buffer.byteLength(text);
      }
    }
    log(`answer sizes: ${JSON.stringify(report.info.answerBytes)}`);

    await runMatrix(targets, {
      ...settings,
      bodyFiles: { 'tools/call': files.callRequest, 'tools/list': files.listRequest },
      onRecord: (r) => {
        report.load.push(r);
        save();
      },
      log,
    });

    if (product && settings.upstreamLatencyMs > 0) {
      log(`(c) per tool with Intervals.icu answering in ${settings.upstreamLatencyMs} ± ${settings.upstreamJitterMs} ms`);
      report.upstream = {
        latencyMs: settings.upstreamLatencyMs,
        records: await measureUpstream(product.target, product.intervalsOrigin, log),
      };
      save();
    }
    if (product) {
      log(`restarting (c) ${settings.restarts}× for cold start and idle RSS`);
      for (let i = 0; i < settings.restarts; i++) report.starts.push(await product.restart());
    }
  } finally {
    for (const t of targets) await t.stop().catch(() => undefined);
    await product?.close().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    save();
  }
  const md = renderMarkdown(report);
  writeFileSync(join(dir, 'summary.md'), md);
  summarizeProfiles();
  process.stdout.write(`\n${md}\nRaw results: ${dir}\n`);
}

/** With --cpu-prof, (c) wrote one profile per process; summarise each next to it. */
function summarizeProfiles(): void {
  const profDir = join(dir, 'cpu-profiles');
  if (!existsSync(profDir)) return;
  for (const f of readdirSync(profDir).filter((x) => x.endsWith('.cpuprofile'))) {
    const out = join(profDir, f.replace(/\.cpuprofile$/, '.md'));
    writeFileSync(out, renderProfile(summarizeProfile(join(profDir, f))));
    log(`profile summary: ${out}`);
  }
}

main().catch((err: unknown) => {
  log(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
  killAll();
});
