// The Curves view (get_power_curves / get_hr_curves / get_pace_curves): best power or heart rate
// per duration, or best time per distance, for up to three periods side by side on a log axis;
// for power the critical-power model line fitted to the 2–20 minute bests (work = CP·t + W′), for
// pace the critical speed Intervals.icu reports. "Compare" asks the same tool, through the host,
// for this season, last season and all time.
import { HostBridge, onWidthChange } from './bridge.js';
import { dataTable, renderChart, type Series } from './chart.js';
import { fitCriticalPower } from './critical-power.js';
import { resultView } from './status.js';

interface Point {
  secs: number | null;
  distance_m: number | null;
  value: number | null;
}
interface Curve {
  id: string;
  label: string | null;
  start: string | null;
  end: string | null;
  points: Point[];
}
interface Curves {
  sport: string;
  curves: Curve[];
  critical_speed_mps: number | null;
}

const COLORS = ['var(--series-ctl)', 'var(--series-atl)', 'var(--series-tsb)'];
const COMPARE = ['s0', 's1', 'all'];
const TOOLS: Record<string, { unit: string; model: string | null }> = {
  get_power_curves: { unit: 'W', model: 'Critical power model' },
  get_hr_curves: { unit: 'bpm', model: null },
  get_pace_curves: { unit: 's', model: 'Critical speed' },
};

const app = document.getElementById('app')!;
let args: Record<string, unknown> = {};
let tool = 'get_power_curves';
const view = resultView<Curves>(app, 'curves', 'No curves in this result.', (data) => draw(data));
const bridge = new HostBridge({ onToolInput: (a) => (args = a), onToolResult: (r) => view.show(r) });

const byDistance = (c: Curves) => c.curves.some((k) => k.points.some((p) => p.distance_m !== null));
const duration = (s: number) => (s < 60 ? `${Math.round(s)}s` : s < 3600 ? `${Math.round(s / 60)}m` : `${+(s / 3600).toFixed(1)}h`);
const distance = (m: number) => (m < 1000 ? `${Math.round(m)}m` : `${+(m / 1000).toFixed(1)}km`);

function draw(data: Curves): void {
  const spec = TOOLS[tool] ?? TOOLS.get_power_curves!;
  const dist = byDistance(data);
  const xOf = (p: Point) => (dist ? p.distance_m : p.secs);
  const xs = [...new Set(data.curves.flatMap((c) => c.points.map(xOf).filter((x): x is number => x !== null && x > 0)))].sort(
    (a, b) => a - b,
  );
  const series: Series[] = data.curves.slice(0, 3).map((c, k) => {
    const at = new Map(c.points.map((p) => [xOf(p), p.value]));
    return {
      name: c.label ?? (c.start && c.end ? `${c.start} – ${c.end}` : c.id),
      color: COLORS[k]!,
      values: xs.map((x) => at.get(x) ?? null),
      format: (v) => `${Math.round(v)} ${spec.unit}`,
    };
  });
  let modelNote = '';
  if (tool === 'get_power_curves' && series[0]) {
    const fit = fitCriticalPower(
      xs.map((secs, i) => ({ secs, watts: series[0]!.values[i] ?? NaN })).filter((p) => Number.isFinite(p.watts)),
    );
    if (fit) {
      series.push({
        name: `${spec.model} (CP ${fit.cp} W, W′ ${(fit.wPrime / 1000).toFixed(1)} kJ)`,
        color: 'var(--muted)',
        values: xs.map((t) => (t >= 60 ? fit.cp + fit.wPrime / t : null)),
        format: (v) => `${Math.round(v)} W`,
      });
      modelNote = ` Critical power ${fit.cp} W, W′ ${(fit.wPrime / 1000).toFixed(1)} kJ (fitted to the 2–20 min bests of ${series[0].name}).`;
    }
  }
  if (tool === 'get_pace_curves' && data.critical_speed_mps) {
    series.push({
      name: `${spec.model} (${data.critical_speed_mps.toFixed(2)} m/s)`,
      color: 'var(--muted)',
      values: xs.map((m) => m / data.critical_speed_mps!),
      format: (v) => `${Math.round(v)} s`,
    });
    modelNote = ` Critical speed ${data.critical_speed_mps.toFixed(2)} m/s.`;
  }
  const head = document.createElement('header');
  head.innerHTML = '<h1></h1><p class="summary"></p><div class="ranges"><button type="button"></button></div>';
  head.querySelector('h1')!.textContent =
    `${tool === 'get_hr_curves' ? 'Heart-rate' : tool === 'get_pace_curves' ? 'Pace' : 'Power'} curve, ${data.sport}`;
  head.querySelector('.summary')!.textContent =
    `${data.curves.length} period${data.curves.length === 1 ? '' : 's'}, ${xs.length} ${dist ? 'distances' : 'durations'}.${modelNote}`;
  const compare = head.querySelector('button')!;
  compare.textContent = 'Compare: this season, last season, all time';
  compare.setAttribute('aria-pressed', String(JSON.stringify(args.curves) === JSON.stringify(COMPARE)));
  compare.addEventListener('click', () => void recall({ ...args, curves: COMPARE, ranges: undefined }));
  const section = document.createElement('section');
  app.replaceChildren(head, section);
  const lx = xs.map((x) => Math.log10(x));
  renderChart(section, {
    title: head.querySelector('h1')!.textContent!,
    description: `Best ${dist ? 'time per distance' : `${spec.unit} per duration`} on a logarithmic axis, one line per period${modelNote ? ', with the model line' : ''}.`,
    x: lx,
    formatX: (x) => (dist ? distance(10 ** x) : duration(10 ** x)),
    series,
  });
  app.append(
    dataTable(
      'Best efforts',
      [dist ? 'distance' : 'duration', ...series.map((s) => s.name)],
      xs.map((x, i) => [dist ? distance(x) : duration(x), ...series.map((s) => (s.values[i] == null ? '—' : Math.round(s.values[i]!)))]),
    ),
  );
}

async function recall(next: Record<string, unknown>): Promise<void> {
  args = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
  app.setAttribute('aria-busy', 'true');
  const result = await bridge.callTool(tool, args).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
  app.removeAttribute('aria-busy');
  view.show(result);
}

onWidthChange(view.redraw);
// The host names the tool in its context; without it the result's shape tells power from pace.
void bridge.connect('intervals-curves').then((ctx) => {
  const name = ctx.toolInfo?.tool?.name;
  if (name && name in TOOLS) tool = name;
});
