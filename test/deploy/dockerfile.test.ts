import { describe, it, expect, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upsertAccount } from '../../src/accounts/account-store.js';
import { saveIntervalsLink } from '../../src/accounts/links.js';
import { createPersonalAccessToken } from '../../src/accounts/pats.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import type { Store } from '../../src/store/store.js';
import { startFakeIntervals } from '../fakes/intervals/index.js';
import { freePort, ROOT, waitFor, type ServerProcess } from '../support/process.js';
import { npmEnv } from '../support/npm-env.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from '../support/store.js';
import { replayDockerfile, type Stage } from './dockerfile-replay.js';

// The lockfile marks every package only development needs (directly or through another) `dev: true`.
const lock = JSON.parse(readFileSync(`${ROOT}package-lock.json`, 'utf8')) as {
  packages: Record<string, { dev?: boolean; optional?: boolean }>;
};
const lockPaths = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/'));
const devOnly = lockPaths.filter(([, p]) => p.dev).map(([path]) => path);
const production = lockPaths.filter(([, p]) => !p.dev && !p.optional).map(([path]) => path);
const workDir = mkdtempSync(join(tmpdir(), 'intervals-mcp-image-'));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(workDir, { recursive: true, force: true });
});

/** The environment of a `docker build` on this machine is that of an npm command run by hand. */
const buildEnv = npmEnv;

/** Starts the runtime stage's CMD the way the container would, with the image's Node (ours is the same release). */
function startRuntime(stage: Stage, env: Record<string, string>, port: number): ServerProcess {
  const [bin, ...args] = stage.cmd!;
  expect(bin).toBe('node');
  let out = '';
  let err = '';
  const child = spawn(process.execPath, args, {
    cwd: stage.dir,
    env: { PATH: '/usr/bin:/bin', ...stage.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, url: `http://127.0.0.1:${port}`, port, stdout: () => out, stderr: () => err, exited };
}

async function withStore<T>(db: TestDatabase, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await db.open();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

// One pass is enough (npm ci is slow), and production runs on PostgreSQL only.
const onPostgres = TEST_STORE === 'postgres' ? describe : describe.skip;

onPostgres('the Dockerfile, replayed without Docker', () => {
  let stages: Stage[];
  let runtime: Stage;

  it('builds: dev install + tsc in the build stage, a production-only install in a clean directory', () => {
    stages = replayDockerfile({
      dockerfile: readFileSync(`${ROOT}Dockerfile`, 'utf8'),
      context: ROOT,
      workDir,
      runEnv: buildEnv(),
    });
    runtime = stages.at(-1)!;
    process.stdout.write(stages.map((s) => [`[${s.name}]`, ...s.log].join('\n  ')).join('\n') + '\n');
    expect(stages.map((s) => s.name)).toEqual(['base', 'build', 'deps', 'runtime']);
    // The base image is the exact Node release the suite runs on.
    expect(stages[0]!.from).toBe(`node:${process.versions.node}-bookworm-slim`);
    expect(existsSync(join(stages[1]!.dir, 'dist/src/main.js'))).toBe(true);
  }, 600_000);

  it('ships only what runs: dist, the SQL migrations, package files and production dependencies', () => {
    expect(readdirSync(runtime.dir).sort()).toEqual(['data', 'dist', 'node_modules', 'package-lock.json', 'package.json', 'src']);
    expect(readdirSync(join(runtime.dir, 'src'))).toEqual(['store']);
    expect(readdirSync(join(runtime.dir, 'src/store'))).toEqual(['migrations']);
    expect(readdirSync(join(runtime.dir, 'src/store/migrations')).sort()).toEqual(readdirSync(`${ROOT}src/store/migrations`).sort());
    expect(devOnly.length).toBeGreaterThan(100);
    expect(devOnly.filter((path) => existsSync(join(runtime.dir, path)))).toEqual([]);
    expect(production.filter((path) => !existsSync(join(runtime.dir, path)))).toEqual([]);
    // A real directory, not the checkout's node_modules reused by the build stage.
    expect(
      readdirSync(runtime.dir, { withFileTypes: true })
        .find((e) => e.name === 'node_modules')!
        .isSymbolicLink(),
    ).toBe(false);
    expect(existsSync(join(runtime.dir, 'node_modules/.bin/node'))).toBe(false);
  });

  it('runs as a non-root user in production mode, starts node directly, and exposes PORT', () => {
    expect(runtime.user).toBe('node');
    expect(runtime.env).toMatchObject({ NODE_ENV: 'production', PORT: '8080' });
    // node itself, then only runtime flags (the start below proves Node accepts them), then main.js.
    expect(runtime.cmd![0]).toBe('node');
    expect(runtime.cmd!.at(-1)).toBe('dist/src/main.js');
    expect(runtime.cmd!.slice(1, -1)).toEqual(['--single-threaded-gc', '--bytecode-old-age=1', '--flush-baseline-code']);
    expect(runtime.expose).toEqual([Number(runtime.env.PORT)]);
    expect(runtime.healthcheck!.cmd[0]).toBe('node');
  });

  it('starts with production settings on PostgreSQL, is ready, passes its HEALTHCHECK, and finishes an in-flight MCP tool call on SIGTERM', async () => {
    const db: TestDatabase = await createTestDatabase();
    cleanups.push(() => db.drop());
    const fake = await startFakeIntervals();
    cleanups.push(() => fake.close());
    const port = await freePort();
    const shutdownMs = 5000;
    const encryptionKey = randomBytes(32).toString('base64');
    const proc = startRuntime(
      runtime,
      {
        ...db.env,
        // The public origin is this address over https (as behind Fly's proxy), so /mcp's Host check passes.
        BASE_URL: `https://127.0.0.1:${port}`,
        INTERVALS_API_BASE_URL: fake.url,
        SUPABASE_URL: 'https://project.supabase.example.test',
        SUPABASE_ANON_KEY: `sb_publishable_${randomBytes(16).toString('hex')}`,
        ENCRYPTION_KEY: encryptionKey,
        COOKIE_KEYS: randomBytes(32).toString('base64url'),
        METRICS_TOKEN: randomBytes(16).toString('hex'),
        TRUST_PROXY: 'true',
        SHUTDOWN_TIMEOUT_MS: String(shutdownMs),
      },
      port,
    );
    cleanups.push(async () => {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    });
    await waitFor(proc, '/ready', 60_000);
    expect(await (await fetch(`${proc.url}/ready`)).json()).toEqual({ status: 'ready' });

    const [hcBin, ...hcArgs] = runtime.healthcheck!.cmd;
    expect(hcBin).toBe('node');
    const hc = spawnSync(process.execPath, hcArgs, { env: { PATH: '/usr/bin:/bin', PORT: String(port) }, timeout: 10_000 });
    expect(hc.status).toBe(0);

    // A genuinely slow request through the product: an MCP tool call (personal access token) whose
    // Intervals.icu call meets a slow stand-in.
    const token = await withStore(db, async (store) => {
      await upsertAccount(store, { id: 'image-person', email: 'image@example.test' });
      const box = createSecretBox({ encryptionKey: Buffer.from(encryptionKey, 'base64'), previousEncryptionKeys: [] });
      await saveIntervalsLink(store, box, {
        accountId: 'image-person',
        athleteId: 'i1001',
        athleteName: 'Ann Example',
        credentials: { kind: 'api_key', apiKey: fake.athlete('i1001').apiKey },
      });
      return (await createPersonalAccessToken(store, 'image-person', { name: 'image test', scopes: ['intervals:read'], expiresInDays: 1 }))
        .token;
    });
    fake.inject({ method: 'GET', path: /^\/athlete\// }, { delayMs: 1500 }, 10);
    const t0 = Date.now();
    const slow = fetch(`${proc.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${token}`,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_athlete', arguments: {} } }),
    });
    await new Promise((r) => setTimeout(r, 500));
    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    const res = await slow;
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { result: { isError?: boolean; structuredContent: { name: string } } };
    expect(reply.result.isError).toBeFalsy();
    expect(reply.result.structuredContent.name).toBe('Ann Example');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    expect(await proc.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(shutdownMs);
    expect(proc.stdout()).toContain('"msg":"shutting down"');
    expect(proc.stderr()).toBe('');
  }, 120_000);
});
