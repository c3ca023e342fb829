import { notFound, unprocessable, type FakeAthlete, type FakeIntervals, type RouteAnswer } from '../server.js';
import { sample } from '../samples.js';
import { parseWorkoutText } from './workout-text.js';

/**
 * Calendar events: GET list/one, POST one, PUT one, POST bulk (upsert on external_id), duplicate,
 * DELETE one, PUT bulk-delete. Seeded from events-list-trimmed.json + event-workout-with-doc.json
 * (past dates, 2026-05/07); tests create future events themselves.
 */
export type FakeEvent = Record<string, unknown> & { id: number };

interface Calendar {
  events: FakeEvent[];
  nextId: number;
}

const NAIVE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

export function calendar(fake: FakeIntervals, a: FakeAthlete): Calendar {
  return fake.state(a.id, 'events', () => {
    const seeded = [...sample<FakeEvent[]>('events-list-trimmed'), sample<FakeEvent>('event-workout-with-doc')];
    return { events: seeded.map((e) => ({ calendar_id: 1, end_date_local: null, external_id: null, ...e })), nextId: 200_000_001 };
  });
}

function nextDay(startDateLocal: string): string {
  return `${new Date(Date.parse(`${startDateLocal.slice(0, 10)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
}

/** What the server derives from a written event: parsed workout, default end date. */
function derive(e: FakeEvent): FakeEvent {
  if (e.category === 'WORKOUT' && typeof e.description === 'string') {
    const doc = parseWorkoutText(e.description);
    e.workout_doc = doc;
    if (doc.steps.length > 0) e.moving_time = doc.duration;
  }
  if (typeof e.start_date_local === 'string' && !e.end_date_local) e.end_date_local = nextDay(e.start_date_local);
  return e;
}

/** The real API refuses zoned or malformed dates on write. */
function badDate(body: Record<string, unknown>): RouteAnswer | undefined {
  const d = body.start_date_local;
  if (d !== undefined && (typeof d !== 'string' || !NAIVE.test(d))) return unprocessable(`Invalid start_date_local: ${String(d)}`);
  return undefined;
}

export function createEvent(cal: Calendar, a: FakeAthlete, body: Record<string, unknown>): FakeEvent {
  const e: FakeEvent = {
    ...body,
    id: cal.nextId++,
    athlete_id: a.id,
    calendar_id: 1,
    uid: `uid-${cal.nextId}`,
    updated: new Date().toISOString(),
  };
  cal.events.push(derive(e));
  return e;
}

export function registerEventRoutes(fake: FakeIntervals): void {
  fake.route('GET', '/athlete/:id/events', 'CALENDAR', ({ athlete, query }) => {
    const cats = query.category ? new Set(query.category.split(',')) : null;
    const inRange = calendar(fake, athlete!)
      .events.filter((e) => {
        const day = String(e.start_date_local).slice(0, 10);
        return (!query.oldest || day >= query.oldest) && (!query.newest || day <= query.newest) && (!cats || cats.has(String(e.category)));
      })
      .sort((x, y) => String(x.start_date_local).localeCompare(String(y.start_date_local)));
    return query.limit ? inRange.slice(0, Number(query.limit)) : inRange;
  });

  fake.route('POST', '/athlete/:id/events', 'CALENDAR', ({ athlete, body }) => {
    const b = (body ?? {}) as Record<string, unknown>;
    if (!b.start_date_local || !b.category) return unprocessable('start_date_local and category are required');
    return badDate(b) ?? createEvent(calendar(fake, athlete!), athlete!, b);
  });

  fake.route('POST', '/athlete/:id/events/bulk', 'CALENDAR', ({ athlete, body, query }) => {
    const cal = calendar(fake, athlete!);
    const items = Array.isArray(body) ? (body as Record<string, unknown>[]) : [];
    for (const b of items) {
      const bad = badDate(b);
      if (bad) return bad;
    }
    return items.map((b) => {
      const existing = query.upsert === 'true' && b.external_id ? cal.events.find((e) => e.external_id === b.external_id) : undefined;
      return existing ? derive(Object.assign(existing, b, { id: existing.id })) : createEvent(cal, athlete!, b);
    });
  });

  // Registered before /events/:eventId so PUT bulk-delete is not taken for an event id.
  fake.route('PUT', '/athlete/:id/events/bulk-delete', 'CALENDAR', ({ athlete, body }) => {
    const cal = calendar(fake, athlete!);
    const doomed = Array.isArray(body) ? (body as { id?: number; external_id?: string }[]) : [];
    const before = cal.events.length;
    cal.events = cal.events.filter(
      (e) => !doomed.some((d) => (d.id !== undefined && d.id === e.id) || (d.external_id !== undefined && d.external_id === e.external_id)),
    );
    return { eventsDeleted: before - cal.events.length };
  });

  fake.route('POST', '/athlete/:id/duplicate-events', 'CALENDAR', ({ athlete, body }) => {
    const cal = calendar(fake, athlete!);
    const b = (body ?? {}) as { numCopies?: number; weeksBetween?: number; eventIds?: number[] };
    const copies: FakeEvent[] = [];
    for (const eventId of b.eventIds ?? []) {
      const source = cal.events.find((e) => e.id === eventId);
      if (!source) return notFound(`/athlete/${athlete!.id}/events/${eventId}`);
      for (let i = 1; i <= (b.numCopies ?? 1); i += 1) {
        const shifted = new Date(
          Date.parse(`${String(source.start_date_local).slice(0, 10)}T00:00:00Z`) + i * (b.weeksBetween ?? 1) * 7 * 86_400_000,
        );
        const { id: _id, uid: _uid, end_date_local: _end, external_id: _ext, ...rest } = source;
        copies.push(
          createEvent(cal, athlete!, {
            ...rest,
            start_date_local: `${shifted.toISOString().slice(0, 10)}${String(source.start_date_local).slice(10)}`,
          }),
        );
      }
    }
    return copies;
  });

  const find = (a: FakeAthlete, id: string) => calendar(fake, a).events.find((e) => String(e.id) === id);

  // "Events that influence the athlete's fitness calculation in ascending date order".
  fake.route('GET', '/athlete/:id/fitness-model-events', 'CALENDAR', ({ athlete }) =>
    calendar(fake, athlete!)
      .events.filter((e) => e.category === 'FITNESS_DAYS' || e.category === 'SET_FITNESS' || e.category === 'SET_EFTP')
      .sort((a, b) => String(a.start_date_local).localeCompare(String(b.start_date_local))),
  );

  fake.route(
    'GET',
    '/athlete/:id/events/:eventId',
    'CALENDAR',
    ({ athlete, params }) => find(athlete!, params.eventId!) ?? notFound(`/athlete/${athlete!.id}/events/${params.eventId}`),
  );

  fake.route('PUT', '/athlete/:id/events/:eventId', 'CALENDAR', ({ athlete, params, body }) => {
    const e = find(athlete!, params.eventId!);
    if (!e) return notFound(`/athlete/${athlete!.id}/events/${params.eventId}`);
    const b = (body ?? {}) as Record<string, unknown>;
    return badDate(b) ?? derive(Object.assign(e, b, { id: e.id, updated: new Date().toISOString() }));
  });

  fake.route('DELETE', '/athlete/:id/events/:eventId', 'CALENDAR', ({ athlete, params }) => {
    const cal = calendar(fake, athlete!);
    const e = find(athlete!, params.eventId!);
    if (!e) return notFound(`/athlete/${athlete!.id}/events/${params.eventId}`);
    cal.events = cal.events.filter((x) => x !== e);
    return {};
  });
}
