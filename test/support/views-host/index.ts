import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import type { Client } from '@modelcontextprotocol/client';
import type { Browser, Frame, Page } from 'playwright-core';
import { ROOT } from '../process.js';

/** The host page's script (host-page.ts with AppBridge), bundled once per test file. */
let hostScript: Promise<string> | undefined;
function bundleHost(): Promise<string> {
  hostScript ??= build({
    entryPoints: [`${ROOT}test/support/views-host/host-page.ts`],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return hostScript;
}

export interface ViewHost {
  page: Page;
  /** The view's frame, once mounted. */
  view(): Frame;
  /** What the view asked of the host (tools/call …) in order. */
  events(): Promise<string[]>;
  /** Calls `tool` through the client (as the model would), reads the linked ui:// view and shows it with the result. */
  show(tool: string, args: Record<string, unknown>, opts?: { theme?: 'light' | 'dark'; width?: number }): Promise<void>;
  setTheme(theme: 'light' | 'dark'): Promise<void>;
  close(): Promise<void>;
}

/**
 * A chat host in headless Chromium: ext-apps' AppBridge in the page, and the v2 SDK client in Node
 * holding one person's connection to our /mcp. The view's tools/call requests cross the bridge and
 * go out through that same client, as a host forwards them.
 */
export async function openViewHost(browser: Browser, client: Client): Promise<ViewHost> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  await page.exposeFunction('hostCallTool', (params: { name: string; arguments?: Record<string, unknown> }) =>
    client.callTool({ name: params.name, arguments: params.arguments ?? {} }),
  );
  await page.setContent('<!doctype html><html><head><title>Test host</title></head><body style="margin:0"></body></html>');
  await page.addScriptTag({ content: await bundleHost() });
  const { tools } = await client.listTools();
  return {
    page,
    view: () => page.frames().find((f) => f !== page.mainFrame())!,
    events: () => page.evaluate(() => window.viewEvents),
    async show(tool, args, opts = {}) {
      const listed = tools.find((t) => t.name === tool);
      const uri = (listed?._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri;
      if (!uri) throw new Error(`${tool} links no view for this client`);
      const result = await client.callTool({ name: tool, arguments: args });
      const { contents } = await client.readResource({ uri });
      const html = (contents[0] as { text: string }).text;
      await page.setViewportSize({ width: (opts.width ?? 900) + 20, height: 900 });
      await page.evaluate((o) => window.mountView(o), {
        html,
        tool: listed as Record<string, unknown>,
        toolArguments: args,
        toolResult: result as Record<string, unknown>,
        theme: opts.theme ?? 'light',
        width: opts.width ?? 900,
      });
    },
    setTheme: (theme) => page.evaluate((t) => window.setTheme(t), theme),
    close: () => context.close(),
  };
}

/** axe-core run inside the view's frame: the violations rated serious or critical. */
export async function seriousA11yViolations(frame: Frame): Promise<{ id: string; impact: string; nodes: number }[]> {
  await frame.evaluate(readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, 'utf8'));
  return frame.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }
    ).axe;
    const r = await axe.run(document);
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
}
