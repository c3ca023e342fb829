import { describe, expect, it } from '@jest/globals';
import { TOOLSET_NAMES } from '../../../src/mcp/toolsets.js';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, type CallToolResult, type ElicitRequestFormParams, type ElicitResult } from '@modelcontextprotocol/server';
import { createIntervalsClient } from '../../../src/intervals/client.js';
import { ReadCache } from '../../../src/intervals/read-cache.js';
import { Throttle } from '../../../src/intervals/throttle.js';
import type { ToolContext } from '../../../src/mcp/context.js';
import { createToolRegistry } from '../../../src/mcp/server.js';
import { READ_WRITE, textOf, type ToolHarness } from '../../support/mcp-tools.js';
import { useToolSuite, type ToolSuite } from '../../support/tool-suite.js';

/**
 * Writes that need a yes (deleting past calendar items, deleting library items) ask the person
 * when the client can show a question (form elicitation), and go ahead only on accept; a client
 * that cannot ask keeps the `confirm: true` rule. The sample events are in 2026-05/07, i.e. past.
 */
const suite = useToolSuite();

const PAST_ID = 107665964; // 2026-05-02 in events-list-trimmed.json
const FOLDER_ID = 502; // a folder with workouts in the library sample

interface DeleteOut {
  deleted: { id: number }[];
  skipped: { id: number; reason: string }[];
  hints: Record<string, string>;
}

/** A person who answers every question with `action` and remembers what they were asked. */
function person(action: ElicitResult['action']) {
  const asked: ElicitRequestFormParams[] = [];
  return { asked, answer: (params: ElicitRequestFormParams): ElicitResult => (asked.push(params), { action }) };
}

const deletesOf = (s: ToolSuite, path: string) => s.fake.requestsTo('DELETE', path).length + s.fake.requestsTo('PUT', path).length;

describe('a 2026-07-28 client that can ask the person (input-required, no session)', () => {
  it('asks before deleting a past event, naming it, and deletes it on accept', async () => {
    const p = person('accept');
    const tools = await suite.connect({ era: 'modern', elicitation: p.answer });
    suite.fake.requests.length = 0;
    const out = await tools.structured<DeleteOut>('delete_event', { event_id: PAST_ID });
    expect(p.asked).toHaveLength(1);
    expect(p.asked[0]!.message).toMatch(
      new RegExp(`^Delete 1 calendar item\\(s\\) of athlete i1001 .*\\n#${PAST_ID} 2026-05-02 .*\\(today or earlier\\)`),
    );
    expect(p.asked[0]!.requestedSchema).toEqual({ type: 'object', properties: {} });
    expect(out.deleted.map((d) => d.id)).toEqual([PAST_ID]);
    expect(suite.fake.requestsTo('DELETE', `/athlete/i1001/events/${PAST_ID}`)).toHaveLength(1);
  });

  it('asks again when what would be deleted changed between the question and the answer', async () => {
    const asked: string[] = [];
    const tools: ToolHarness = await suite.connect({
      era: 'modern',
      elicitation: async ({ message }) => {
        asked.push(message);
        // Meanwhile another event lands in the range (here through the same connection).
        if (asked.length === 1)
          await tools.structured('create_event', { date: '2026-08-12', name: 'Sneaked in', type: 'Ride', description: '- 20m 55%' });
        return { action: 'accept' };
      },
    });
    const first = await tools.structured<{ event: { id: number } }>('create_event', {
      date: '2026-08-10',
      name: 'Shown',
      type: 'Ride',
      description: '- 20m 55%',
    });
    const out = await tools.structured<DeleteOut>('delete_events', { oldest: '2026-08-01', newest: '2026-08-31' });
    expect(asked).toHaveLength(2);
    expect(asked[0]).not.toContain('Sneaked in');
    expect(asked[1]).toMatch(/^Delete 2 calendar item\(s\)/);
    expect(asked[1]).toContain('Sneaked in');
    expect(out.deleted.map((d) => d.id)).toEqual(expect.arrayContaining([first.event.id]));
    expect(out.deleted).toHaveLength(2);
  });

  it.each(['decline', 'cancel'] as const)('on %s deletes nothing, even with confirm: true from the model', async (action) => {
    const p = person(action);
    const tools = await suite.connect({ era: 'modern', elicitation: p.answer });
    suite.fake.requests.length = 0;
    const r = await tools.call('delete_events', { oldest: '2026-05-01', newest: '2026-05-31', confirm: true });
    expect(p.asked).toHaveLength(1);
    const out = r.structuredContent as unknown as DeleteOut;
    expect(out.deleted).toEqual([]);
    expect(out.skipped.length).toBeGreaterThan(0);
    expect(new Set(out.skipped.map((s) => s.reason))).toEqual(new Set(['declined']));
    expect(textOf(r)).toContain('declined when asked');
    expect(suite.fake.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('does not ask when nothing needs a yes (future events, dry runs)', async () => {
    const p = person('decline');
    const tools = await suite.connect({ era: 'modern', elicitation: p.answer });
    const future = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
    const made = await tools.structured<{ event: { id: number } }>('create_event', {
      date: future,
      name: 'Soon gone',
      type: 'Ride',
      description: '- 30m 60%',
    });
    const past = await tools.structured<{ event: { id: number } }>('create_event', {
      date: '2026-05-19',
      name: 'Kept',
      type: 'Ride',
      description: '- 30m 60%',
    });
    const dry = await tools.structured<DeleteOut>('delete_event', { event_id: past.event.id, dry_run: true });
    expect(dry.skipped).toEqual([expect.objectContaining({ id: past.event.id, reason: 'not_future' })]);
    const out = await tools.structured<DeleteOut>('delete_event', { event_id: made.event.id });
    expect(out.deleted.map((d) => d.id)).toEqual([made.event.id]);
    expect(p.asked).toEqual([]);
  });

  it('manage_library asks before deleting a folder, listing what goes with it; decline keeps it', async () => {
    const p = person('decline');
    const tools = await suite.connect({ era: 'modern', elicitation: p.answer });
    suite.fake.requests.length = 0;
    const r = await tools.call('manage_library', { action: 'delete_folder', folder_id: FOLDER_ID });
    expect(p.asked).toHaveLength(1);
    expect(p.asked[0]!.message).toMatch(
      new RegExp(`^delete_folder (folder|plan) #${FOLDER_ID} .* of athlete i1001 .*\\n\\nWould delete \\d+:\\n`),
    );
    expect(r.structuredContent).toMatchObject({ applied: false, needs_confirm: true });
    expect(textOf(r)).toContain('declined when asked');
    expect(deletesOf(suite, `/athlete/i1001/folders/${FOLDER_ID}`)).toBe(0);
  });

  it('manage_library deletes the folder on accept', async () => {
    const p = person('accept');
    const tools = await suite.connect({ era: 'modern', elicitation: p.answer });
    const made = await tools.structured<{ folder: { id: number } }>('manage_library', { action: 'create_folder', name: 'Scratch' });
    const out = await tools.structured<{ applied: boolean }>('manage_library', { action: 'delete_folder', folder_id: made.folder.id });
    expect(p.asked).toHaveLength(1);
    expect(out.applied).toBe(true);
    expect(suite.fake.requestsTo('DELETE', `/athlete/i1001/folders/${made.folder.id}`)).toHaveLength(1);
  });
});

describe('clients that cannot ask keep confirm: true', () => {
  it.each([
    ['a 2026-07-28 client without elicitation', { era: 'modern' as const }],
    // Stateless 2025-era HTTP: the answer would come back on another POST, so the server never asks.
    ['a 2025-era HTTP client that declares elicitation', { elicitation: person('decline').answer }],
  ])('%s: skipped without confirm, deleted with it', async (_label, opts) => {
    const tools = await suite.connect(opts);
    const id = (
      await tools.structured<{ event: { id: number } }>('create_event', {
        date: '2026-05-20',
        name: 'Past one',
        type: 'Ride',
        description: '- 20m 55%',
      })
    ).event.id;
    suite.fake.requests.length = 0;
    const refused = await tools.structured<DeleteOut>('delete_event', { event_id: id });
    expect(refused.skipped).toEqual([expect.objectContaining({ id, reason: 'not_future' })]);
    expect(suite.fake.requestsTo('DELETE', `/athlete/i1001/events/${id}`)).toHaveLength(0);
    const done = await tools.structured<DeleteOut>('delete_event', { event_id: id, confirm: true });
    expect(done.deleted.map((d) => d.id)).toEqual([id]);
  });
});

describe('a 2025-era connection with a session (as on stdio) asks with a server-to-client request', () => {
  async function sessionClient(answer: (p: ElicitRequestFormParams) => ElicitResult): Promise<{ client: Client; close(): Promise<void> }> {
    const athlete = suite.fake.athletes[0]!;
    const intervals = createIntervalsClient({
      baseUrl: suite.fake.url,
      credentials: { kind: 'api_key', apiKey: athlete.apiKey },
      timeoutMs: 5_000,
      relinkHint: 're-link',
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      throttle: new Throttle({ perKeyPerSecond: 1_000, perKeyBurst: 1_000, globalPerSecond: 1_000, globalBurst: 1_000 }),
      cache: new ReadCache(),
    });
    const ctx: ToolContext = {
      person: { accountId: null, scopes: new Set(READ_WRITE), clientId: null, toolsets: new Set(TOOLSET_NAMES) },
      athleteId: athlete.id,
      intervals,
    };
    const server = createToolRegistry({ resolveContext: async () => ctx }).createServer();
    const client = new Client({ name: 'session-client', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
    client.setRequestHandler('elicitation/create', (request) => answer(request.params as ElicitRequestFormParams));
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(a), client.connect(b)]);
    return { client, close: async () => void (await Promise.all([client.close(), server.close()])) };
  }

  it.each<[ElicitResult['action'], number]>([
    ['accept', 1],
    ['decline', 0],
  ])('on %s the past event is deleted %i time(s)', async (action, deletes) => {
    const p = person(action);
    const { client, close } = await sessionClient(p.answer);
    try {
      const made = (await client.callTool({
        name: 'create_event',
        arguments: { date: '2026-05-21', name: 'Past two', type: 'Ride', description: '- 20m 55%' },
      })) as CallToolResult;
      const id = (made.structuredContent as { event: { id: number } }).event.id;
      suite.fake.requests.length = 0;
      const r = (await client.callTool({ name: 'delete_event', arguments: { event_id: id } })) as CallToolResult;
      expect(p.asked).toHaveLength(1);
      expect(p.asked[0]!.message).toContain(`#${id} 2026-05-21`);
      expect((r.structuredContent as unknown as DeleteOut).deleted.map((d) => d.id)).toEqual(deletes ? [id] : []);
      expect(suite.fake.requestsTo('DELETE', `/athlete/i1001/events/${id}`)).toHaveLength(deletes);
    } finally {
      await close();
    }
  });
});
