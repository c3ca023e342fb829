/**
 * `npm run tool-sizes`: the default output size of every tool, measured by calling each one through
 * the real MCP client against the Intervals.icu stand-in (seeded with test/fakes/intervals/samples).
 * A tool's default output is the text it returns without `format: "json"`; that is what a model
 * reads. The budget is 8 KB per call; the script exits 1 if a tool is over it, fails, or has no
 * sample arguments here. The structured result's size is reported alongside for reference.
 */
import { cpSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startFakeIntervals } from '../test/fakes/intervals/index.js';
import { connectTools, type ToolHarness } from '../test/support/mcp-harness.js';
import type { Toolset } from '../src/mcp/tool.js';
import { toolsBySet } from '../src/mcp/toolsets.js';

export const LIMIT_BYTES = 8 * 1024;

/**
 * tools/list is read into the model's context on every conversation; these keep it lean. It was
 * 114 KB before issue 6; the schema compaction (src/mcp/schema-compact.ts) brought it to ~76 KB, and
 * output schemas listing only the result's own fields plus shared wording said once in the server
 * instructions (athlete_id, dates, format) brought it to 49.8 KB. Issue 17 splits the tools into
 * toolsets (src/mcp/toolsets.ts): a connection carries `core` by default and opts into the rest, so
 * the core set is what every conversation pays (≤ 20 KB) and the full set may grow to 60 KB.
 * The largest entries are write tools whose inputs carry bounds and workout syntax the model needs.
 */
export const LIST_LIMIT_BYTES = 60 * 1024;
export const CORE_LIST_LIMIT_BYTES = 20 * 1024;
export const LIST_TOOL_LIMIT_BYTES = 3.5 * 1024;

/** One tool's share of the tools/list answer (bytes of compact JSON). */
export interface ToolListSize {
  name: string;
  totalBytes: number;
  descriptionBytes: number;
  inputSchemaBytes: number;
  outputSchemaBytes: number;
}

export interface ToolListSizes {
  /** The whole `{ tools: [...] }` result as a client receives it. */
  totalBytes: number;
  /** The same answer holding only one toolset's entries (what a connection with only that set pays, core aside). */
  bySet: Record<Toolset, number>;
  tools: ToolListSize[];
}

const jsonBytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v ?? null), 'utf8');

/** Size of the tools/list answer, in total and per tool, as the MCP client receives it. */
export async function measureToolList(): Promise<ToolListSizes> {
  const fake = await startFakeIntervals();
  const h = await connectTools({ fake });
  try {
    const result = await h.client.listTools();
    const sets = toolsBySet();
    const bySet = Object.fromEntries(
      Object.entries(sets).map(([set, defs]) => {
        const names = new Set(defs.map((d) => d.name));
        return [set, jsonBytes({ ...result, tools: result.tools.filter((t) => names.has(t.name)) })];
      }),
    ) as Record<Toolset, number>;
    return {
      totalBytes: jsonBytes(result),
      bySet,
      tools: result.tools.map((t) => ({
        name: t.name,
        totalBytes: jsonBytes(t),
        descriptionBytes: Buffer.byteLength(t.description ?? '', 'utf8'),
        inputSchemaBytes: jsonBytes(t.inputSchema),
        outputSchemaBytes: jsonBytes(t.outputSchema),
      })),
    };
  } finally {
    await h.close();
    await fake.close();
  }
}

export interface ToolSize {
  name: string;
  textBytes: number;
  structuredBytes: number;
  error: string | null;
}

type Args = Record<string, unknown>;
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const ACTIVITY = 'i189807578'; // activity-detail-run.json / activities-list.json
const EVENT = 123780516; // event-workout-with-doc.json

async function futureEvent(h: ToolHarness, name: string): Promise<number> {
  const out = await h.structured<{ event: { id: number } }>('create_event', {
    date: inDays(30),
    name,
    type: 'Ride',
    description: '- 20m 60%',
  });
  return out.event.id;
}

/**
 * Arguments per tool: the realistic default call (ranges wide enough to cover the samples).
 * Tools not listed are called with no arguments; one that then fails shows up as an error.
 */
export const SAMPLE_ARGS: Record<string, Args | ((h: ToolHarness) => Promise<Args>)> = {
  get_activities: { oldest: '2026-09-01', newest: '2026-09-30' },
  get_activity: { activity_id: ACTIVITY },
  get_activity_intervals: { activity_id: ACTIVITY },
  get_activity_streams: { activity_id: ACTIVITY },
  get_activity_best_efforts: { activity_id: ACTIVITY, metric: 'hr', durations_s: [5, 60, 300, 1200] },
  get_activity_histogram: { activity_id: ACTIVITY, kind: 'hr' },
  get_activity_messages: { activity_id: ACTIVITY },
  add_activity_message: { activity_id: ACTIVITY, content: 'Nice pacing.' },
  update_activity: { activity_id: ACTIVITY, name: 'Morning run' },
  search_activities: { query: 'run' },
  search_intervals: { min_secs: 60, max_secs: 600, min_intensity: 80, max_intensity: 120 },
  get_wellness: { oldest: '2026-09-01', newest: '2026-09-30' },
  update_wellness: { date: inDays(0), weight_kg: 70 },
  get_events: { oldest: '2026-05-01', newest: '2026-07-31' },
  get_event: { event_id: EVENT },
  create_event: {
    date: inDays(20),
    name: 'Sweet spot',
    type: 'Ride',
    description: 'Warmup\n- 10m ramp 50-75%\n\nMain set 3x\n- 12m 88-93%\n- 4m 55%\n\n- 10m 50%',
  },
  update_event: async (h) => ({ event_id: await futureEvent(h, 'To update'), name: 'Updated' }),
  bulk_create_events: {
    events: [1, 2, 3, 4, 5, 6, 7].map((d) => ({
      date: inDays(40 + d),
      name: `Day ${d}`,
      type: 'Ride',
      description: '- 1h Z2',
      external_id: `sizes-${d}`,
    })),
  },
  duplicate_events: { event_ids: [EVENT], copies: 4 },
  delete_event: async (h) => ({ event_id: await futureEvent(h, 'To delete') }),
  delete_events: { oldest: '2026-05-01', newest: inDays(60), dry_run: true },
  get_workout_library: { folder_id: 501 },
  create_workout: { folder_id: 501, name: 'Sprints', type: 'Ride', description: '- 15m 60%\n\n6x\n- 20s 150%\n- 4m 50%\n\n- 10m 50%' },
  apply_training_plan: { folder_id: 502, start_date: inDays(70) },
  manage_library: { action: 'delete_folder', folder_id: 502 },
  project_fitness: {
    sessions: [
      { date: inDays(3), load: 120 },
      { date: inDays(5), load: 90 },
    ],
    until: inDays(21),
  },
  compare_training: { activity_id: 'i170317118' },
  write_activity: { action: 'set_intervals', activity_id: 'i170317118', intervals: [{ start_s: 600, end_s: 1320 }], dry_run: true },
  predict_race: { distance_m: 10_000 },
  check_workout: { text: 'Warmup\n- 10m ramp 50-75%\n\nMain set 3x\n- 12m 88-93%\n- 4m 55%\n\n- 10m 50%', type: 'Ride' },
  update_gear: { gear_id: '71459', reminder: { name: 'Replace shoes', every_km: 700 } },
  update_sport_settings: { sport: 'Ride', ftp_w: 210 },
};

export async function measureToolSizes(): Promise<ToolSize[]> {
  const fake = await startFakeIntervals();
  const h = await connectTools({ fake });
  try {
    const { tools } = await h.client.listTools();
    const sizes: ToolSize[] = [];
    for (const tool of tools) {
      const spec = SAMPLE_ARGS[tool.name] ?? {};
      const args = typeof spec === 'function' ? await spec(h) : spec;
      const r = await h.call(tool.name, args);
      const first = r.content[0];
      const text = first?.type === 'text' ? first.text : '';
      sizes.push({
        name: tool.name,
        textBytes: Buffer.byteLength(text, 'utf8'),
        structuredBytes: Buffer.byteLength(JSON.stringify(r.structuredContent ?? null), 'utf8'),
        error: r.isError ? text.slice(0, 200) : null,
      });
    }
    return sizes;
  } finally {
    await h.close();
    await fake.close();
  }
}

function report(sizes: ToolSize[]): string {
  const rows = [...sizes].sort((a, b) => b.textBytes - a.textBytes);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(8);
  return [
    `${'tool'.padEnd(28)} ${'text'.padStart(8)} ${'structured'.padStart(10)}  status`,
    ...rows.map(
      (s) =>
        `${s.name.padEnd(28)} ${kb(s.textBytes)} ${kb(s.structuredBytes).padStart(10)}  ${s.error ? `ERROR ${s.error}` : s.textBytes > LIMIT_BYTES ? 'OVER 8 KB' : 'ok'}`,
    ),
    `${sizes.length} tools; budget ${LIMIT_BYTES / 1024} KB of text per default call.`,
  ].join('\n');
}

function listReport(list: ToolListSizes): string {
  const rows = [...list.tools].sort((a, b) => b.totalBytes - a.totalBytes);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(8);
  return [
    `${'tools/list entry'.padEnd(28)} ${'total'.padStart(8)} ${'descr'.padStart(8)} ${'input'.padStart(8)} ${'output'.padStart(8)}`,
    ...rows.map(
      (t) =>
        `${t.name.padEnd(28)} ${kb(t.totalBytes)} ${kb(t.descriptionBytes)} ${kb(t.inputSchemaBytes)} ${kb(t.outputSchemaBytes)}${t.totalBytes > LIST_TOOL_LIMIT_BYTES ? '  OVER' : ''}`,
    ),
    `tools/list: ${(list.totalBytes / 1024).toFixed(1)} KB in total; budget ${LIST_LIMIT_BYTES / 1024} KB, ${LIST_TOOL_LIMIT_BYTES / 1024} KB per tool.`,
    `per toolset: ${Object.entries(list.bySet)
      .map(([set, bytes]) => `${set} ${(bytes / 1024).toFixed(1)} KB`)
      .join(', ')}; core budget ${CORE_LIST_LIMIT_BYTES / 1024} KB.`,
  ].join('\n');
}

async function main(): Promise<void> {
  // Compiled into dist/: the stand-in reads its samples next to its own compiled file.
  const from = fileURLToPath(new URL('../../test/fakes/intervals/samples', import.meta.url));
  const to = fileURLToPath(new URL('../test/fakes/intervals/samples', import.meta.url));
  if (existsSync(from) && from !== to) cpSync(from, to, { recursive: true });
  const sizes = await measureToolSizes();
  console.log(report(sizes));
  const list = await measureToolList();
  console.log(`\n${listReport(list)}`);
  const listOver =
    list.totalBytes > LIST_LIMIT_BYTES ||
    list.bySet.core > CORE_LIST_LIMIT_BYTES ||
    list.tools.some((t) => t.totalBytes > LIST_TOOL_LIMIT_BYTES);
  if (listOver || sizes.some((s) => s.error !== null || s.textBytes > LIMIT_BYTES)) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
