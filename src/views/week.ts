// The Week view (get_events): each day of the range with its planned workouts and the activities
// done, paired as Intervals.icu pairs them (paired_activity_id); planned and unpaired before today
// is missed, done and unpaired is extra; load and time totals planned vs done. The activities come
// from get_activities, asked through the host for the same range; "1 week / 4 weeks" asks again.
import { HostBridge, onWidthChange, type ToolResult } from './bridge.js';
import { addDays, rangeButtons, time, type Range } from './ranges.js';
import { dataOrError } from './status.js';

interface Event {
  id: number;
  date: string | null;
  category: string | null;
  type: string | null;
  name: string | null;
  moving_time_s: number | null;
  load: number | null;
  paired_activity_id: string | null;
}
interface Activity {
  id: string;
  start_date_local: string | null;
  type: string | null;
  name: string | null;
  moving_time_s: number | null;
  training_load: number | null;
}
interface Events {
  oldest: string;
  newest: string;
  events: Event[];
}

const RANGES: Range[] = [
  { label: '1 week', days: 7 },
  { label: '4 weeks', days: 28 },
];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const app = document.getElementById('app')!;
let args: Record<string, unknown> = {};
let pressed: string | undefined;
let last: { events: Events; activities: Activity[] } | undefined;
const bridge = new HostBridge({ onToolInput: (a) => (args = a), onToolResult: (r) => void load(r) });

const hours = (s: number) => `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}`;
const failed = (e: Error): ToolResult => ({ isError: true, content: [{ type: 'text', text: e.message }] });

async function load(result: ToolResult): Promise<void> {
  const events = dataOrError<Events>(app, result, 'events', 'No calendar in this result.');
  if (!events) return;
  const done = await bridge
    .callTool('get_activities', {
      ...(args.athlete_id ? { athlete_id: args.athlete_id } : {}),
      oldest: events.oldest,
      newest: events.newest,
      limit: 200,
    })
    .catch(failed);
  const activities = dataOrError<{ activities: Activity[] }>(app, done, 'activities', 'No activities in this result.');
  if (!activities) return;
  last = { events, activities: activities.activities };
  draw();
}

function item(kind: 'planned' | 'done' | 'missed' | 'extra', name: string, secs: number | null, load: number | null): HTMLLIElement {
  const li = document.createElement('li');
  li.className = `item ${kind}`;
  li.dataset.kind = kind;
  li.textContent = `${kind === 'missed' ? 'Missed: ' : kind === 'extra' ? 'Extra: ' : kind === 'planned' ? 'Planned: ' : 'Done: '}${name}${secs ? `, ${hours(secs)}` : ''}${load !== null ? `, load ${Math.round(load)}` : ''}`;
  return li;
}

function draw(): void {
  if (!last) return;
  const { events, activities } = last;
  const today = new Date().toISOString().slice(0, 10);
  const workouts = events.events.filter((e) => e.category === 'WORKOUT' && e.date);
  const paired = new Set(workouts.map((e) => e.paired_activity_id).filter(Boolean));
  const totals = { plannedLoad: 0, plannedTime: 0, doneLoad: 0, doneTime: 0, missed: 0, extra: 0 };
  const list = document.createElement('ol');
  list.className = 'days';
  for (let d = events.oldest; d <= events.newest; d = addDays(d, 1)) {
    const li = document.createElement('li');
    li.className = 'day';
    li.dataset.date = d;
    const h = document.createElement('h2');
    h.textContent = `${WEEKDAYS[new Date(time(d)).getUTCDay()]} ${d}`;
    const items = document.createElement('ul');
    for (const e of workouts.filter((w) => w.date === d)) {
      totals.plannedLoad += e.load ?? 0;
      totals.plannedTime += e.moving_time_s ?? 0;
      const missed = !e.paired_activity_id && d < today;
      if (missed) totals.missed++;
      items.append(item(missed ? 'missed' : 'planned', e.name ?? e.type ?? 'workout', e.moving_time_s, e.load));
    }
    for (const a of activities.filter((x) => x.start_date_local?.slice(0, 10) === d)) {
      totals.doneLoad += a.training_load ?? 0;
      totals.doneTime += a.moving_time_s ?? 0;
      const extra = !paired.has(a.id);
      if (extra) totals.extra++;
      items.append(item(extra ? 'extra' : 'done', a.name ?? a.type ?? 'activity', a.moving_time_s, a.training_load));
    }
    if (!items.children.length) items.append(Object.assign(document.createElement('li'), { className: 'item rest', textContent: 'Rest' }));
    li.append(h, items);
    list.append(li);
  }
  const head = document.createElement('header');
  head.innerHTML = '<h1>Planned vs done</h1><p class="summary"></p>';
  head.querySelector('.summary')!.textContent =
    `${events.oldest} to ${events.newest}: planned load ${Math.round(totals.plannedLoad)}, ${hours(totals.plannedTime)}; done load ${Math.round(totals.doneLoad)}, ${hours(totals.doneTime)}; ` +
    `${totals.missed} missed, ${totals.extra} extra.`;
  head.append(rangeButtons(RANGES, pressed, changeRange));
  app.replaceChildren(head, list);
}

async function changeRange(r: Range): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  pressed = r.label;
  const monday = addDays(today, -((new Date(time(today)).getUTCDay() + 6) % 7));
  const oldest = r.days > 7 ? addDays(monday, -21) : monday;
  app.setAttribute('aria-busy', 'true');
  const result = await bridge
    .callTool('get_events', { ...(args.athlete_id ? { athlete_id: args.athlete_id } : {}), oldest, newest: addDays(oldest, r.days - 1) })
    .catch(failed);
  app.removeAttribute('aria-busy');
  await load(result);
}

onWidthChange(draw);
void bridge.connect('intervals-week');
