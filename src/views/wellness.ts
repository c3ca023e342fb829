// The Wellness view (get_wellness): HRV, resting heart rate, sleep and weight per day with their
// 7-day averages; range buttons call get_wellness again through the host.
import { HostBridge, onWidthChange } from './bridge.js';
import { chartWidth, dataTable, renderChart, rollingMean } from './chart.js';
import { addDays, dayLabel, rangeButtons, time, type Range } from './ranges.js';
import { resultView } from './status.js';

type Day = { date: string } & Record<string, number | string | boolean | null>;
interface Wellness {
  athlete_id: string;
  oldest: string;
  newest: string;
  days: Day[];
}

// get_wellness answers at most 120 days at a time.
const RANGES: Range[] = [
  { label: '2 weeks', days: 14 },
  { label: '6 weeks', days: 42 },
  { label: '4 months', days: 119 },
];
const METRICS = [
  { key: 'hrv_rmssd_ms', name: 'HRV (rMSSD, ms)', color: 'var(--series-power)', scale: 1 },
  { key: 'resting_hr_bpm', name: 'Resting HR (bpm)', color: 'var(--series-hr)', scale: 1 },
  { key: 'sleep_s', name: 'Sleep (h)', color: 'var(--series-cadence)', scale: 1 / 3600 },
  { key: 'weight_kg', name: 'Weight (kg)', color: 'var(--series-speed)', scale: 1 },
];

const app = document.getElementById('app')!;
let args: Record<string, unknown> = {};
let pressed: string | undefined;
const view = resultView<Wellness>(app, 'days', 'No wellness data in this result.', (data) => draw(data));
const bridge = new HostBridge({ onToolInput: (a) => (args = a), onToolResult: (r) => view.show(r) });

function draw(data: Wellness): void {
  const head = document.createElement('header');
  head.innerHTML = '<h1>Wellness</h1><p class="summary"></p>';
  head.querySelector('.summary')!.textContent = `${data.oldest} to ${data.newest}: ${data.days.length} days with records.`;
  head.append(rangeButtons(RANGES, pressed, changeRange));
  app.replaceChildren(head);
  const x = data.days.map((d) => time(d.date));
  const shown: { name: string; values: (number | null)[] }[] = [];
  let width: number | undefined;
  for (const m of METRICS) {
    const values = data.days.map((d) => (typeof d[m.key] === 'number' ? Math.round((d[m.key] as number) * m.scale * 10) / 10 : null));
    if (values.every((v) => v === null)) continue;
    shown.push({ name: m.name, values });
    const section = document.createElement('section');
    app.append(section);
    // Measured once, before any chart is in the page (chartWidth).
    width ??= chartWidth(section);
    renderChart(section, {
      width,
      title: m.name,
      description: `${m.name} per day and its 7-day average, ${data.oldest} to ${data.newest}.`,
      x,
      formatX: dayLabel,
      xRange: [time(data.oldest), time(data.newest)],
      series: [
        { name: m.name, color: m.color, values, format: (v) => v.toFixed(1) },
        { name: '7-day average', color: 'var(--muted)', values: rollingMean(values), format: (v) => v.toFixed(1) },
      ],
      height: 120,
    });
  }
  if (shown.length === 0)
    app.append(
      Object.assign(document.createElement('p'), {
        className: 'status',
        textContent: 'No HRV, resting HR, sleep or weight in this range.',
      }),
    );
  app.append(
    dataTable(
      'Wellness per day',
      ['date', ...shown.map((s) => s.name)],
      data.days.map((d, i) => [d.date, ...shown.map((s) => s.values[i] ?? '—')]),
    ),
  );
}

async function changeRange(r: Range): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  pressed = r.label;
  app.setAttribute('aria-busy', 'true');
  const result = await bridge
    .callTool('get_wellness', { ...args, oldest: addDays(today, -r.days), newest: today })
    .catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
  app.removeAttribute('aria-busy');
  view.show(result);
}

onWidthChange(view.redraw);
void bridge.connect('intervals-wellness');
