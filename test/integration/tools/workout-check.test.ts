import { describe, expect, it } from '@jest/globals';
import { textOf } from '../../support/mcp-harness.js';
import { expectRefusedUntouched, useToolSuite } from '../../support/tool-suite.js';

const suite = useToolSuite();
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const BAD = 'Warmup\n- 10min 50%\n\nMain set 4x\n- Z4 5m\n- 2m 50%';

describe('check_workout', () => {
  it('checks text locally: steps, time, problems with fixes, and no call to Intervals.icu', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('check_workout', { text: BAD, type: 'Ride' });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      ok: false,
      step_count: 8,
      repeats: 1,
      duration_s: 4 * (5 + 2) * 60,
      problems: [
        { line: 2, severity: 'error', text: '- 10min 50%', fix: expect.stringContaining('"10m"') },
        { line: 5, severity: 'error', message: 'target "Z4" comes before the duration', fix: 'put the duration first: "- 5m Z4"' },
      ],
    });
    expect(textOf(r)).toContain('Does NOT parse: 8 step(s) (1 repeat block(s) expanded), 28:00.');
    expect(textOf(r)).toContain('line 5 "- Z4 5m": target "Z4" comes before the duration → put the duration first: "- 5m Z4"');
    expect(suite.fake.requests).toHaveLength(0);
  });

  it('says when text is prose, and warns about sport slips', async () => {
    const tools = await suite.connect();
    expect(textOf(await tools.call('check_workout', { text: 'Just ride around.' }))).toContain('plain description');
    const out = await tools.structured<{ ok: boolean; problems: { message: string }[] }>('check_workout', {
      text: '- 30m Z2',
      type: 'Run',
    });
    expect(out.ok).toBe(true);
    expect(out.problems[0]?.message).toContain('POWER zone');
  });

  it('refuses empty text', async () => {
    await expectRefusedUntouched(suite, 'check_workout', { text: '' }, 'text');
  });
});

describe('writes check workout text first and refuse errors, writing nothing', () => {
  it('create_event', async () => {
    await expectRefusedUntouched(
      suite,
      'create_event',
      { date: inDays(5), name: 'Bad', type: 'Ride', description: BAD },
      'description: the workout text has 2 problem(s)',
    );
  });

  it('create_event names each bad line and its fix', async () => {
    const tools = await suite.connect();
    const r = await tools.call('create_event', { date: inDays(5), name: 'Bad', type: 'Run', description: '- 1km 4:30/km' });
    expect(textOf(r)).toContain('nothing was saved');
    expect(textOf(r)).toContain('line 1 "- 1km 4:30/km": absolute pace "4:30/km" without the word Pace → write "4:30/km Pace"');
  });

  it("create_event leaves a NOTE's text alone and reports warnings of a saved workout", async () => {
    const tools = await suite.connect();
    const note = await tools.call('create_event', {
      category: 'NOTE',
      date: inDays(6),
      name: 'Shopping',
      type: null,
      description: '- gels\n- tubes',
    });
    expect(note.isError).toBeFalsy();
    const r = await tools.call('create_event', { date: inDays(6), name: 'Long run', type: 'Run', description: '- 90m Z2' });
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toContain('Workout text warnings');
    expect(textOf(r)).toContain('a bare Z2 is a POWER zone');
  });

  it('update_event checks new text of a WORKOUT event (the category read from the event) and PUTs nothing', async () => {
    const tools = await suite.connect();
    const created = await tools.structured<{ event: { id: number } }>('create_event', {
      date: inDays(7),
      name: 'Ok',
      type: 'Ride',
      description: '- 20m 60%',
    });
    suite.fake.requests.length = 0;
    const r = await tools.call('update_event', { event_id: created.event.id, description: '- Z4 5m' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('"- 5m Z4"');
    expect(suite.fake.requests.map((q) => q.method)).toEqual(['GET']);
  });

  it('bulk_create_events checks every item before its one request', async () => {
    const events = [
      { date: inDays(50), name: 'A', type: 'Ride', description: '- 1h Z2', external_id: 'wc-a' },
      { date: inDays(51), name: 'B', type: 'Ride', description: '- 1h Z9', external_id: 'wc-b' },
    ];
    await expectRefusedUntouched(suite, 'bulk_create_events', { events }, 'events[1] (wc-b): the workout text has 1 problem(s)');
  });

  it('create_workout', async () => {
    await expectRefusedUntouched(
      suite,
      'create_workout',
      { folder_id: 501, name: 'Bad', type: 'Ride', description: '4x\n\n- 3m 110%' },
      'a repeat with no steps under it',
    );
  });
});
