import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { z } from 'zod';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { npmEnv } from '../support/npm-env.js';
import { ROOT } from '../support/process.js';
import { connectStdio } from '../support/stdio-client.js';
import { TEST_STORE } from '../support/store.js';

/**
 * stdio as a package: what `npx -y intervals-mcp` and the Claude Desktop Extension run, built and
 * installed the way a person gets them, then driven by a real MCP stdio client against the
 * Intervals.icu stand-in. Building and installing take a minute each and depend on no store, so
 * they run in the suite's PostgreSQL pass only.
 */
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  mcpName: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const manifest = JSON.parse(readFileSync(join(ROOT, 'mcpb', 'manifest.json'), 'utf8')) as {
  version: string;
  server: { entry_point: string; mcp_config: { command: string; args: string[]; env: Record<string, string> } };
  user_config: Record<string, { type: string; sensitive?: boolean; required?: boolean; default?: string }>;
};
const serverJson = JSON.parse(readFileSync(join(ROOT, 'server.json'), 'utf8')) as Record<string, unknown>;

const onPostgres = TEST_STORE === 'postgres' ? describe : describe.skip;
const work = mkdtempSync(join(tmpdir(), 'intervals-mcp-package-'));
/**
 * Packing runs in a copy of the checkout (sharing its node_modules): `npm pack` rebuilds dist/src
 * from scratch, which must not pull the compiled server away from the suite's process tests.
 */
const checkout = join(work, 'checkout');
function copyCheckout(): void {
  if (existsSync(checkout)) return;
  cpSync(ROOT, checkout, { recursive: true, filter: (src) => !/\/(node_modules|dist|\.git|coverage|data)$/.test(src) });
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'));
}
let fake: FakeIntervals;
beforeAll(async () => {
  fake = await startFakeIntervals();
});
afterAll(async () => {
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
});

/** PATH whose `node` is the Node 22 this suite runs on, as on a machine with a current Node installed. */
const node22Path = () => `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;

function run(command: string, args: string[], cwd: string): string {
  const r = spawnSync(command, args, { cwd, env: npmEnv(), encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr.slice(-3000)}`);
  return r.stdout;
}

async function expectGetAthleteAnswers(command: string, args: string[], env: Record<string, string>, cwd: string) {
  const ann = fake.athlete('i1001');
  const session = await connectStdio(command, args, { INTERVALS_API_BASE_URL: fake.url, ...env }, { cwd, path: node22Path() });
  try {
    const r = await session.callTool('get_athlete');
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ id: ann.id });
    expect(session.errors).toEqual([]);
    expect(session.stderr()).not.toContain(ann.apiKey);
  } finally {
    await session.close();
  }
}

onPostgres('npm package', () => {
  let tarball: string;

  it('npm pack builds it at pack time and ships the bin, the compiled code and server.json only', () => {
    copyCheckout();
    const listing = JSON.parse(run('npm', ['pack', '--pack-destination', work, '--json'], checkout).replace(/^[^[]*/s, '')) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(work, listing[0]!.filename);
    const files = listing[0]!.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/intervals-mcp.js',
        'dist/src/stdio.js',
        'dist/src/mcp/server.js',
        'server.json',
        'package.json',
        'README.md',
      ]),
    );
    expect(
      files.filter((f) => !/^(bin\/|dist\/src\/.*\.js$|src\/store\/migrations\/.*\.sql$|server\.json$|package\.json$|README\.md$)/.test(f)),
    ).toEqual([]);
    // Nothing of a deleted source file survives: every compiled module has its source.
    for (const f of files.filter((p) => p.startsWith('dist/src/')))
      expect(existsSync(join(checkout, f.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
  }, 300_000);

  it('installed into an empty prefix, its bin serves get_athlete over stdio with runtime dependencies only', async () => {
    const prefix = join(work, 'prefix');
    run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', tarball], work);
    const installed = readdirSync(join(prefix, 'node_modules'));
    for (const dev of Object.keys(pkg.devDependencies).filter((d) => !d.startsWith('@'))) expect(installed).not.toContain(dev);
    expect(installed).toEqual(expect.arrayContaining(['intervals-mcp', 'zod', 'pino']));
    const ann = fake.athlete('i1001');
    await expectGetAthleteAnswers(
      join(prefix, 'node_modules', '.bin', 'intervals-mcp'),
      [],
      { API_KEY: ann.apiKey, ATHLETE_ID: ann.id },
      prefix,
    );
  }, 300_000);

  const olderNode = ['/usr/bin/node', '/usr/local/bin/node'].find(
    (p) => existsSync(p) && Number(spawnSync(p, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout) < 22,
  );
  (olderNode ? it : it.skip)(`on an older Node (${olderNode ?? 'none on this machine'}) the bin says which Node it needs`, () => {
    const r = spawnSync(olderNode!, [join(ROOT, pkg.bin['intervals-mcp']!)], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', API_KEY: 'x' },
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^intervals-mcp needs Node\.js 22\.12 or newer; this is Node 20\.\d+\.\d+\.\nInstall the current Node\.js LTS/,
    );
  });
});

onPostgres('Claude Desktop Extension', () => {
  it('npm run bundle → .mcpb; unpacked, its manifest entry started as Claude Desktop does serves get_athlete', async () => {
    copyCheckout();
    const out = run(process.execPath, ['scripts/bundle.mjs'], checkout).trim().split('\n').at(-1)!;
    expect(out).toBe(join(checkout, 'dist', `${pkg.name}-${pkg.version}.mcpb`));
    const dir = join(work, 'unpacked');
    run(process.execPath, [join(ROOT, 'node_modules/@anthropic-ai/mcpb/dist/cli/cli.js'), 'unpack', out, dir], ROOT);
    expect(existsSync(join(dir, manifest.server.entry_point))).toBe(true);
    // Runtime dependencies are inside the bundle, development ones are not.
    expect(existsSync(join(dir, 'node_modules', '@modelcontextprotocol', 'server'))).toBe(true);
    expect(existsSync(join(dir, 'node_modules', '@modelcontextprotocol', 'sdk'))).toBe(false); // v1: tests only
    expect(existsSync(join(dir, 'node_modules', 'jest'))).toBe(false);
    // Claude Desktop substitutes ${__dirname} and ${user_config.*} and runs the command with its Node.
    const ann = fake.athlete('i1001');
    const userConfig: Record<string, string> = { api_key: ann.apiKey, athlete_id: '0' };
    const fill = (s: string) => s.replace('${__dirname}', dir).replace(/\$\{user_config\.(\w+)\}/g, (_, k: string) => userConfig[k] ?? '');
    const { command, args, env } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).server
      .mcp_config as typeof manifest.server.mcp_config;
    expect(command).toBe('node');
    await expectGetAthleteAnswers(
      process.execPath,
      args.map(fill),
      Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fill(v)])),
      dir,
    );
    expect(fake.requestsTo('GET', '/athlete/0').at(-1)).toMatchObject({ caller: ann.id });
  }, 300_000);
});

/** server.json's fields as the MCP registry documents them (the schema is not published on npm). */
const registryServer = z
  .object({
    $schema: z.string().url(),
    name: z
      .string()
      .min(3)
      .max(200)
      .regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/),
    title: z.string().min(1).max(100).optional(),
    description: z.string().min(1).max(100),
    version: z
      .string()
      .max(255)
      .refine((v) => !/[\^~*x><=]|latest/.test(v), 'a specific version, not a range'),
    websiteUrl: z.string().url().optional(),
    packages: z.array(
      z
        .object({
          registryType: z.literal('npm'),
          registryBaseUrl: z.literal('https://registry.npmjs.org').optional(),
          identifier: z.string().min(1),
          version: z
            .string()
            .min(1)
            .refine((v) => !/[\^~*><=]|latest/.test(v), 'a specific version, not a range'),
          runtimeHint: z.string().optional(),
          transport: z.object({ type: z.literal('stdio') }).strict(),
          environmentVariables: z
            .array(
              z
                .object({
                  name: z.string(),
                  description: z.string().optional(),
                  isRequired: z.boolean().optional(),
                  isSecret: z.boolean().optional(),
                  default: z.string().optional(),
                })
                .strict(),
            )
            .optional(),
        })
        .strict(),
    ),
    remotes: z.array(z.object({ type: z.literal('streamable-http'), url: z.string().url() }).strict()),
  })
  .strict();

describe('server.json for the MCP registry', () => {
  it('has the documented fields, and names this package, its version and the remote /mcp endpoint', () => {
    const doc = registryServer.parse(serverJson);
    // The registry checks npm ownership through package.json's mcpName.
    expect(doc.name).toBe(pkg.mcpName);
    expect(doc.version).toBe(pkg.version);
    expect(manifest.version).toBe(pkg.version);
    expect(doc.packages).toEqual([expect.objectContaining({ identifier: pkg.name, version: pkg.version })]);
    expect(doc.remotes.map((r) => new URL(r.url).pathname)).toEqual(['/mcp']);
    const env = doc.packages[0]!.environmentVariables ?? [];
    expect(env.find((e) => e.name === 'API_KEY')).toMatchObject({ isRequired: true, isSecret: true });
    expect(env.find((e) => e.name === 'ATHLETE_ID')).toMatchObject({ isRequired: false, default: '0' });
  });

  it('the Desktop Extension asks for the API key as a secret, the athlete id and the extra tool sets, and passes them to the server', () => {
    expect(manifest.user_config.api_key).toMatchObject({ type: 'string', sensitive: true, required: true });
    expect(manifest.user_config.athlete_id).toMatchObject({ type: 'string', default: '0' });
    expect(manifest.user_config.toolsets).toMatchObject({ type: 'string', required: false });
    expect(manifest.server.mcp_config.env).toEqual({
      API_KEY: '${user_config.api_key}',
      ATHLETE_ID: '${user_config.athlete_id}',
      TOOLSETS: '${user_config.toolsets}',
    });
    expect(manifest.server.entry_point).toBe(pkg.bin['intervals-mcp']);
    const check = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/@anthropic-ai/mcpb/dist/cli/cli.js'), 'validate', join(ROOT, 'mcpb', 'manifest.json')],
      { encoding: 'utf8' },
    );
    expect(check.stdout).toContain('Manifest schema validation passes');
  });
});
