/**
 * The MCP conformance suite's authorization-server scenarios (@modelcontextprotocol/conformance,
 * pinned 0.2.0-alpha.12) against the running service. The suite prints an authorization URL for
 * "a person" to open and waits on http://127.0.0.1:<port>/callback; we play the person with the
 * HTTP form walker and deliver the redirect to the suite's callback server.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizeOverHttp, linkIntervals, registerClient, startOAuthService, type OAuthService } from '../../support/oauth.js';
import { freePort, ROOT } from '../../support/process.js';
import { REQ } from '../../../src/auth/requirements.js';

const CONFORMANCE = `${ROOT}node_modules/@modelcontextprotocol/conformance/dist/index.js`;
const TIMEOUT_MS = 90_000;

let svc: OAuthService;
let outDir: string;
beforeAll(async () => {
  svc = await startOAuthService();
  outDir = mkdtempSync(join(tmpdir(), 'as-conformance-'));
});
afterAll(async () => {
  await svc?.close();
  rmSync(outDir, { recursive: true, force: true });
});

describe(`${REQ.AS_DISCOVERY.id} / ${REQ.ISS_PARAMETER.id} MCP conformance: authorization server scenarios`, () => {
  it(
    'authorization-server-metadata-endpoint and authorization-code-grant pass',
    async () => {
      const port = await freePort();
      const client = await registerClient(svc.url, {
        client_name: 'MCP conformance',
        redirect_uris: [`http://127.0.0.1:${port}/callback`],
      });
      const child = spawn(
        process.execPath,
        [
          CONFORMANCE,
          'authorization',
          '--url',
          svc.url,
          '--client-id',
          client.client_id,
          '--resource',
          svc.resource,
          '-p',
          String(port),
          '-o',
          outDir,
        ],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
      const authUrl = new Promise<string>((resolve, reject) => {
        const onData = (d: Buffer) => {
          out += d.toString();
          const m = new RegExp(`^(${svc.url.replace(/[.]/g, '\\.')}/authorize\\?\\S+)$`, 'm').exec(out);
          if (m) resolve(m[1]!);
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
        void exited.then((code) => reject(new Error(`conformance exited (${code}) before asking for the person:\n${out}`)));
      });
      const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS - 5000);
      try {
        const callback = await authorizeOverHttp(await authUrl, { email: 'conformance@example.com', link: linkIntervals(svc) });
        expect(callback.searchParams.get('code')).toBeTruthy();
        await fetch(callback); // hand the redirect to the suite's callback server
        const code = await exited;
        expect({ code, out }).toEqual({ code: 0, out: expect.stringMatching(/Total: \d+ passed, 0 failed/) });
        expect(out).toMatch(/✓ authorization-server-metadata-endpoint: \d+ passed, 0 failed/);
        expect(out).toMatch(/✓ authorization-code-grant: \d+ passed, 0 failed/);
      } finally {
        clearTimeout(timer);
        if (child.exitCode === null) child.kill('SIGTERM');
      }
    },
    TIMEOUT_MS,
  );
});
