/**
 * The future-only rule for calendar deletes. Deleting planned items ahead of today is routine;
 * deleting today's or past items removes the record of what was planned (and races, notes, sick
 * days that explain a training history), so those need an explicit `confirm: true`.
 * "Today" is the athlete's local day; without their time zone we use the latest date anywhere
 * (see todayIn), which can only make the rule stricter.
 */
import { cleanText, NAME_MAX } from '../format/untrusted.js';
import { datePart } from './local-dates.js';

export type SkipReason = 'not_future' | 'no_date' | 'not_found' | 'dry_run' | 'declined';

export interface DeleteCandidate {
  id: number;
  date: string | null;
  name: string | null;
  category: string | null;
}

export interface Skipped extends DeleteCandidate {
  reason: SkipReason;
}

export interface DeletePlan {
  today: string;
  allowed: DeleteCandidate[];
  skipped: Skipped[];
}

/** One explanation per reason (not per item, so long lists stay small). */
export const SKIP_HINTS: Record<SkipReason, string> = {
  not_future: 'Dated today or earlier: past calendar items are only deleted with confirm: true (ask the athlete first).',
  no_date: 'Has no start date, so it cannot be shown to be in the future; pass confirm: true to delete it anyway.',
  not_found: "No event with this id (already deleted, or another athlete's); get_events lists current ids.",
  dry_run: 'dry_run: true — nothing was deleted. Call again without dry_run to delete.',
  declined: 'The person declined when asked; nothing was deleted. Do not retry unless they ask for it.',
};

export function skip(c: DeleteCandidate, reason: SkipReason): Skipped {
  return { ...c, reason };
}

export function candidateOf(e: Record<string, unknown>): DeleteCandidate {
  return {
    id: typeof e.id === 'number' ? e.id : -1,
    date: datePart(e.start_date_local),
    name: cleanText(typeof e.name === 'string' ? e.name : null, NAME_MAX),
    category: typeof e.category === 'string' ? e.category : null,
  };
}

/** Split candidates into what may be deleted now and what is skipped, with the reason. */
export function planDeletes(candidates: DeleteCandidate[], today: string, confirm: boolean): DeletePlan {
  const allowed: DeleteCandidate[] = [];
  const skipped: Skipped[] = [];
  for (const c of candidates) {
    if (confirm) allowed.push(c);
    else if (c.date === null) skipped.push(skip(c, 'no_date'));
    else if (c.date > today) allowed.push(c);
    else skipped.push(skip(c, 'not_future'));
  }
  return { today, allowed, skipped };
}
