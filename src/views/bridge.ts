/**
 * The view's side of the MCP Apps protocol (JSON-RPC 2.0 over postMessage with the host window),
 * written small instead of bundling ext-apps' `App` class: App brings the SDK client and zod into
 * the page (~650 KB minified with esbuild, measured; zod alone ~455 KB), four times the 150 KB a
 * view may weigh. This speaks only what the views use — ui/initialize, the tool-input/tool-result
 * and host-context notifications, tools/call, size-changed, teardown — and
 * test/e2e/views-browser.test.ts proves it against ext-apps' own host side (AppBridge).
 */

export interface ToolResult {
  content?: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface HostContext {
  theme?: 'light' | 'dark';
  /** The tool call this view shows (MCP Apps hosts send it in ui/initialize). */
  toolInfo?: { tool?: { name?: string } };
  styles?: { variables?: Record<string, string | undefined> };
}

export interface ViewHandlers {
  onToolInput?(args: Record<string, unknown>): void;
  onToolResult(result: ToolResult): void;
}

const PROTOCOL_VERSION = '2026-01-26';

type Pending = { resolve(v: unknown): void; reject(e: Error): void };

export class HostBridge {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly handlers: ViewHandlers,
    private readonly host: Window = window.parent,
  ) {
    window.addEventListener('message', (event) => {
      if (event.source !== this.host) return; // only the host window speaks to us
      this.receive(event.data as Record<string, unknown>);
    });
  }

  /** The handshake: ui/initialize, apply the host's theme, then tell the host we are ready. */
  async connect(appName: string): Promise<HostContext> {
    const result = (await this.request('ui/initialize', {
      appInfo: { name: appName, version: '1.0.0' },
      appCapabilities: {},
      protocolVersion: PROTOCOL_VERSION,
    })) as { hostContext?: HostContext };
    const context = result.hostContext ?? {};
    applyHostContext(context);
    this.notify('ui/notifications/initialized', {});
    // The content's own height (not the frame's), so a host that sizes the frame to it settles at once.
    let height = 0;
    new ResizeObserver(() => {
      const now = Math.ceil(document.body.getBoundingClientRect().height);
      if (now !== height) this.notify('ui/notifications/size-changed', { height: (height = now) });
    }).observe(document.body);
    return context;
  }

  /** One of our tools, called through the host with the person's own connection. */
  async callTool(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    return (await this.request('tools/call', { name, arguments: args })) as ToolResult;
  }

  private request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.host.postMessage({ jsonrpc: '2.0', id, method, params }, '*');
    });
  }

  private notify(method: string, params: unknown): void {
    this.host.postMessage({ jsonrpc: '2.0', method, params }, '*');
  }

  private receive(msg: Record<string, unknown>): void {
    if (msg?.jsonrpc !== '2.0') return;
    if (typeof msg.method !== 'string') {
      const waiting = this.pending.get(msg.id as number);
      if (!waiting) return;
      this.pending.delete(msg.id as number);
      const error = msg.error as { message?: string } | undefined;
      if (error) waiting.reject(new Error(error.message ?? 'the host refused the request'));
      else waiting.resolve(msg.result);
      return;
    }
    const params = (msg.params ?? {}) as Record<string, unknown>;
    switch (msg.method) {
      case 'ui/notifications/tool-input':
        this.handlers.onToolInput?.((params.arguments ?? {}) as Record<string, unknown>);
        break;
      case 'ui/notifications/tool-result':
        this.handlers.onToolResult(params as ToolResult);
        break;
      case 'ui/notifications/host-context-changed':
        applyHostContext(params as HostContext);
        break;
    }
    // Requests from the host (ping, ui/resource-teardown) want an answer; nothing to clean up here.
    if (msg.id !== undefined) this.host.postMessage({ jsonrpc: '2.0', id: msg.id, result: {} }, '*');
  }
}

/** The host's theme and CSS variables (--color-background-primary …) onto the document. */
function applyHostContext(ctx: HostContext): void {
  const root = document.documentElement;
  if (ctx.theme) {
    root.dataset.theme = ctx.theme;
    root.style.colorScheme = ctx.theme;
  }
  for (const [name, value] of Object.entries(ctx.styles?.variables ?? {})) if (value) root.style.setProperty(name, value);
}

/** Calls `draw` when the frame's width changes (a height change from the host's resize is not a reason to redraw). */
export function onWidthChange(draw: () => void): void {
  let width = window.innerWidth;
  window.addEventListener('resize', () => {
    if (window.innerWidth !== width) {
      width = window.innerWidth;
      draw();
    }
  });
}

/** A tool result's first text block (the error a tool reported, say). */
export const textOf = (r: ToolResult): string => r.content?.find((c) => c.type === 'text')?.text ?? '';
