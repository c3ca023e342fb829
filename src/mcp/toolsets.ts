import type { AnyToolDef, Toolset } from './tool.js';
import { ALL_TOOLS } from './tools/index.js';

/**
 * The tool groups a connection can carry. Every conversation pays for tools/list in tokens, so
 * `core` holds what most conversations need (read the week, an activity, wellness and fitness; put a
 * workout on the calendar, move or drop it) and stays within 20 KB of tools/list; the rest are
 * opt-in. The connection's choice (consent page, /account, per grant) filters tools/list and
 * tools/call elsewhere; this module only says which tool is in which set.
 */
export interface ToolsetInfo {
  name: Toolset;
  title: string;
  /** One sentence for the consent page and the server instructions. */
  summary: string;
}

export const TOOLSETS: readonly ToolsetInfo[] = [
  { name: 'core', title: 'Core', summary: 'Activities, wellness, fitness, the calendar and gear: always on.' },
  {
    name: 'planning',
    title: 'Planning and authoring',
    summary: 'Bulk calendar writes and deletes, the workout library and plans, workout-text checks, what-if fitness, sport settings and gear changes.',
  },
  { name: 'coach', title: 'Coach', summary: 'Athletes you coach: the roster, messages on activities.' },
  {
    name: 'analysis',
    title: 'Analysis deep-dives',
    summary: 'Streams, intervals, curves, comparisons, planned vs actual, race predictions and activity write-backs.',
  },
];

export const DEFAULT_TOOLSETS: readonly Toolset[] = ['core'];

/** The tools of each set, in tools/list order. */
export function toolsBySet(tools: readonly AnyToolDef[] = ALL_TOOLS): Record<Toolset, AnyToolDef[]> {
  const out: Record<Toolset, AnyToolDef[]> = { core: [], planning: [], coach: [], analysis: [] };
  for (const t of tools) out[t.toolset].push(t);
  return out;
}

/** The tools a connection carrying `sets` sees (core always included). */
export function toolsFor(sets: readonly Toolset[], tools: readonly AnyToolDef[] = ALL_TOOLS): AnyToolDef[] {
  const chosen = new Set<Toolset>(['core', ...sets]);
  return tools.filter((t) => chosen.has(t.toolset));
}

/** The set a tool name belongs to, or undefined for an unknown name (for "turn on <set>" errors). */
export function toolsetOf(name: string, tools: readonly AnyToolDef[] = ALL_TOOLS): Toolset | undefined {
  return tools.find((t) => t.name === name)?.toolset;
}
