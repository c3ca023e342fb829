// Runs in the browser: the host side of MCP Apps built on ext-apps' own AppBridge, as a chat client
// embeds a view. Bundled by esbuild for the page (test/support/views-host/index.ts); tool calls the
// view makes go to `hostCallTool`, which the test exposes from Node, where the SDK client holds the
// person's token. The view gets a sandboxed iframe (scripts only, opaque origin) whose CSP allows
// no network at all, as the resource's empty CSP declares.
import { AppBridge, PostMessageTransport, type McpUiStyles } from '@modelcontextprotocol/ext-apps/app-bridge';

declare global {
  interface Window {
    hostCallTool(params: unknown): Promise<unknown>;
    mountView(opts: MountOptions): Promise<void>;
    setTheme(theme: 'light' | 'dark'): Promise<void>;
    viewEvents: string[];
  }
}

interface MountOptions {
  html: string;
  /** The tool as listed, handed to the view as hostContext.toolInfo. */
  tool: Record<string, unknown>;
  toolArguments: Record<string, unknown>;
  toolResult: Record<string, unknown>;
  theme: 'light' | 'dark';
  width: number;
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
const THEMES = {
  light: {
    '--color-background-primary': '#ffffff',
    '--color-text-primary': '#1f2328',
    '--color-text-secondary': '#4b535c',
    '--color-border-primary': '#d0d7de',
  },
  dark: {
    '--color-background-primary': '#1b1c1f',
    '--color-text-primary': '#e8e9ea',
    '--color-text-secondary': '#b4b8be',
    '--color-border-primary': '#3d4046',
  },
};
let bridge: AppBridge | undefined;
window.viewEvents = [];

const contextOf = (theme: 'light' | 'dark', width: number) => ({
  theme,
  styles: { variables: THEMES[theme] as McpUiStyles },
  containerDimensions: { width, maxHeight: 2000 },
  displayMode: 'inline' as const,
});

window.mountView = async ({ html, tool, toolArguments, toolResult, theme, width }) => {
  document.body.style.background = THEMES[theme]['--color-background-primary'];
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.title = 'MCP App view';
  iframe.style.cssText = `width:${width}px;height:1400px;border:0;display:block`;
  document.body.replaceChildren(iframe);
  bridge = new AppBridge(
    null,
    { name: 'test-host', version: '1.0.0' },
    { serverTools: {} },
    { hostContext: { ...contextOf(theme, width), toolInfo: { tool: tool as never } } },
  );
  bridge.oncalltool = async (params) => {
    window.viewEvents.push(`tools/call ${JSON.stringify(params)}`);
    return (await window.hostCallTool(params)) as never;
  };
  bridge.onsizechange = ({ height }) => {
    if (height) iframe.style.height = `${height}px`;
  };
  const initialized = new Promise<void>((resolve) => (bridge!.oninitialized = () => resolve()));
  // The bridge listens before the document loads: the view says ui/initialize as soon as it runs.
  // (The iframe's WindowProxy stays the same object across the srcdoc navigation.)
  await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  iframe.srcdoc = html.replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${CSP}">`);
  await initialized;
  window.viewEvents.push('initialized');
  await bridge.sendToolInput({ arguments: toolArguments });
  await bridge.sendToolResult(toolResult as never);
};

window.setTheme = async (theme) => {
  document.body.style.background = THEMES[theme]['--color-background-primary'];
  await bridge?.sendHostContextChange({ theme, styles: { variables: THEMES[theme] as McpUiStyles } });
};
