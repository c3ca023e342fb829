/**
 * The MCP conformance suite's server scenarios (@modelcontextprotocol/conformance, pinned
 * 0.2.0-alpha.12) against the real /mcp with the real tool registry, through a loopback proxy
 * that adds a valid bearer token (test/support/bearer-proxy.ts): auth is never weakened in the
 * product. Scenarios that need the suite's own fixture tools, prompts or resources, or features a
 * stateless server does not offer, are listed with the reason in docs/CONFORMANCE.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { startBearerProxy, type BearerProxy } from '../support/bearer-proxy.js';
import { getTokens, linkIntervals, startOAuthService, type OAuthService } from '../support/oauth.js';
import { ROOT } from '../support/process.js';

const CONFORMANCE = `${ROOT}node_modules/@modelcontextprotocol/conformance/dist/index.js`;
const SCENARIO_TIMEOUT_MS = 60_000;

/**
 * Checks inside applicable scenarios that can only pass against the suite's reference server:
 * they call diagnostic tools (test_missing_capability, test_streaming_elicitation,
 * test_logging_tool) that a product must not ship. The last two passed vacuously under SDK v1,
 * which answered an unknown tool with an isError result; v2 answers it with a -32602 error,
 * and the suite then reports the check as not testable.
 */
const NEEDS_FIXTURE_TOOLS = new Set([
  'sep-2575-server-rejects-undeclared-capability',
  'sep-2575-missing-capability-http-400',
  'sep-2575-http-server-no-independent-requests-on-stream',
  'sep-2575-server-no-log-without-loglevel',
]);

/** Applicable scenarios, with the spec versions they run against. */
const SCENARIOS: [scenario: string, specVersion: string][] = [
  ['server-initialize', '2025-06-18'],
  ['server-initialize', '2025-11-25'],
  ['server-session-lifecycle', '2025-11-25'],
  ['ping', '2025-11-25'],
  ['tools-list', '2025-06-18'],
  ['tools-list', '2025-11-25'],
  ['tools-list', '2026-07-28'],
  ['resources-list', '2025-11-25'],
  ['prompts-list', '2025-11-25'],
  ['prompts-list', '2026-07-28'],
  ['dns-rebinding-protection', '2025-11-25'],
  ['server-stateless', '2026-07-28'],
  ['http-header-validation', '2026-07-28'],
  ['caching', '2026-07-28'],
  ['sep-2164-resource-not-found', '2026-07-28'],
];

let fake: FakeIntervals;
let svc: OAuthService;
let proxy: BearerProxy;
let outRoot: string;
beforeAll(async () => {
  fake = await startFakeIntervals();
  svc = await startOAuthService({ INTERVALS_API_BASE_URL: fake.url });
  const { access_token } = await getTokens(svc, {
    email: 'conformance@example.com',
    scope: 'intervals:read intervals:write',
    link: linkIntervals(svc, { athleteId: 'i1001', apiKey: 'ann-key-3f9a1c7e5b2d' }),
  });
  proxy = await startBearerProxy(svc.url, () => access_token);
  outRoot = mkdtempSync(join(tmpdir(), 'rs-conformance-'));
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await svc?.close();
  await fake?.close();
  rmSync(outRoot, { recursive: true, force: true });
});

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
}

async function runScenario(scenario: string, specVersion: string): Promise<Check[]> {
  const out = mkdtempSync(join(outRoot, `${scenario}-`));
  const child = spawn(
    process.execPath,
    [CONFORMANCE, 'server', '--url', `${proxy.url}/mcp`, '--scenario', scenario, '--spec-version', specVersion, '--force', '-o', out],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGTERM'), SCENARIO_TIMEOUT_MS - 5_000);
  await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const dirs = readdirSync(out);
  if (dirs.length !== 1) throw new Error(`no results for ${scenario}:\n${stderr}`);
  return JSON.parse(readFileSync(join(out, dirs[0]!, 'checks.json'), 'utf8')) as Check[];
}

describe('MCP conformance: server scenarios through an authenticating proxy', () => {
  it.each(SCENARIOS)(
    '%s (%s) passes',
    async (scenario, version) => {
      const checks = await runScenario(scenario, version);
      expect(checks.length).toBeGreaterThan(0);
      const failed = checks.filter((c) => (c.status === 'FAILURE' || c.status === 'WARNING') && !NEEDS_FIXTURE_TOOLS.has(c.id));
      expect(failed.map((c) => `${c.id}: ${c.status} ${c.errorMessage ?? ''}`)).toEqual([]);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
