import { notFound, unprocessable, type FakeIntervals, type RouteAnswer, type RouteRequest } from '../server.js';
import type { FakeAthlete } from '../server.js';
import { activitiesOf, findActivity, type ActivityRecord, type Raw } from './activity-data.js';
import { calendar } from './events.js';

/** Ids of manual activities, counted per stand-in: two stand-ins in one process hand out the same ids. */
const manualSeq = new WeakMap<FakeIntervals, number>();
function addManual(fake: FakeIntervals, a: FakeAthlete, body: Raw): Raw {
  const seq = (manualSeq.get(fake) ?? 0) + 1;
  manualSeq.set(fake, seq);
  const activity: Raw = { ...body, id: `i9${String(seq).padStart(8, '0')}`, icu_athlete_id: a.id, source: 'MANUAL' };
  activitiesOf(fake, a).set(String(activity.id), { owner: a.id, activity, intervals: null, streams: [], messages: [] });
  return activity;
}

const STRAVA = () => unprocessable('Cannot read Strava activities via the API');
const missing = (name: string, type: string) =>
  unprocessable(`Required request parameter '${name}' for method parameter type ${type} is not present`);

/** Resolve `/activity/:id` for the caller: 404 unknown, 403 someone else's. */
function load(fake: FakeIntervals, req: RouteRequest, path: string): ActivityRecord | RouteAnswer {
  const r = findActivity(fake, req.params.id!);
  if (!r) return notFound(path);
  if (!fake.canAccess(req.caller, r.owner)) return { status: 403, body: { status: 403, error: 'Access denied' } };
  return r;
}

const isRecord = (x: ActivityRecord | RouteAnswer): x is ActivityRecord => 'activity' in x;

function project(a: Raw, fields: string | undefined): Raw {
  if (!fields) return a;
  const keep = new Set(fields.split(','));
  return Object.fromEntries(Object.entries(a).filter(([k]) => keep.has(k)));
}

function streamOf(r: ActivityRecord, type: string): number[] | undefined {
  if (r.streams === 'strava') return undefined;
  const s = r.streams.find((x) => x.type === type);
  return Array.isArray(s?.data) ? (s.data as number[]) : undefined;
}

function bestEfforts(data: number[], secs: number, count: number): Raw[] {
  const found: Raw[] = [];
  const taken: [number, number][] = [];
  const windows: { start: number; avg: number }[] = [];
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    sum += data[i] ?? 0;
    if (i >= secs) sum -= data[i - secs] ?? 0;
    if (i >= secs - 1) windows.push({ start: i - secs + 1, avg: sum / secs });
  }
  windows.sort((x, y) => y.avg - x.avg);
  for (const w of windows) {
    if (found.length >= count) break;
    if (taken.some(([s, e]) => w.start < e && w.start + secs > s)) continue;
    taken.push([w.start, w.start + secs]);
    found.push({ start_index: w.start, end_index: w.start + secs, average: Math.round(w.avg * 10) / 10, duration: secs, distance: null });
  }
  return found;
}

function histogram(data: number[] | undefined, size: number): Raw[] {
  const counts = new Map<number, number>();
  for (const v of data ?? []) if (typeof v === 'number') counts.set(Math.floor(v / size), (counts.get(Math.floor(v / size)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([b, secs]) => ({ min: b * size, max: (b + 1) * size, secs }));
}

export function registerActivityRoutes(fake: FakeIntervals): void {
  fake.route('GET', '/athlete/:id/activities', 'ACTIVITY', ({ athlete, query }) => {
    if (!query.oldest) return missing('oldest', 'String');
    const newest = query.newest ?? '9999-12-31';
    const list = [...activitiesOf(fake, athlete!).values()]
      .map((r) => r.activity)
      .filter((a) => String(a.start_date_local).slice(0, 10) >= query.oldest! && String(a.start_date_local).slice(0, 10) <= newest)
      .sort((a, b) => String(b.start_date_local).localeCompare(String(a.start_date_local)));
    return list.slice(0, query.limit ? Number(query.limit) : undefined).map((a) => project(a, query.fields));
  });

  fake.route('GET', '/athlete/:id/activities/search', 'ACTIVITY', ({ athlete, query }) => {
    if (!query.q) return missing('q', 'String');
    const q = query.q.toLowerCase();
    return [...activitiesOf(fake, athlete!).values()]
      .map((r) => r.activity)
      .filter(
        (a) =>
          String(a.name ?? '')
            .toLowerCase()
            .includes(q) ||
          (Array.isArray(a.tags) && a.tags.includes(q)),
      )
      .slice(0, query.limit ? Number(query.limit) : undefined)
      .map((a) => project(a, 'id,name,start_date_local,type,race,distance,moving_time,tags'));
  });

  fake.route('GET', '/athlete/:id/activities/interval-search', 'ACTIVITY', ({ athlete, query }) => {
    for (const p of ['minSecs', 'maxSecs', 'minIntensity', 'maxIntensity']) if (!query[p]) return missing(p, 'int');
    const lo = Number(query.minSecs);
    const hi = Number(query.maxSecs);
    return [...activitiesOf(fake, athlete!).values()]
      .filter((r) =>
        [...((r.intervals?.icu_intervals as Raw[] | null) ?? []), ...((r.activity.icu_intervals as Raw[] | undefined) ?? [])].some(
          (i) => Number(i.moving_time) >= lo && Number(i.moving_time) <= hi,
        ),
      )
      .map((r) => r.activity)
      .slice(0, query.limit ? Number(query.limit) : undefined);
  });

  fake.route('GET', '/activity/:id', 'ACTIVITY', (req) => {
    const r = load(fake, req, `/activity/${req.params.id}`);
    return isRecord(r) ? r.activity : r;
  });

  fake.route('PUT', '/activity/:id', 'ACTIVITY', (req) => {
    const r = load(fake, req, `/activity/${req.params.id}`);
    if (!isRecord(r)) return r;
    if (r.streams === 'strava') return STRAVA();
    Object.assign(r.activity, req.body as Raw);
    return r.activity;
  });

  // Replaces the activity's intervals (all=true: every interval, not only the WORK ones) and answers
  // with the IntervalsDTO, like the captured activity-intervals-ride-trimmed.json.
  fake.route('PUT', '/activity/:id/intervals', 'ACTIVITY', (req) => {
    const r = load(fake, req, `/activity/${req.params.id}/intervals`);
    if (!isRecord(r)) return r;
    if (r.streams === 'strava') return STRAVA();
    if (!Array.isArray(req.body)) return unprocessable('Expected an array of intervals');
    // Like the live API, each interval's averages come from the activity's streams over its span.
    const mean = (type: string, from: number, to: number) => {
      const xs = (streamOf(r, type) ?? []).slice(from, to).filter((x): x is number => typeof x === 'number');
      return xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null;
    };
    const icu = (req.body as Raw[]).map((iv, i) => {
      const [from, to] = [Number(iv.start_index), Number(iv.end_index)];
      return {
        id: 9_000_000 + i,
        type: iv.type ?? 'WORK',
        start_index: from,
        end_index: to,
        start_time: from,
        end_time: to,
        label: iv.label ?? null,
        group_id: null,
        moving_time: to - from,
        elapsed_time: to - from,
        average_watts: mean('watts', from, to),
        average_heartrate: mean('heartrate', from, to),
      };
    });
    r.intervals = { id: req.params.id, analyzed: new Date().toISOString(), icu_intervals: icu, icu_groups: [] };
    return r.intervals;
  });

  fake.route('POST', '/athlete/:id/activities/manual', 'ACTIVITY', ({ athlete, body }) => {
    const b = (body ?? {}) as Raw;
    if (typeof b.start_date_local !== 'string' || typeof b.type !== 'string')
      return unprocessable('start_date_local and type are required');
    return addManual(fake, athlete!, b);
  });

  // "Create a manual activity to match a planned workout": copies the plan and pairs the two.
  fake.route('POST', '/athlete/:id/events/:eventId/mark-done', 'CALENDAR', ({ athlete, params }) => {
    const event = calendar(fake, athlete!).events.find((e) => String(e.id) === params.eventId);
    if (!event) return notFound(`/athlete/${athlete!.id}/events/${params.eventId}`);
    const activity = addManual(fake, athlete!, {
      start_date_local: event.start_date_local,
      type: event.type,
      name: event.name,
      moving_time: event.moving_time,
      icu_training_load: event.icu_training_load,
      paired_event_id: event.id,
    });
    event.paired_activity_id = activity.id;
    return activity;
  });

  fake.route('GET', '/activity/:id/intervals', 'ACTIVITY', (req) => {
    const r = load(fake, req, req.params.id!);
    if (!isRecord(r)) return r;
    if (r.streams === 'strava') return STRAVA();
    return r.intervals ?? { id: req.params.id, analyzed: null, icu_intervals: null, icu_groups: null };
  });

  fake.route('GET', '/activity/:id/streams.json', 'ACTIVITY', (req) => {
    const r = load(fake, req, req.params.id!);
    if (!isRecord(r)) return r;
    if (r.streams === 'strava') return STRAVA();
    const types = req.query.types?.split(',');
    return types ? r.streams.filter((s) => types.includes(String(s.type))) : r.streams;
  });

  fake.route('GET', '/activity/:id/best-efforts', 'ACTIVITY', (req) => {
    const r = load(fake, req, req.params.id!);
    if (!isRecord(r)) return r;
    if (r.streams === 'strava') return STRAVA();
    if (!req.query.stream) return missing('stream', 'String');
    const data = streamOf(r, req.query.stream);
    if (!data) return unprocessable('Invalid stream type');
    if (!req.query.duration) return { efforts: [] };
    return { efforts: bestEfforts(data, Number(req.query.duration), Number(req.query.count ?? 1)) };
  });

  const histo = (kind: string, stream: string, defaultSize: number) =>
    fake.route('GET', `/activity/:id/${kind}-histogram`, 'ACTIVITY', (req) => {
      const r = load(fake, req, req.params.id!);
      if (!isRecord(r)) return r;
      if (r.streams === 'strava') return STRAVA();
      return histogram(streamOf(r, stream), Number(req.query.bucketSize ?? defaultSize));
    });
  histo('power', 'watts', 25);
  histo('hr', 'heartrate', 5);
  histo('pace', 'velocity_smooth', 0.25);
  histo('gap', 'velocity_smooth', 0.25);

  fake.route('GET', '/activity/:id/messages', 'ACTIVITY', (req) => {
    const r = load(fake, req, req.params.id!);
    if (!isRecord(r)) return r;
    const since = Number(req.query.sinceId ?? 0);
    return r.messages.filter((m) => Number(m.id) > since).slice(0, Number(req.query.limit ?? 100));
  });

  fake.route('POST', '/activity/:id/messages', 'ACTIVITY', (req) => {
    const r = load(fake, req, req.params.id!);
    if (!isRecord(r)) return r;
    const content = (req.body as Raw | undefined)?.content;
    if (typeof content !== 'string' || content === '') return unprocessable('content is required');
    const id = 900 + r.messages.length + 1;
    r.messages.push({
      id,
      athlete_id: req.caller.id,
      name: req.caller.name,
      created: new Date().toISOString(),
      type: 'TEXT',
      content,
      activity_id: req.params.id,
      deleted: null,
    });
    return { id, new_chat: null };
  });
}
