/**
 * The dry-run answer of the calendar's bulk writes (bulk_create_events, duplicate_events,
 * apply_training_plan): one line per event that would be created or updated, nothing written.
 * The same list is what a confirmation prompt (elicitation) would show before applying.
 */
import { z } from 'zod';
import { table } from '../format/table.js';
import { inline } from '../format/untrusted.js';
import { weekday } from './local-dates.js';

export const previewItemSchema = z.object({
  action: z.enum(['create', 'update']),
  date: z.string().nullable(),
  name: z.string().nullable(),
  event_id: z.number().nullable().describe('update: the event it overwrites'),
});
export type PreviewItem = z.infer<typeof previewItemSchema>;

export const previewOutput = z.array(previewItemSchema).nullable();

export const dryRunInput = z.boolean().default(false).describe('Preview what would be written; write nothing.');

const MAX_ROWS = 60;

export function previewText(items: readonly PreviewItem[], extra = ''): string {
  const creates = items.filter((i) => i.action === 'create').length;
  const rows = items
    .slice(0, MAX_ROWS)
    .map((i) => [i.action, i.date ? `${i.date} ${weekday(i.date)}` : '—', inline(i.name), i.event_id === null ? '—' : String(i.event_id)]);
  return [
    `Dry run, nothing written: would create ${creates} and update ${items.length - creates} event(s).${extra ? ` ${extra}` : ''}`,
    table(['action', 'date', 'name', 'existing event'], rows),
    items.length > MAX_ROWS ? `… and ${items.length - MAX_ROWS} more (format "json" lists all).` : '',
    'Call again without dry_run to write.',
  ]
    .filter(Boolean)
    .join('\n');
}
