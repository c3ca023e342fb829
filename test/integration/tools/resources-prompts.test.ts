import { describe, expect, it } from '@jest/globals';
import { useToolSuite } from '../../support/tool-suite.js';

const suite = useToolSuite();

const textOfContents = (r: { contents: unknown[] }) => String((r.contents[0] as { text?: unknown } | undefined)?.text ?? '');

describe('resources', () => {
  it('lists the profile and the two guides', async () => {
    const tools = await suite.connect();
    const { resources } = await tools.client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual([
      'intervals://athlete/profile',
      'intervals://docs/event-categories',
      'intervals://docs/workout-syntax',
    ]);
  });

  it("reads the athlete profile through the caller's own link", async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.client.readResource({ uri: 'intervals://athlete/profile' });
    expect(suite.fake.requests[0]).toMatchObject({ method: 'GET', path: '/athlete/i1001', caller: 'i1001' });
    expect(textOfContents(r)).toContain('Athlete i1001 "Ann Example"');
    expect(textOfContents(r)).toContain('FTP 200 W');
  });

  it('turns an Intervals.icu failure into an error with the next step', async () => {
    const tools = await suite.connect();
    suite.fake.inject({ method: 'GET', path: '/athlete/i1001' }, { status: 404 });
    await expect(tools.client.readResource({ uri: 'intervals://athlete/profile' })).rejects.toThrow(/Next step: Check the id/);
  });

  it.each([
    ['intervals://docs/workout-syntax', ['- 10m ramp 50-75%', 'Main set 3x', '400mtr', 'Z2 Pace', '90rpm', 'blank line BEFORE and AFTER']],
    ['intervals://docs/event-categories', ['RACE_A', 'HOLIDAY', 'training_availability', 'confirm: true']],
  ])('%s covers the essentials', async (uri, phrases) => {
    const tools = await suite.connect();
    const text = textOfContents(await tools.client.readResource({ uri }));
    for (const p of phrases) expect(text).toContain(p);
  });
});

describe('prompts', () => {
  it('lists the five coaching prompts', async () => {
    const tools = await suite.connect();
    const { prompts } = await tools.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual([
      'activity_deep_dive',
      'coach_roster_triage',
      'plan_next_week',
      'recovery_check',
      'weekly_review',
    ]);
  });

  it.each([
    ['weekly_review', { week_start: '2026-05-04' }, ['starting 2026-05-04', 'get_training_summary', 'get_events']],
    [
      'plan_next_week',
      { goal: 'build threshold', hours_available: '8' },
      ['build threshold', 'about 8 hours', 'bulk_create_events', 'external_id', 'parsed: true'],
    ],
    ['activity_deep_dive', { activity_id: 'i12345678' }, ['activity i12345678', 'get_activity_intervals', 'Strava']],
    ['recovery_check', {}, ['get_wellness', 'get_fitness', 'Do not change the calendar']],
    ['coach_roster_triage', { focus: 'race prep' }, ['focus on race prep', 'get_coach_roster', 'athlete_id', 'need nothing today']],
  ])('%s names the tools to use', async (name, args, phrases) => {
    const tools = await suite.connect();
    const r = await tools.client.getPrompt({ name, arguments: args });
    const first = r.messages[0]?.content;
    const text = first?.type === 'text' ? first.text : '';
    for (const p of phrases) expect(text).toContain(p);
  });

  it('rejects a malformed argument', async () => {
    const tools = await suite.connect();
    await expect(tools.client.getPrompt({ name: 'activity_deep_dive', arguments: { activity_id: 'drop table' } })).rejects.toThrow(
      /activity id/,
    );
  });
});
