import type { AnyToolDef, Toolset } from './tool.js';
import { ALL_TOOLS } from './tools/index.js';

/**
 * The tool groups a connection can carry. Every conversation pays for tools/list in tokens, so
 * `core` holds what most conversations need (read the week, an activity, wellness and fitness; put a
 * workout on the calendar, move or drop it) and stays within 20 KB of tools/list; the rest are
 * opt-in. This module says which tool is in which set and how a choice is written and read (forms,
 * TOOLSETS, the access token's claim). The choice itself is stored per connection
 * (src/accounts/connection-toolsets.ts) and applied by src/mcp/server.ts (what is listed) and
 * src/mcp/tool-binding.ts (what may be called).
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
    summary:
      'Bulk calendar writes and deletes, the workout library and plans, workout-text checks, what-if fitness, sport settings and gear changes.',
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

/** Every set's name, in display order. */
export const TOOLSET_NAMES: readonly Toolset[] = TOOLSETS.map((t) => t.name);

/** The sets a person may turn on or off (core is always on). */
export const OPTIONAL_TOOLSETS: readonly Toolset[] = TOOLSET_NAMES.filter((n) => n !== 'core');

export const isToolset = (name: unknown): name is Toolset =>
  typeof name === 'string' && (TOOLSET_NAMES as readonly string[]).includes(name);

/** A choice made whole: core added, duplicates dropped, in display order. */
export function withCore(sets: Iterable<Toolset>): Toolset[] {
  const chosen = new Set<Toolset>(['core', ...sets]);
  return TOOLSET_NAMES.filter((n) => chosen.has(n));
}

/** Thrown for a toolset name we do not have; the message lists the ones we do. */
export class UnknownToolsetError extends Error {
  readonly code = 'toolset_unknown';
  constructor(readonly names: readonly string[]) {
    super(
      `Unknown tool set${names.length > 1 ? 's' : ''}: ${names.join(', ')}. Choose from ${TOOLSET_NAMES.join(', ')} (core is always on).`,
    );
  }
}

/**
 * Reads a choice typed by a person or an operator: names separated by spaces or commas (an env
 * var, a flag) or a list (form checkboxes); `all` turns every set on. Unknown names are refused,
 * not dropped, so a typo does not silently hide tools.
 */
export function parseToolsets(input: string | readonly string[] | undefined): Toolset[] {
  const words = (typeof input === 'string' ? input.split(/[\s,]+/) : (input ?? []))
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '');
  if (words.includes('all')) return [...TOOLSET_NAMES];
  const unknown = words.filter((w) => !isToolset(w));
  if (unknown.length > 0) throw new UnknownToolsetError(unknown);
  return withCore(words as Toolset[]);
}

/**
 * A choice as a token claim or a cache key: the names in display order, space-separated
 * ("core planning"). Reading it back ignores names it does not know (a token signed by a newer
 * release), so a claim can never widen what a connection sees.
 */
export const TOOLSETS_CLAIM = 'toolsets';
/** Which choice of the connection the token carries (connection_toolsets.revision): older ones are refused. */
export const TOOLSETS_REVISION_CLAIM = 'toolsets_rev';

export const toolsetsClaim = (sets: Iterable<Toolset>): string => withCore(sets).join(' ');

export function toolsetsFromClaim(claim: unknown): Toolset[] {
  if (typeof claim !== 'string') return [...DEFAULT_TOOLSETS];
  return withCore(claim.split(' ').filter(isToolset));
}

/** The sets not in `sets`, with their titles: what the server instructions offer to turn on. */
export const toolsetsOff = (sets: ReadonlySet<Toolset>): ToolsetInfo[] => TOOLSETS.filter((t) => !sets.has(t.name));

/** The refusal for a call to a tool whose set this connection does not carry, naming the set and where to turn it on. */
export function toolsetOffMessage(tool: string, set: Toolset, howToTurnOn: string): string {
  const info = TOOLSETS.find((t) => t.name === set)!;
  return `Error (toolset_off): ${tool} is in the "${set}" tool set (${info.title}), which this connection has not turned on.\nNext step: ask the person to turn on "${set}" ${howToTurnOn}, then call ${tool} again.`;
}
