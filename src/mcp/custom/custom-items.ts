/**
 * The athlete's custom items (charts, tables and their own wellness / activity / interval fields),
 * as GET /athlete/{id} carries them in `custom_items` and GET /athlete/{id}/custom-item lists them.
 * A field's values live in wellness and activity records as extra top-level keys named by the
 * field's code, which its `content.code` holds.
 */
import type { ToolContext } from '../context.js';
import { cleanText } from '../format/untrusted.js';
import { records } from '../records.js';
import { ToolInputError } from '../tool.js';

type Raw = Record<string, unknown>;

export interface CustomItem {
  id: number | null;
  type: string | null;
  name: string | null;
  /** Fields only: the key their values are stored under. */
  code: string | null;
}

export const CODE_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

export function toCustomItem(raw: Raw): CustomItem {
  const content = (raw.content ?? {}) as Raw;
  const code = typeof content.code === 'string' && CODE_PATTERN.test(content.code) ? content.code : null;
  return {
    id: typeof raw.id === 'number' ? raw.id : null,
    type: typeof raw.type === 'string' ? raw.type : null,
    name: cleanText(raw.name, 80),
    code,
  };
}

export function customItemsOf(list: unknown): CustomItem[] {
  return records(list).map(toCustomItem);
}

/** Refuses values for codes that are not the athlete's own fields of `type` (so a standard field cannot be overwritten this way). */
export async function checkCustomCodes(
  ctx: ToolContext,
  athleteId: string,
  type: 'INPUT_FIELD' | 'ACTIVITY_FIELD',
  codes: readonly string[],
): Promise<void> {
  const items = customItemsOf(await ctx.intervals.get<unknown>('/athlete/{id}/custom-item', { params: { id: athleteId } }));
  const known = new Set(items.filter((i) => i.type === type && i.code).map((i) => i.code!));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length) {
    throw new ToolInputError(
      `${unknown.join(', ')}: not a custom ${type === 'INPUT_FIELD' ? 'wellness' : 'activity'} field of this athlete; their codes: ${[...known].join(', ') || 'none'} (get_athlete lists them).`,
    );
  }
}
