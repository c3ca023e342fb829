import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { freePort } from '../../test/support/process.js';
import { SERVERS_DIR, ROOT } from './paths.js';
import { spawnPinned, stopPinned, waitForOk } from './proc.js';
import { nodeArgsFrom, productionNodeOptions } from './runtime.js';
import type { Target } from './target.js';

/** Starts the comparison servers: (a) bare Koa, (b) SDK v1's stateless shape and (b2) SDK v2's, both with jose. */

export interface BaselineOptions {
  cpu: number | undefined;
  files: { fixedCall: string; fixedList: string; tools: string; callResult: string };
  nodeArgs?: string[];
}

const baseEnv = (port: number): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  NODE_ENV: 'production',
  PORT: String(port),
  // The same runtime flags as (c) (production's, from fly.toml) unless overridden for an experiment.
  NODE_OPTIONS: process.env.BENCH_BASELINE_NODE_OPTIONS ?? productionNodeOptions(),
});

async function startServer(
  key: 'a' | 'b' | 'b2',
  file: string,
  env: Record<string, string>,
  opts: BaselineOptions,
  auth?: string,
): Promise<Target> {
  const port = Number(env.PORT);
  // The same node flags as (c) (the Dockerfile's CMD) unless overridden for an experiment.
  const runtimeArgs = nodeArgsFrom(process.env.BENCH_BASELINE_NODE_ARGS);
  const proc = spawnPinned(process.execPath, [...runtimeArgs, ...(opts.nodeArgs ?? []), `${SERVERS_DIR}${file}`], {
    cpu: opts.cpu,
    env,
    cwd: ROOT,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/ready`, performance.now(), proc);
  return { key, url, mcpPath: '/mcp', authorization: auth, proc, stop: () => stopPinned(proc) };
}

export async function startBareKoa(opts: BaselineOptions): Promise<Target> {
  const env = { ...baseEnv(await freePort()), BENCH_FIXED_CALL: opts.files.fixedCall, BENCH_FIXED_LIST: opts.files.fixedList };
  return startServer('a', 'bare-koa.js', env, opts);
}

/**
 * (b) trusts a key pair made here; its token carries the same claims ours do (iss, aud = the MCP
 * URL, sub, scope, client_id, typ at+jwt, 1 h), so verification does the same work.
 */
export async function startSdkStateless(opts: BaselineOptions, line: 'v1' | 'v2' = 'v1'): Promise<Target> {
  const port = await freePort();
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = 'bench-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const issuer = 'http://bench.local';
  const audience = `http://127.0.0.1:${port}/mcp`;
  const token = await new SignJWT({ scope: 'intervals:read intervals:write', client_id: 'bench-client' })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(randomUUID())
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);
  const env = {
    ...baseEnv(port),
    BENCH_TOOLS: opts.files.tools,
    BENCH_CALL_RESULT: opts.files.callResult,
    BENCH_JWKS: JSON.stringify({ keys: [jwk] }),
    BENCH_ISSUER: issuer,
    BENCH_AUDIENCE: audience,
  };
  return line === 'v1'
    ? startServer('b', 'sdk-stateless.js', env, opts, `Bearer ${token}`)
    : startServer('b2', 'sdk-v2-stateless.js', env, opts, `Bearer ${token}`);
}
