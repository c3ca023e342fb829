import { describe, it, expect, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, spawnServer, stopProcess, type ServerProcess } from '../support/process.js';

/**
 * Bad start-ups, as a person meets them in a terminal: each stops the process with a non-zero
 * status and a message that names the setting to change and how, and never prints a secret.
 */
const started: ServerProcess[] = [];
const dirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(started.map(stopProcess));
  for (const c of cleanups) await c();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tempDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'intervals-mcp-startup-'));
  dirs.push(dir);
  return join(dir, 'data');
};

async function failedStart(env: Record<string, string>): Promise<{ code: number | string; stderr: string }> {
  const proc = await spawnServer(env, { waitReady: false });
  started.push(proc);
  return { code: await proc.exited, stderr: proc.stderr() };
}

async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, ok));
  const addr = server.address();
  cleanups.push(() => new Promise((ok) => server.close(() => ok())));
  return { port: typeof addr === 'object' && addr ? addr.port : 0, server };
}

async function stdioStart(env: Record<string, string>): Promise<{ code: number | string; stderr: string }> {
  const child = spawn(process.execPath, [`${ROOT}dist/src/stdio.js`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | string>((ok) => child.once('exit', (c, sig) => ok(c ?? sig ?? -1)));
  return { code, stderr };
}

/** A server holding a DATA_DIR, for the second-instance row; the row's check kills it afterwards. */
let holder: ServerProcess | undefined;

interface BadStart {
  /** Starts the process the bad way; resolves when it has exited. */
  start(): Promise<{ code: number | string; stderr: string }>;
  exitCode: number;
  /** Every one must be in stderr: the setting's name and the fix. */
  says: (string | RegExp)[];
  /** None may be: library text, secrets. */
  never: (string | RegExp)[];
}

let port = 0;
let deadPort = 0;
let heldDir = '';
const CASES: [string, () => Promise<BadStart>][] = [
  [
    'PORT=abc',
    async () => ({
      start: () => failedStart({ PORT: 'abc', DATA_DIR: tempDataDir() }),
      exitCode: 78,
      says: ['PORT must be a whole number from 0 to 65535 (for example PORT=8080)'],
      never: [/NaN|expected number/],
    }),
  ],
  [
    'a port in use',
    async () => {
      port = (await occupiedPort()).port;
      return {
        start: () => failedStart({ PORT: String(port), DATA_DIR: tempDataDir() }),
        exitCode: 1,
        says: [
          `Cannot start: port ${port} is already in use by another program (perhaps another copy of this server).`,
          `choose another port with PORT, for example PORT=${port + 1} npm start`,
        ],
        never: [/EADDRINUSE/],
      };
    },
  ],
  [
    'an unreachable DATABASE_URL',
    async () => {
      deadPort = await freePort();
      return {
        start: () => failedStart({ DATABASE_URL: `postgres://someone:hunter2-db-secret@127.0.0.1:${deadPort}/intervals` }),
        exitCode: 1,
        says: [
          `Cannot start: Cannot use the PostgreSQL database in DATABASE_URL (127.0.0.1:${deadPort} database intervals): nothing accepts connections there (connection refused)`,
          'Fix DATABASE_URL (postgres://user:password@host:5432/dbname), or unset it to use the embedded database under DATA_DIR.',
        ],
        never: ['hunter2-db-secret', /^connect ECONNREFUSED/m],
      };
    },
  ],
  [
    'a second instance on the same DATA_DIR',
    async () => {
      heldDir = tempDataDir();
      holder = await spawnServer({ DATA_DIR: heldDir });
      started.push(holder);
      return {
        start: () => failedStart({ DATA_DIR: heldDir }),
        exitCode: 1,
        says: [
          `Cannot start: Another intervals-mcp process is already running on the data directory ${heldDir} (DATA_DIR).`,
          `DATA_DIR=${heldDir}-2`,
          'set DATABASE_URL to a PostgreSQL server',
        ],
        never: [],
      };
    },
  ],
  [
    'stdio with ATHLETE_ID=123abc',
    async () => ({
      start: () => stdioStart({ ATHLETE_ID: '123abc', API_KEY: 'an-api-key-long-enough' }),
      exitCode: 1,
      says: ["ATHLETE_ID must be an Intervals.icu athlete id such as i123456 (or 0 for the key's owner) (for example ATHLETE_ID=i123456)"],
      never: ['an-api-key-long-enough'],
    }),
  ],
];

describe('start-up errors name the setting and the fix, and exit non-zero', () => {
  it.each(CASES)('%s', async (_name, prepare) => {
    const bad = await prepare();
    const { code, stderr } = await bad.start();
    expect(code).toBe(bad.exitCode);
    for (const s of bad.says) expect(stderr).toEqual(typeof s === 'string' ? expect.stringContaining(s) : expect.stringMatching(s));
    for (const s of bad.never) expect(stderr).not.toEqual(typeof s === 'string' ? expect.stringContaining(s) : expect.stringMatching(s));
  });

  it('the DATA_DIR lock: the first instance kept serving, and its lock died with it (even killed), so the next start succeeds', async () => {
    expect(holder).toBeDefined();
    expect((await fetch(`${holder!.url}/ready`)).status).toBe(200);
    holder!.child.kill('SIGKILL');
    await holder!.exited;
    const next = await spawnServer({ DATA_DIR: heldDir });
    started.push(next);
    expect((await fetch(`${next.url}/ready`)).status).toBe(200);
  });
});
