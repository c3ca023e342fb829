import { z } from 'zod';
import { record } from '../records.js';
import { WRITE_SCOPE } from '../context.js';
import { sportType } from '../calendar/enums.js';
import { consentFor, DECLINED_NOTE } from '../confirmation.js';
import { LIBRARY_ACTIONS, planLibraryChange, type FieldChange, type LibraryChange, type LibraryItem } from '../calendar/library-changes.js';
import { folderSummarySchema, summarizeFolder, summarizeWorkout, workoutSummarySchema } from '../calendar/library-view.js';
import { sections } from '../format/table.js';
import { inline, QUOTED_NOTE } from '../format/untrusted.js';
import { athleteIdInput, athleteOf } from '../inputs.js';
import { defineTool, DESTRUCTIVE, type AnyToolDef } from '../tool.js';
import { checkWorkoutText, workoutWarnings } from '../workout/check.js';
import { requiredBy } from '../schema-conditions.js';

const itemSchema = z.object({ kind: z.enum(['folder', 'plan', 'workout']), id: z.number().nullable(), name: z.string().nullable() });
const value = z.union([z.string(), z.number()]).nullable();

const MAX_LINES = 40;
const itemLine = (i: LibraryItem) => `${i.kind} ${i.id === null ? '(new)' : `#${i.id}`} ${inline(i.name)}`;
const changeLine = (c: FieldChange) =>
  `${c.field}: ${c.before === null ? '—' : inline(String(c.before))} → ${c.after === null ? '—' : inline(String(c.after))}`;

function previewText(change: LibraryChange): string {
  const deletes = change.deletes.slice(0, MAX_LINES).map(itemLine);
  if (change.deletes.length > MAX_LINES) deletes.push(`… and ${change.deletes.length - MAX_LINES} more (format "json" lists all)`);
  return sections(
    change.changes.length ? change.changes.map(changeLine).join('\n') : change.destructive ? '' : 'No field differs from what is stored.',
    deletes.length ? `Would delete ${change.deletes.length}:\n${deletes.join('\n')}` : '',
  );
}

const manageLibrary = defineTool({
  name: 'manage_library',
  title: 'Create, change, move or delete library folders, plans and workouts',
  description:
    'Revises the workout library (ids: get_workout_library): create/update/delete_folder (a delete takes its workouts), ' +
    'update/move/delete_workout. dry_run previews (before → after, what a delete takes); deletes only preview unless confirm.',
  scope: WRITE_SCOPE,
  toolset: 'planning',
  annotations: DESTRUCTIVE,
  input: {
    athlete_id: athleteIdInput,
    action: z.enum(LIBRARY_ACTIONS),
    folder_id: z.number().int().positive().optional().describe('move_workout: the destination.'),
    workout_id: z.number().int().positive().optional(),
    kind: z.enum(['FOLDER', 'PLAN']).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().min(1).max(20_000).optional(),
    type: sportType.optional().describe('Sport, e.g. Run'),
    day: z.number().int().min(0).max(730).optional().describe('Plans: day offset, 0 = first day.'),
    moving_time_s: z.number().int().min(0).max(172_800).optional(),
    load: z.number().int().min(0).max(2_000).optional(),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
    confirm: z.boolean().default(false).describe('Needed to delete.'),
    dry_run: z.boolean().default(false),
  },
  conditions: requiredBy('action', [
    [['create_folder'], ['name']],
    [['update_folder', 'delete_folder'], ['folder_id']],
    [['move_workout'], ['workout_id', 'folder_id']],
    [['update_workout', 'delete_workout'], ['workout_id']],
  ]),
  output: {
    action: z.string(),
    applied: z.boolean().describe('false: a preview, nothing was written'),
    needs_confirm: z.boolean(),
    target: itemSchema,
    changes: z.array(z.object({ field: z.string(), before: value, after: value })),
    deletes: z.array(itemSchema),
    folder: folderSummarySchema.nullable(),
    workout: workoutSummarySchema.nullable(),
  },
  async run(args, ctx) {
    const id = athleteOf(args, ctx.athleteId);
    const workoutText = args.action === 'update_workout' && args.description !== undefined;
    const checked = workoutText ? checkWorkoutText(args.description!, args.type) : null;
    const change = await planLibraryChange(ctx, id, args);
    // A dry run asks no one: it only shows what would happen.
    const ask = () =>
      sections(
        `${change.action} ${itemLine(change.target)} of athlete ${id} in Intervals.icu? This cannot be undone.`,
        previewText(change),
      );
    const consent = !change.destructive
      ? 'confirmed'
      : args.dry_run
        ? args.confirm
          ? 'confirmed'
          : 'unconfirmed'
        : consentFor(ctx, args.confirm, ask, `${change.action} ${change.deletes.map((d) => `${d.kind}:${d.id}`).join(',')}`);
    const needsConfirm = change.destructive && consent !== 'confirmed';
    const base = {
      action: change.action,
      needs_confirm: needsConfirm,
      target: change.target,
      changes: change.changes,
      deletes: change.deletes,
    };
    if (args.dry_run || needsConfirm) {
      const why =
        consent === 'declined'
          ? DECLINED_NOTE
          : needsConfirm
            ? 'Nothing deleted: this is the preview. Show it to the person; call again with confirm: true to delete.'
            : 'Dry run: nothing written. Call again without dry_run to apply.';
      return {
        structured: { ...base, applied: false, folder: null, workout: null },
        text: sections(`Preview of ${change.action} on ${itemLine(change.target)}.`, previewText(change), why, QUOTED_NOTE),
      };
    }
    const raw = record(await change.apply());
    const isFolder = change.action.endsWith('_folder');
    const deleted = change.action.startsWith('delete_');
    const folder = isFolder && !deleted ? summarizeFolder({ ...raw, id: raw.id ?? change.target.id }) : null;
    const workout = !isFolder && !deleted ? summarizeWorkout({ ...raw, id: raw.id ?? change.target.id }, true) : null;
    const done = deleted ? `Deleted ${change.deletes.length} item(s)` : `Done: ${change.action}`;
    const target = folder ? { ...change.target, id: folder.id } : change.target;
    return {
      structured: { ...base, target, applied: true, folder, workout },
      text: sections(`${done} on ${itemLine(target)}.`, previewText(change), checked ? workoutWarnings(checked) : '', QUOTED_NOTE),
    };
  },
});

export const libraryManageTools: AnyToolDef[] = [manageLibrary];
