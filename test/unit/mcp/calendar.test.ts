import { describe, expect, it } from '@jest/globals';
import { planDeletes, SKIP_HINTS, type DeleteCandidate } from '../../../src/mcp/calendar/delete-policy.js';
import { toEventBody } from '../../../src/mcp/calendar/event-fields.js';
import { summarizeEvent } from '../../../src/mcp/calendar/event-view.js';
import { datePart, timePart, todayIn, toStartDateLocal, weekday } from '../../../src/mcp/calendar/local-dates.js';
import { countSteps, formatTarget, reportWorkout } from '../../../src/mcp/calendar/workout-doc.js';

const c = (id: number, date: string | null): DeleteCandidate => ({ id, date, name: null, category: 'WORKOUT' });

describe('future-only delete rule', () => {
  it.each([
    ['tomorrow is deleted', c(1, '2026-05-11'), false, 'allowed', undefined],
    ['today needs confirm', c(2, '2026-05-10'), false, 'skipped', 'not_future'],
    ['the past needs confirm', c(3, '2025-12-31'), false, 'skipped', 'not_future'],
    ['no date needs confirm', c(4, null), false, 'skipped', 'no_date'],
    ['confirm deletes the past', c(5, '2025-12-31'), true, 'allowed', undefined],
    ['confirm deletes undated', c(6, null), true, 'allowed', undefined],
  ])('%s', (_label, candidate, confirm, where, reason) => {
    const plan = planDeletes([candidate], '2026-05-10', confirm);
    if (where === 'allowed') expect(plan.allowed).toEqual([candidate]);
    else {
      expect(plan.skipped).toEqual([expect.objectContaining({ id: candidate.id, reason })]);
      expect(SKIP_HINTS[reason as keyof typeof SKIP_HINTS]).toContain('confirm: true');
    }
  });
});

describe('naive local dates', () => {
  it.each([
    ['2026-05-04', undefined, '2026-05-04T00:00:00'],
    ['2026-05-04', '06:30', '2026-05-04T06:30:00'],
  ])('%s %s → %s (no zone suffix)', (date, time, expected) => {
    expect(toStartDateLocal(date, time)).toBe(expected);
  });

  it.each([
    ['2026-05-04T06:30:00', '2026-05-04', '06:30'],
    ['2026-05-04T00:00:00', '2026-05-04', null],
    ['2026-02-30T00:00:00', null, null],
    [null, null, null],
  ])('%s → date %s, time %s', (raw, date, time) => {
    expect(datePart(raw)).toBe(date);
    expect(timePart(raw)).toBe(time);
  });

  it.each([
    ['Pacific/Kiritimati', '2026-05-11'], // UTC+14
    ['Pacific/Pago_Pago', '2026-05-10'], // UTC-11
    ['Europe/London', '2026-05-10'],
    [null, '2026-05-11'], // unknown zone: the latest date on Earth (stricter rule)
    ['Not/AZone', '2026-05-11'],
  ])('today in %s at 2026-05-10T12:00Z is %s', (zone, expected) => {
    expect(todayIn(zone, new Date('2026-05-10T12:00:00Z'))).toBe(expected);
  });
});

it.each([
  ['2026-05-04', 'Mon'],
  ['2026-05-10', 'Sun'],
  ['2028-02-29', 'Tue'],
])('%s is a %s', (date, day) => {
  expect(weekday(date)).toBe(day);
});

describe('workout_doc reading', () => {
  it.each([
    [{ units: 'w', start: 130, end: 220 }, '130-220 W'],
    [{ units: 'w', value: 160 }, '160 W'],
    [{ units: '%ftp', value: 95 }, '95% FTP'],
    [{ units: '%pace', start: 95, end: 100 }, '95-100% threshold pace'],
    [{ units: 'hr_zone', value: 2 }, 'HR zone 2'],
    [{ units: 'rpm', start: 85, end: 95 }, '85-95 rpm'],
    [{ units: 'w' }, null],
    [null, null],
  ])('target %j → %s', (target, expected) => {
    expect(formatTarget(target)).toBe(expected);
  });

  it('expands repeats when counting steps', () => {
    expect(countSteps([{ duration: 60 }, { reps: 4, steps: [{ duration: 60 }, { duration: 30 }] }, { duration: 60 }])).toBe(10);
  });

  it('reports unparsed text with a hint, and no report for items without workout text', () => {
    expect(reportWorkout('ride around', { steps: [] })).toMatchObject({
      parsed: false,
      steps: 0,
      hint: expect.stringContaining('- 10m 60%'),
    });
    expect(reportWorkout('', null)).toBeNull();
    expect(reportWorkout('- 20m', { steps: [{ duration: 1200 }], duration: 1200 })).toMatchObject({
      parsed: true,
      steps: 1,
      hint: expect.stringContaining('no step carries'),
    });
  });

  it('gives a note no workout report even with a description', () => {
    expect(
      summarizeEvent({ id: 1, category: 'NOTE', description: 'Start of build phase', start_date_local: '2026-05-04T00:00:00' }).workout,
    ).toBeNull();
  });

  it('summarises a null-heavy event without throwing', () => {
    expect(summarizeEvent({ id: 7, category: null, name: null, start_date_local: null, workout_doc: null, tags: null })).toMatchObject({
      id: 7,
      date: null,
      name: null,
      workout: null,
    });
  });
});

describe('event body', () => {
  it('leaves out every field not given (no accidental nulls) and maps units', () => {
    expect(toEventBody({ name: 'x', moving_time_s: 3600, distance_m: 40000, time_target_s: 7200 })).toEqual({
      name: 'x',
      moving_time: 3600,
      distance: 40000,
      time_target: 7200,
    });
  });

  it('turns an inclusive last_date into the exclusive end Intervals.icu stores', () => {
    expect(toEventBody({ date: '2026-12-30', last_date: '2027-01-02' })).toMatchObject({
      start_date_local: '2026-12-30T00:00:00',
      end_date_local: '2027-01-03T00:00:00',
    });
  });
});
