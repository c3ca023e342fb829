// The Activity view (get_activity_streams): power, heart rate, speed, cadence and altitude against
// time, the intervals shaded and listed; choosing one zooms every chart to it. On load it asks the
// host for the full-resolution streams and the intervals (get_activity_streams raw, then
// get_activity_intervals), so a 4-hour ride's 14,400 samples are drawn with their peaks.
import { HostBridge, onWidthChange, type ToolResult } from './bridge.js';
import { chartWidth, dataTable, renderChart, type Series } from './chart.js';
import { dataOrError } from './status.js';

interface Stream {
  type: string;
  unit: string | null;
  data: (number | boolean | null)[];
}
interface Streams {
  activity_id: string;
  samples: number;
  streams: Stream[];
}
interface Interval {
  label: string | null;
  type: string | null;
  start_s: number | null;
  duration_s: number | null;
  avg_power_w: number | null;
  avg_hr_bpm: number | null;
}

const SHOWN = [
  { type: 'watts', name: 'Power', unit: 'W', color: 'var(--series-power)' },
  { type: 'heartrate', name: 'Heart rate', unit: 'bpm', color: 'var(--series-hr)' },
  { type: 'velocity_smooth', name: 'Speed', unit: 'km/h', color: 'var(--series-speed)', scale: 3.6 },
  { type: 'cadence', name: 'Cadence', unit: 'rpm', color: 'var(--series-cadence)' },
  { type: 'altitude', name: 'Altitude', unit: 'm', color: 'var(--series-altitude)' },
];

const app = document.getElementById('app')!;
let streams: Streams | undefined;
let intervals: Interval[] = [];
let zoom: [number, number] | undefined;
const bridge = new HostBridge({ onToolResult: (r) => void load(r) });

const two = (n: number) => String(Math.floor(n)).padStart(2, '0');
const clock = (s: number) => `${Math.floor(s / 3600)}:${two((s % 3600) / 60)}:${two(s % 60)}`;
const failed = (e: Error): ToolResult => ({ isError: true, content: [{ type: 'text', text: e.message }] });

async function load(first: ToolResult): Promise<void> {
  const data = dataOrError<Streams>(app, first, 'streams', 'No streams in this result.');
  if (!data) return;
  streams = data;
  draw();
  const [full, ivs] = await Promise.all([
    data.samples > (data.streams[0]?.data.length ?? 0)
      ? bridge.callTool('get_activity_streams', { activity_id: data.activity_id, raw: true }).catch(failed)
      : Promise.resolve(first),
    bridge.callTool('get_activity_intervals', { activity_id: data.activity_id }).catch(failed),
  ]);
  if (!full.isError && full.structuredContent) streams = full.structuredContent as unknown as Streams;
  intervals = ivs.isError ? [] : ((ivs.structuredContent?.intervals as Interval[] | undefined) ?? []);
  draw();
}

function draw(): void {
  if (!streams) return;
  const time = streams.streams.find((s) => s.type === 'time')?.data;
  const n = Math.max(...streams.streams.map((s) => s.data.length));
  // Without a time stream the samples are 1 s apart, as Intervals.icu records them.
  const step = time ? 1 : streams.samples / n;
  const x = Array.from({ length: n }, (_, i) => (typeof time?.[i] === 'number' ? (time[i] as number) : i * step));
  const bands = intervals
    .filter((iv) => iv.start_s !== null && iv.duration_s !== null)
    .map((iv, k) => ({
      from: iv.start_s!,
      to: iv.start_s! + iv.duration_s!,
      label: `${k + 1} ${iv.label ?? iv.type ?? ''}`.trim(),
      className: iv.type === 'WORK' ? 'interval work' : 'interval',
    }));
  const head = document.createElement('header');
  head.innerHTML = '<h1></h1><p class="summary"></p>';
  head.querySelector('h1')!.textContent = `Activity ${streams.activity_id}`;
  head.querySelector('.summary')!.textContent =
    `${streams.samples} samples, ${clock(x.at(-1) ?? 0)}${zoom ? `; zoomed to ${clock(zoom[0])}–${clock(zoom[1])}` : ''}.`;
  app.replaceChildren(head);
  const charts: Series[] = [];
  let width: number | undefined;
  for (const s of SHOWN) {
    const found = streams.streams.find((t) => t.type === s.type);
    if (!found) continue;
    const values = found.data.map((v) => (typeof v === 'number' ? v * (s.scale ?? 1) : null));
    const series: Series = { name: `${s.name} (${s.unit})`, color: s.color, values, format: (v) => v.toFixed(s.scale ? 1 : 0) };
    charts.push(series);
    const section = document.createElement('section');
    app.append(section);
    // Measured once, before any chart is in the page (chartWidth).
    width ??= chartWidth(section);
    renderChart(section, {
      width,
      title: s.name,
      description: `${s.name} in ${s.unit} against elapsed time${bands.length ? `, ${bands.length} intervals shaded` : ''}.`,
      x,
      series: [series],
      formatX: clock,
      xBands: bands,
      xRange: zoom,
      height: 120,
    });
  }
  if (intervals.length) app.append(intervalList(bands));
  const every = Math.max(1, Math.ceil(n / 240));
  app.append(
    dataTable(
      `Samples (every ${every} s)`,
      ['time', ...charts.map((c) => c.name)],
      x.filter((_, i) => i % every === 0).map((t, j) => [clock(t), ...charts.map((c) => c.values[j * every] ?? '—')]),
    ),
  );
}

function intervalList(bands: { from: number; to: number; label: string }[]): HTMLElement {
  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', 'Intervals');
  nav.innerHTML = '<h2>Intervals</h2><ol class="intervals"></ol>';
  const list = nav.querySelector('ol')!;
  bands.forEach((b, k) => {
    const iv = intervals[k]!;
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `${b.label}: ${clock(b.from)}–${clock(b.to)}${iv.avg_power_w !== null ? `, ${Math.round(iv.avg_power_w)} W` : ''}${iv.avg_hr_bpm !== null ? `, ${Math.round(iv.avg_hr_bpm)} bpm` : ''}`;
    button.setAttribute('aria-pressed', String(zoom?.[0] === b.from && zoom?.[1] === b.to));
    button.addEventListener('click', () => {
      zoom = zoom?.[0] === b.from && zoom?.[1] === b.to ? undefined : [b.from, b.to];
      draw();
    });
    li.append(button);
    list.append(li);
  });
  return nav;
}

onWidthChange(draw);
void bridge.connect('intervals-activity');
