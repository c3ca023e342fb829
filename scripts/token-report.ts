/**
 * `npm run token-report`: what a conversation pays in bytes (a proxy for tokens, ~4 bytes each)
 * before and while it uses the tools, measured through the real MCP client against the
 * Intervals.icu stand-in (seeded with the recorded samples):
 * - tools/list for a connection carrying each tool set (core alone, core + one set, every set),
 *   and every tool's share of it;
 * - the default result (compact text, no `format: "json"`) of every tool;
 * - a scripted session of ten everyday requests, each as the tool calls a model would make.
 * Budgets (src/mcp/toolsets.ts): core ≤ 20 KB of tools/list, every set ≤ 60 KB, and ≤ 4 KB for the
 * default result of each tool the session uses. Exits 1 when one is exceeded or a call fails.
 * The figures are kept, dated, in docs/PERFORMANCE.md.
 */
import { cpSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Toolset } from '../src/mcp/tool.js';
import { OPTIONAL_TOOLSETS, TOOLSET_NAMES, toolsBySet } from '../src/mcp/toolsets.js';
import { startFakeIntervals, type FakeIntervals } from '../test/fakes/intervals/index.js';
import { connectTools, textOf, type ToolHarness } from '../test/support/mcp-harness.js';
import { CORE_LIST_LIMIT_BYTES, LIST_LIMIT_BYTES, measureToolList, measureToolSizes, SAMPLE_ARGS, type ToolSize } from './tool-sizes.js';

/** The default result of a tool used in everyday requests stays under this (issue 17). */
export const SESSION_RESULT_LIMIT_BYTES = 4 * 1024;

type Args = Record<string, unknown>;
const ACTIVITY = 'i189807578'; // activity-detail-run.json: the newest activity in the samples

/** One request of the session: what the person says, and the calls a model answers it with. */
interface Step {
  ask: string;
  calls: { tool: string; args: Args | ((h: ToolHarness) => Promise<Args>) }[];
}

const sample = (tool: string): Args | ((h: ToolHarness) => Promise<Args>) => SAMPLE_ARGS[tool] ?? {};

export const SESSION: readonly Step[] = [
  { ask: 'how was my week', calls: [{ tool: 'get_training_summary', args: { days: 7 } }] },
  {
    ask: 'analyse my last ride',
    calls: [
      { tool: 'get_activities', args: sample('get_activities') },
      { tool: 'get_activity', args: { activity_id: ACTIVITY } },
      { tool: 'get_activity_intervals', args: { activity_id: ACTIVITY } },
    ],
  },
  { ask: "what's my fitness trend", calls: [{ tool: 'get_fitness', args: {} }] },
  { ask: 'how did I sleep', calls: [{ tool: 'get_wellness', args: sample('get_wellness') }] },
  {
    ask: 'plan next week',
    calls: [
      { tool: 'get_events', args: sample('get_events') },
      { tool: 'bulk_create_events', args: sample('bulk_create_events') },
    ],
  },
  {
    ask: "move Thursday's workout",
    calls: [
      { tool: 'get_events', args: sample('get_events') },
      { tool: 'update_event', args: sample('update_event') },
    ],
  },
  { ask: "compare this season's power curve with last", calls: [{ tool: 'get_power_curves', args: { curves: ['s0', 's1'] } }] },
  {
    ask: "am I ready for Saturday's race",
    calls: [
      { tool: 'get_training_summary', args: {} },
      { tool: 'predict_race', args: sample('predict_race') },
    ],
  },
  { ask: 'what gear needs service', calls: [{ tool: 'get_gear', args: {} }] },
  { ask: 'summarise my athletes', calls: [{ tool: 'get_coach_roster', args: {} }] },
];

export interface SessionCall {
  ask: string;
  tool: string;
  textBytes: number;
  error: string | null;
}

/** Runs the scripted session on a connection carrying every set (the requests span them all). */
export async function runSession(fake: FakeIntervals): Promise<SessionCall[]> {
  const h = await connectTools({ fake });
  try {
    const out: SessionCall[] = [];
    for (const step of SESSION) {
      for (const call of step.calls) {
        const args = typeof call.args === 'function' ? await call.args(h) : call.args;
        const r = await h.call(call.tool, args);
        const text = textOf(r);
        out.push({
          ask: step.ask,
          tool: call.tool,
          textBytes: Buffer.byteLength(text, 'utf8'),
          error: r.isError ? text.slice(0, 200) : null,
        });
      }
    }
    return out;
  } finally {
    await h.close();
  }
}

/** tools/list bytes as a connection carrying `sets` receives it (the connection's real answer). */
export async function listBytesFor(fake: FakeIntervals, sets: readonly Toolset[]): Promise<{ bytes: number; tools: number }> {
  const h = await connectTools({ fake, toolsets: sets });
  try {
    const result = await h.client.listTools();
    return { bytes: Buffer.byteLength(JSON.stringify(result), 'utf8'), tools: result.tools.length };
  } finally {
    await h.close();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const bytes = (n: number) => `${n} B`;

export async function tokenReport(): Promise<{ text: string; over: boolean }> {
  const fake = await startFakeIntervals();
  try {
    const lines: string[] = [`token report ${new Date().toISOString().slice(0, 10)} (bytes of compact JSON / text; ≈ 4 bytes a token)`, ''];
    let over = false;

    lines.push('tools/list per connection:');
    const choices: [string, readonly Toolset[]][] = [
      ['core', ['core']],
      ...OPTIONAL_TOOLSETS.map((s): [string, Toolset[]] => [`core + ${s}`, ['core', s]]),
      ['every set', TOOLSET_NAMES],
    ];
    for (const [label, sets] of choices) {
      const { bytes: size, tools } = await listBytesFor(fake, sets);
      const budget = label === 'core' ? CORE_LIST_LIMIT_BYTES : label === 'every set' ? LIST_LIMIT_BYTES : undefined;
      const flag = budget !== undefined && size > budget ? '  OVER' : '';
      over ||= flag !== '';
      lines.push(
        `  ${label.padEnd(18)} ${String(tools).padStart(3)} tools ${String(size).padStart(7)} B = ${kb(size).padStart(8)}${budget ? ` (budget ${kb(budget)})` : ''}${flag}`,
      );
    }

    const list = await measureToolList();
    const setOf = new Map<string, Toolset>();
    for (const [set, defs] of Object.entries(toolsBySet())) for (const d of defs) setOf.set(d.name, set as Toolset);
    const results = new Map<string, ToolSize>((await measureToolSizes()).map((s) => [s.name, s]));
    lines.push(
      '',
      `${'tool'.padEnd(28)} ${'set'.padEnd(9)} ${'list'.padStart(8)} ${'result'.padStart(8)}  (bytes: its tools/list entry; its default result on the samples)`,
    );
    for (const t of [...list.tools].sort((a, b) =>
      setOf.get(a.name)! < setOf.get(b.name)! ? -1 : setOf.get(a.name)! > setOf.get(b.name)! ? 1 : b.totalBytes - a.totalBytes,
    )) {
      const r = results.get(t.name);
      lines.push(
        `${t.name.padEnd(28)} ${setOf.get(t.name)!.padEnd(9)} ${bytes(t.totalBytes).padStart(8)} ${r ? bytes(r.textBytes).padStart(8) : '       —'}${r?.error ? `  ERROR ${r.error}` : ''}`,
      );
      over ||= Boolean(r?.error);
    }

    lines.push('', 'scripted session (default results):');
    const session = await runSession(fake);
    let total = 0;
    for (const c of session) {
      total += c.textBytes;
      const flag = c.error ? `  ERROR ${c.error}` : c.textBytes > SESSION_RESULT_LIMIT_BYTES ? '  OVER 4 KB' : '';
      over ||= flag !== '';
      lines.push(`  ${`"${c.ask}"`.padEnd(48)} ${c.tool.padEnd(22)} ${bytes(c.textBytes).padStart(8)}${flag}`);
    }
    lines.push(
      `  ${session.length} calls, ${total} B = ${kb(total)} of results in all; budget ${kb(SESSION_RESULT_LIMIT_BYTES)} per result.`,
    );
    return { text: lines.join('\n'), over };
  } finally {
    await fake.close();
  }
}

async function main(): Promise<void> {
  // Compiled into dist/: the stand-in reads its samples next to its own compiled file.
  const from = fileURLToPath(new URL('../../test/fakes/intervals/samples', import.meta.url));
  const to = fileURLToPath(new URL('../test/fakes/intervals/samples', import.meta.url));
  if (existsSync(from) && from !== to) cpSync(from, to, { recursive: true });
  const { text, over } = await tokenReport();
  console.log(text);
  if (over) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
