/**
 * The real `mcp-remote` package (the stdio↔HTTP bridge many desktop MCP clients use) connects to
 * the running service through the full OAuth flow: it discovers our metadata from the 401
 * challenge, registers itself (DCR), and prints the authorization URL; headless Chromium plays the
 * person (development sign-in, consent, link step) and the browser lands on mcp-remote's own
 * loopback callback. Then an SDK client on mcp-remote's stdio lists and calls our tools.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { Browser } from 'playwright-core';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { authorizeInBrowser, launchChromium, linkIntervals, startOAuthService, type OAuthService } from '../support/oauth.js';
import { freePort, ROOT } from '../support/process.js';

const TIMEOUT_MS = 150_000;
let fake: FakeIntervals;
let svc: OAuthService;
let browser: Browser;
let configDir: string;

beforeAll(async () => {
  fake = await startFakeIntervals();
  svc = await startOAuthService({ INTERVALS_API_BASE_URL: fake.url });
  browser = await launchChromium();
  configDir = mkdtempSync(join(tmpdir(), 'mcp-remote-'));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await svc?.close();
  await fake?.close();
  rmSync(configDir, { recursive: true, force: true });
});

describe('mcp-remote through the full OAuth flow', () => {
  it(
    'signs in in a browser, then lists and calls the tools over stdio',
    async () => {
      const callbackPort = await freePort();
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [
          `${ROOT}node_modules/mcp-remote/dist/proxy.js`,
          svc.resource,
          String(callbackPort),
          '--host',
          '127.0.0.1',
          '--transport',
          'http-only',
        ],
        // Its own token store in a temp dir; no desktop to open a browser in (we read the URL instead).
        env: { PATH: process.env.PATH ?? '', HOME: configDir, MCP_REMOTE_CONFIG_DIR: configDir, DISPLAY: '', BROWSER: 'true' },
        stderr: 'pipe',
      });
      let stderr = '';
      const authUrl = new Promise<string>((resolve) => {
        transport.stderr!.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /Please authorize this client by visiting:\s*(\S+)/.exec(stderr);
          if (m) resolve(m[1]!);
        });
      });
      const client = new Client({ name: 'mcp-remote-e2e', version: '1' });
      const connected = client.connect(transport, { timeout: TIMEOUT_MS });
      try {
        const url = await Promise.race([
          authUrl,
          new Promise<string>((_, reject) =>
            setTimeout(() => reject(new Error(`mcp-remote printed no authorization URL:\n${stderr}`)), 60_000),
          ),
        ]);
        expect(new URL(url).origin).toBe(svc.url);
        expect(new URL(url).searchParams.get('resource')).toBe(svc.resource);
        const landed = await authorizeInBrowser(browser, url, `http://127.0.0.1:${callbackPort}/oauth/callback`, {
          email: 'remote@example.com',
          link: linkIntervals(svc, { athleteId: 'i1001', apiKey: 'ann-key-3f9a1c7e5b2d' }),
        });
        expect(landed.searchParams.get('code')).toBeTruthy();
        await connected;
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['get_athlete', 'get_activities']));
        const result = (await client.callTool({ name: 'get_athlete', arguments: {} })) as CallToolResult;
        expect(result.isError).toBeFalsy();
        expect(JSON.stringify(result.content)).toContain('Ann Example');
      } catch (err) {
        throw new Error(`${(err as Error).message}\n--- mcp-remote stderr ---\n${stderr.slice(-4000)}`, { cause: err });
      } finally {
        await client.close().catch(() => undefined);
      }
    },
    TIMEOUT_MS,
  );
});
