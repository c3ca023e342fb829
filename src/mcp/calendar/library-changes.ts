/**
 * What a library change would do, worked out before it is done: the fields that change (before →
 * after) and what a delete would take with it. manage_library shows this as the dry-run preview and
 * applies it only when allowed (a delete needs `confirm: true`); a client that can ask the person
 * (elicitation) can show the same preview and call `apply` on accept.
 */
import { record, records } from '../records.js';
import type { ToolContext } from '../context.js';
import { cleanText } from '../format/untrusted.js';
import { ToolInputError } from '../tool.js';
import { childrenOf } from './library-view.js';

type Raw = Record<string, unknown>;

export const LIBRARY_ACTIONS = [
  'create_folder',
  'update_folder',
  'delete_folder',
  'update_workout',
  'move_workout',
  'delete_workout',
] as const;
export type LibraryAction = (typeof LIBRARY_ACTIONS)[number];

export interface LibraryArgs {
  action: LibraryAction;
  folder_id?: number | undefined;
  workout_id?: number | undefined;
  kind?: 'FOLDER' | 'PLAN' | undefined;
  name?: string | undefined;
  description?: string | undefined;
  type?: string | undefined;
  day?: number | undefined;
  moving_time_s?: number | undefined;
  load?: number | undefined;
  tags?: string[] | undefined;
}

export interface FieldChange {
  field: string;
  before: string | number | null;
  after: string | number | null;
}
export interface LibraryItem {
  kind: 'folder' | 'plan' | 'workout';
  id: number | null;
  name: string | null;
}

export interface LibraryChange {
  action: LibraryAction;
  target: LibraryItem;
  changes: FieldChange[];
  /** Everything a delete removes (the folder and each workout in it). */
  deletes: LibraryItem[];
  /** Needs `confirm: true` (or the person's yes) before `apply`. */
  destructive: boolean;
  apply(): Promise<unknown>;
}

const SHOWN = 120;
const shown = (v: unknown): string | number | null => (typeof v === 'number' ? v : typeof v === 'string' ? cleanText(v, SHOWN) : null);

function diff(current: Raw, body: Raw, names: Record<string, string>): FieldChange[] {
  return Object.entries(body)
    .filter(([k, v]) => current[k] !== v)
    .map(([k, v]) => ({ field: names[k] ?? k, before: shown(current[k]), after: shown(v) }));
}

const defined = (o: Raw): Raw => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const FIELD_NAMES: Record<string, string> = { moving_time: 'moving_time_s', icu_training_load: 'load', type: 'type' };

function need<T>(v: T | undefined, what: string, action: LibraryAction): T {
  if (v === undefined) throw new ToolInputError(`${action} needs ${what}.`);
  return v;
}

async function folders(ctx: ToolContext, id: string): Promise<Raw[]> {
  return records(await ctx.intervals.get<Raw[]>('/athlete/{id}/folders', { params: { id } }));
}

async function folderOf(ctx: ToolContext, id: string, folderId: number): Promise<Raw> {
  const list = await folders(ctx, id);
  const found = list.find((f) => f.id === folderId);
  if (!found)
    throw new ToolInputError(
      `No folder or plan ${folderId} in the library; ids: ${list.map((f) => f.id).join(', ') || 'none'} (get_workout_library).`,
    );
  return found;
}

const itemOfFolder = (f: Raw): LibraryItem => ({
  kind: f.type === 'PLAN' ? 'plan' : 'folder',
  id: typeof f.id === 'number' ? f.id : null,
  name: shown(f.name) as string | null,
});
const itemOfWorkout = (w: Raw): LibraryItem => ({
  kind: 'workout',
  id: typeof w.id === 'number' ? w.id : null,
  name: shown(w.name) as string | null,
});

/** Reads what the change touches and returns the preview with its `apply`; writes nothing. */
export async function planLibraryChange(ctx: ToolContext, id: string, a: LibraryArgs): Promise<LibraryChange> {
  const folderParams = (folderId: number) => ({ id, folderId });
  switch (a.action) {
    case 'create_folder': {
      const body = defined({ type: a.kind ?? 'FOLDER', name: need(a.name, 'name', a.action), description: a.description });
      return {
        action: a.action,
        target: { kind: body.type === 'PLAN' ? 'plan' : 'folder', id: null, name: a.name ?? null },
        changes: diff({}, body, {}),
        deletes: [],
        destructive: false,
        apply: () => ctx.intervals.post('/athlete/{id}/folders', { params: { id }, body }),
      };
    }
    case 'update_folder': {
      const folderId = need(a.folder_id, 'folder_id', a.action);
      const body = defined({ name: a.name, description: a.description, type: a.kind });
      if (Object.keys(body).length === 0) throw new ToolInputError('update_folder needs a new name, description or kind.');
      const current = await folderOf(ctx, id, folderId);
      // Folder PUT takes the Folder object; the stored one with our fields over it keeps the rest.
      const { children: _c, ...rest } = current;
      return {
        action: a.action,
        target: itemOfFolder(current),
        changes: diff(current, body, {}),
        deletes: [],
        destructive: false,
        apply: () => ctx.intervals.put('/athlete/{id}/folders/{folderId}', { params: folderParams(folderId), body: { ...rest, ...body } }),
      };
    }
    case 'delete_folder': {
      const folderId = need(a.folder_id, 'folder_id', a.action);
      const current = await folderOf(ctx, id, folderId);
      return {
        action: a.action,
        target: itemOfFolder(current),
        changes: [],
        destructive: true,
        deletes: [itemOfFolder(current), ...childrenOf(current).map(itemOfWorkout)],
        apply: () => ctx.intervals.delete('/athlete/{id}/folders/{folderId}', { params: folderParams(folderId) }),
      };
    }
    case 'update_workout':
    case 'move_workout': {
      const workoutId = need(a.workout_id, 'workout_id', a.action);
      const body =
        a.action === 'move_workout'
          ? defined({ folder_id: need(a.folder_id, 'folder_id (where to move it)', a.action), day: a.day })
          : defined({
              name: a.name,
              description: a.description,
              type: a.type,
              day: a.day,
              moving_time: a.moving_time_s,
              icu_training_load: a.load,
              tags: a.tags,
            });
      if (Object.keys(body).length === 0)
        throw new ToolInputError('update_workout needs at least one of name, description, type, day, moving_time_s, load, tags.');
      if (a.action === 'move_workout') await folderOf(ctx, id, body.folder_id as number);
      const current = record(await ctx.intervals.get<unknown>('/athlete/{id}/workouts/{workoutId}', { params: { id, workoutId } }));
      return {
        action: a.action,
        target: itemOfWorkout({ id: workoutId, ...current }),
        deletes: [],
        destructive: false,
        changes: diff(current, body, FIELD_NAMES).map((c) =>
          c.field === 'tags' ? { ...c, before: JSON.stringify(current.tags ?? []), after: JSON.stringify(body.tags) } : c,
        ),
        apply: () => ctx.intervals.put('/athlete/{id}/workouts/{workoutId}', { params: { id, workoutId }, body }),
      };
    }
    case 'delete_workout': {
      const workoutId = need(a.workout_id, 'workout_id', a.action);
      const current = record(await ctx.intervals.get<unknown>('/athlete/{id}/workouts/{workoutId}', { params: { id, workoutId } }));
      return {
        action: a.action,
        target: itemOfWorkout({ id: workoutId, ...current }),
        changes: [],
        destructive: true,
        deletes: [itemOfWorkout({ id: workoutId, ...current })],
        apply: () => ctx.intervals.delete('/athlete/{id}/workouts/{workoutId}', { params: { id, workoutId } }),
      };
    }
  }
}
