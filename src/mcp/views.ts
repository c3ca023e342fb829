import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESOURCE_MIME_TYPE, registerAppResource } from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/server';
import { packageRoot } from '../package-root.js';

/** The MCP Apps extension a client declares (in `capabilities.extensions`) when it can show views. */
export const UI_EXTENSION = 'io.modelcontextprotocol/ui';

/**
 * MCP Apps views: one self-contained HTML document each (src/views/, built into dist/views/ by
 * scripts/build-views.mjs), shown by the host in a sandboxed iframe and linked from the tool whose
 * result it draws. Clients that did not declare UI_EXTENSION never see the links.
 */
export interface View {
  name: string;
  uri: string;
  title: string;
  /** The tools whose result the view draws (`_meta.ui.resourceUri`). */
  tools: readonly string[];
}

export const VIEWS: readonly View[] = [
  { name: 'fitness', uri: 'ui://intervals/fitness.html', title: 'Fitness chart (CTL / ATL / TSB)', tools: ['get_fitness'] },
  {
    name: 'activity',
    uri: 'ui://intervals/activity.html',
    title: 'Activity chart (streams and intervals)',
    tools: ['get_activity_streams'],
  },
  {
    name: 'curves',
    uri: 'ui://intervals/curves.html',
    title: 'Curves chart (power, HR, pace by duration or distance)',
    tools: ['get_power_curves', 'get_hr_curves', 'get_pace_curves'],
  },
  { name: 'week', uri: 'ui://intervals/week.html', title: 'Week chart (planned workouts vs activities done)', tools: ['get_events'] },
  {
    name: 'wellness',
    uri: 'ui://intervals/wellness.html',
    title: 'Wellness chart (HRV, resting HR, sleep, weight)',
    tools: ['get_wellness'],
  },
];

/** The view linked from a tool, if any. */
export const viewOfTool = (tool: string): View | undefined => VIEWS.find((v) => v.tools.includes(tool));

const html = new Map<string, string>();

/** A view's HTML, read from dist/views/ once per process and then served from memory. */
export function viewHtml(view: View): string {
  let text = html.get(view.name);
  if (text === undefined) {
    const file = join(packageRoot(), 'dist', 'views', `${view.name}.html`);
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`The ${view.name} view is not built (${file} missing); run npm run build.`);
    }
    html.set(view.name, text);
  }
  return text;
}

/**
 * The views as `ui://` resources, through ext-apps' own helper (it sets the MCP Apps MIME type).
 * The CSP declares no origin at all: a view fetches nothing, and its data comes from the host.
 */
export function registerViewResources(server: McpServer): void {
  for (const view of VIEWS) {
    const meta = { ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true } };
    registerAppResource(
      server,
      view.name,
      view.uri,
      { title: view.title, description: `MCP Apps view: ${view.title}.`, _meta: meta },
      async (uri) => ({
        contents: [{ uri: uri.href, mimeType: RESOURCE_MIME_TYPE, text: viewHtml(view), _meta: meta }],
      }),
    );
  }
}
