// The Fitness view (get_fitness): CTL and ATL over the range, form (TSB) over Intervals.icu's form
// zones, the projection after today dashed and shaded, ramp rate in the headline; range buttons
// call get_fitness again through the host.
import { HostBridge, onWidthChange } from './bridge.js';
import { chartWidth, dataTable, renderChart } from './chart.js';
import { addDays, dayLabel, rangeButtons, time, type Range } from './ranges.js';
import { resultView } from './status.js';

interface Day {
  date: string;
  ctl: number | null;
  atl: number | null;
  tsb: number | null;
  ramp_rate: number | null;
  projected: boolean;
}
interface Fitness {
  athlete_id: string;
  today: string;
  current: (Day & { form_zone: string | null }) | null;
  days: Day[];
}

const DAY_MS = 86_400_000;
const RANGES: Range[] = [
  { label: '6 weeks', days: 42 },
  { label: '3 months', days: 91 },
  { label: '1 year', days: 365 },
];
const ZONES = [
  { from: 25, to: 1e9, label: 'transition', className: 'zone-transition' },
  { from: 5, to: 25, label: 'fresh', className: 'zone-fresh' },
  { from: -10, to: 5, label: 'grey zone', className: 'zone-grey' },
  { from: -30, to: -10, label: 'optimal training', className: 'zone-optimal' },
  { from: -1e9, to: -30, label: 'high risk', className: 'zone-risk' },
];

const app = document.getElementById('app')!;
let args: Record<string, unknown> = {};
/** The range on screen: the tool call's own oldest/newest, or the button chosen last. */
let range: { oldest?: string; newest?: string; label?: string } = {};
const view = resultView<Fitness>(app, 'days', 'No fitness data in this result.', (data) => draw(data));
const bridge = new HostBridge({
  onToolInput: (a) => {
    args = a;
    range = { oldest: typeof a.oldest === 'string' ? a.oldest : undefined, newest: typeof a.newest === 'string' ? a.newest : undefined };
  },
  onToolResult: (r) => view.show(r),
});

const one = (v: number) => v.toFixed(1);

function draw(data: Fitness): void {
  const x = data.days.map((d) => time(d.date));
  const firstProjected = data.days.findIndex((d) => d.projected);
  const projection =
    firstProjected >= 0 ? [{ from: x[firstProjected]! - DAY_MS / 2, to: x.at(-1)!, label: 'projection', className: 'projection' }] : [];
  const c = data.current;
  const head = document.createElement('header');
  head.innerHTML = '<h1>Fitness, fatigue and form</h1><p class="summary"></p>';
  head.querySelector('.summary')!.textContent = c
    ? `${c.date}: fitness (CTL) ${one(c.ctl ?? 0)}, fatigue (ATL) ${one(c.atl ?? 0)}, form (TSB) ${one(c.tsb ?? 0)} — ${c.form_zone}; ramp rate ${c.ramp_rate === null ? '—' : one(c.ramp_rate)}/week. ${data.days.length} days${firstProjected >= 0 ? `, projected from ${data.days[firstProjected]!.date}` : ''}.`
    : `No value for today (${data.today}); ${data.days.length} days.`;
  head.append(rangeButtons(RANGES, range.label, changeRange));
  const load = document.createElement('section');
  const form = document.createElement('section');
  const dash = firstProjected >= 0 ? firstProjected : undefined;
  const xRange: [number, number] = [time(range.oldest ?? data.days[0]!.date), time(range.newest ?? data.days.at(-1)!.date)];
  app.replaceChildren(head, load, form);
  // Measured once, before either chart is in the page (chartWidth).
  const width = chartWidth(load);
  renderChart(load, {
    width,
    title: 'Fitness (CTL) and fatigue (ATL)',
    description: `Daily CTL and ATL from ${data.days[0]?.date} to ${data.days.at(-1)?.date}; dashed after today: projection from planned workouts.`,
    x,
    formatX: dayLabel,
    series: [
      { name: 'Fitness (CTL)', color: 'var(--series-ctl)', values: data.days.map((d) => d.ctl), dashedFrom: dash, format: one },
      { name: 'Fatigue (ATL)', color: 'var(--series-atl)', values: data.days.map((d) => d.atl), dashedFrom: dash, format: one },
    ],
    xBands: projection,
    xRange,
  });
  renderChart(form, {
    width,
    title: 'Form (TSB) with form zones',
    description:
      'Daily TSB = CTL − ATL over the zones transition (> 25), fresh (5 to 25), grey zone (−10 to 5), optimal training (−30 to −10), high risk (< −30).',
    x,
    formatX: dayLabel,
    series: [{ name: 'Form (TSB)', color: 'var(--series-tsb)', values: data.days.map((d) => d.tsb), dashedFrom: dash, format: one }],
    yBands: ZONES,
    xBands: projection,
    xRange,
    height: 170,
  });
  app.append(
    dataTable(
      'Fitness per day',
      ['date', 'CTL', 'ATL', 'TSB', 'ramp', ''],
      data.days.map((d) => [d.date, d.ctl ?? '—', d.atl ?? '—', d.tsb ?? '—', d.ramp_rate ?? '—', d.projected ? 'projected' : '']),
    ),
  );
}

async function changeRange(r: Range): Promise<void> {
  const today = view.last()?.today ?? new Date().toISOString().slice(0, 10);
  range = { oldest: addDays(today, -r.days), newest: addDays(today, 14), label: r.label };
  app.setAttribute('aria-busy', 'true');
  const result = await bridge
    .callTool('get_fitness', { ...args, oldest: range.oldest, newest: range.newest })
    .catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
  app.removeAttribute('aria-busy');
  view.show(result);
}

onWidthChange(view.redraw);
void bridge.connect('intervals-fitness');
