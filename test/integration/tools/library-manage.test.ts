import { describe, expect, it } from '@jest/globals';
import { textOf } from '../../support/mcp-harness.js';
import { expectRefusedUntouched, useToolSuite } from '../../support/tool-suite.js';

const suite = useToolSuite();

interface Out {
  applied: boolean;
  needs_confirm: boolean;
  target: { kind: string; id: number | null; name: string | null };
  changes: { field: string; before: unknown; after: unknown }[];
  deletes: { kind: string; id: number | null }[];
  folder: { id: number; name: string | null; type: string | null; workouts: number } | null;
  workout: { id: number; folder_id: number | null; day: number | null; name: string | null } | null;
}

const writes = () => suite.fake.requests.filter((r) => r.method !== 'GET');

describe('manage_library: folders and plans', () => {
  it('creates a plan (POST /folders) and the library lists it', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<Out>('manage_library', {
      action: 'create_folder',
      kind: 'PLAN',
      name: 'Build block',
      description: '4 weeks',
    });
    expect(suite.fake.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/athlete/i1001/folders',
        query: {},
        body: { type: 'PLAN', name: 'Build block', description: '4 weeks' },
      }),
    ]);
    expect(out).toMatchObject({
      applied: true,
      target: { kind: 'plan', name: 'Build block' },
      folder: { name: 'Build block', type: 'PLAN', workouts: 0 },
    });
    expect(out.target.id).toBe(out.folder!.id);
    const lib = await tools.structured<{ folders: { id: number }[] }>('get_workout_library', {});
    expect(lib.folders.map((f) => f.id)).toContain(out.folder!.id);
  });

  it('renames a folder: PUT /folders/{id} with the stored folder and the new name, without its children', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<Out>('manage_library', { action: 'update_folder', folder_id: 501, name: 'Bike intervals' });
    const [put] = writes();
    expect(put).toMatchObject({
      method: 'PUT',
      path: '/athlete/i1001/folders/501',
      body: { id: 501, type: 'FOLDER', name: 'Bike intervals', visibility: 'PRIVATE' },
    });
    expect(put!.body).not.toHaveProperty('children');
    expect(out.changes).toEqual([{ field: 'name', before: 'Cycling intervals', after: 'Bike intervals' }]);
    expect(out.folder).toMatchObject({ id: 501, name: 'Bike intervals', workouts: 3 });
  });

  it('delete_folder without confirm returns the preview of the folder and every workout in it, deleting nothing', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('manage_library', { action: 'delete_folder', folder_id: 502 });
    const out = r.structuredContent as unknown as Out;
    expect(out).toMatchObject({ applied: false, needs_confirm: true, target: { kind: 'plan', id: 502 } });
    expect(out.deletes.map((d) => `${d.kind}:${d.id}`)).toEqual(['plan:502', 'workout:7101', 'workout:7102', 'workout:7103']);
    expect(textOf(r)).toContain('Would delete 4:');
    expect(textOf(r)).toContain('call again with confirm: true');
    expect(writes()).toHaveLength(0);
  });

  it('delete_folder with confirm: DELETE /folders/{id}', async () => {
    const tools = await suite.connect();
    const made = await tools.structured<Out>('manage_library', { action: 'create_folder', name: 'Scratch' });
    suite.fake.requests.length = 0;
    const out = await tools.structured<Out>('manage_library', { action: 'delete_folder', folder_id: made.folder!.id, confirm: true });
    expect(writes()).toEqual([
      expect.objectContaining({ method: 'DELETE', path: `/athlete/i1001/folders/${made.folder!.id}`, query: {}, body: undefined }),
    ]);
    expect(out).toMatchObject({ applied: true, deletes: [{ kind: 'folder', id: made.folder!.id }] });
  });
});

describe('manage_library: workouts', () => {
  it('dry_run shows before → after and writes nothing', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('manage_library', {
      action: 'update_workout',
      workout_id: 7101,
      name: 'Sweet spot 3x15',
      load: 90,
      dry_run: true,
    });
    const out = r.structuredContent as unknown as Out;
    expect(out.applied).toBe(false);
    expect(out.changes.map((c) => c.field)).toEqual(['name', 'load']);
    expect(out.changes[0]).toMatchObject({ after: 'Sweet spot 3x15' });
    expect(textOf(r)).toContain('Dry run: nothing written.');
    expect(suite.fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /athlete/i1001/workouts/7101']);
  });

  it('update_workout PUTs only the given fields; new workout text is checked and re-parsed', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<Out>('manage_library', {
      action: 'update_workout',
      workout_id: 7102,
      description: '- 15m 60%\n\n5x\n- 4m 105%\n- 4m 55%\n\n- 10m 50%',
    });
    expect(writes()).toEqual([
      expect.objectContaining({
        method: 'PUT',
        path: '/athlete/i1001/workouts/7102',
        body: { description: '- 15m 60%\n\n5x\n- 4m 105%\n- 4m 55%\n\n- 10m 50%' },
      }),
    ]);
    expect(out.applied).toBe(true);
    expect(out.workout).toMatchObject({ id: 7102, moving_time_s: (15 + 40 + 10) * 60 });
  });

  it('move_workout moves it to another folder (PUT folder_id and day)', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const out = await tools.structured<Out>('manage_library', { action: 'move_workout', workout_id: 7003, folder_id: 502, day: 5 });
    expect(writes()).toEqual([
      expect.objectContaining({ method: 'PUT', path: '/athlete/i1001/workouts/7003', body: { folder_id: 502, day: 5 } }),
    ]);
    expect(out.changes).toEqual(expect.arrayContaining([{ field: 'folder_id', before: 501, after: 502 }]));
    const plan = await tools.structured<{ workouts: { id: number; day: number | null }[] }>('get_workout_library', { folder_id: 502 });
    expect(plan.workouts).toEqual(expect.arrayContaining([expect.objectContaining({ id: 7003, day: 5 })]));
  });

  it('delete_workout needs confirm: preview first, then DELETE /workouts/{id}', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const preview = await tools.structured<Out>('manage_library', { action: 'delete_workout', workout_id: 7002 });
    expect(preview).toMatchObject({ applied: false, needs_confirm: true, deletes: [{ kind: 'workout', id: 7002 }] });
    expect(writes()).toHaveLength(0);
    await tools.structured<Out>('manage_library', { action: 'delete_workout', workout_id: 7002, confirm: true });
    expect(writes()).toEqual([expect.objectContaining({ method: 'DELETE', path: '/athlete/i1001/workouts/7002' })]);
    const gone = await tools.call('get_workout_library', { workout_id: 7002 });
    expect(gone.isError).toBe(true);
  });
});

describe('manage_library refuses bad input and writes nothing', () => {
  it.each([
    [{ action: 'create_folder' }, 'create_folder needs name'],
    [{ action: 'update_folder', folder_id: 501 }, 'update_folder needs a new name, description or kind'],
    [{ action: 'update_workout', workout_id: 7001 }, 'update_workout needs at least one of'],
    [{ action: 'move_workout', workout_id: 7001 }, 'move_workout needs folder_id'],
    [{ action: 'delete_workout' }, 'delete_workout needs workout_id'],
    [{ action: 'update_workout', workout_id: 7001, description: '- Z4 5m' }, 'put the duration first: "- 5m Z4"'],
    [{ action: 'rename', folder_id: 501 }, 'action'],
  ])('%j', async (args, message) => {
    await expectRefusedUntouched(suite, 'manage_library', args, message);
  });

  it('an unknown folder is named with the ids that exist, and nothing is written', async () => {
    const tools = await suite.connect();
    suite.fake.requests.length = 0;
    const r = await tools.call('manage_library', { action: 'move_workout', workout_id: 7001, folder_id: 999 });
    expect(textOf(r)).toContain('No folder or plan 999 in the library; ids: 501, 502');
    expect(writes()).toHaveLength(0);
  });

  it('a read-only connection gets insufficient_scope and Intervals.icu is not called', async () => {
    await expectRefusedUntouched(
      suite,
      'manage_library',
      { action: 'delete_folder', folder_id: 501, confirm: true },
      'insufficient_scope',
      { scopes: ['intervals:read'] },
    );
  });
});
