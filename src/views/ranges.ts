// Date helpers and the range buttons the day-based views (fitness, wellness) share.

const DAY_MS = 86_400_000;

export interface Range {
  label: string;
  /** Days back from today. */
  days: number;
}

export const time = (date: string): number => Date.parse(`${date}T00:00:00Z`);
export const addDays = (date: string, n: number): string => new Date(time(date) + n * DAY_MS).toISOString().slice(0, 10);
export const dayLabel = (ms: number): string => new Date(ms).toISOString().slice(5, 10);

/** A labelled group of toggle buttons; the one whose label is `pressed` shows as pressed. */
export function rangeButtons(ranges: readonly Range[], pressed: string | undefined, pick: (r: Range) => void): HTMLElement {
  const group = document.createElement('div');
  group.className = 'ranges';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', 'Range');
  for (const r of ranges) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = r.label;
    b.setAttribute('aria-pressed', String(pressed === r.label));
    b.addEventListener('click', () => pick(r));
    group.append(b);
  }
  return group;
}
