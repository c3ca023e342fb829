/**
 * A small SVG time-series chart: lines, shaded value bands (form zones), shaded x ranges
 * (projection, intervals), axis ticks, a cursor that follows the pointer and the arrow keys, and a
 * readout. SVG rather than a canvas library: every series, tick and marker is an element a screen
 * reader and the browser test can see, and the views draw at most a few thousand points (long
 * series are reduced to min/max pairs per pixel column first, see minMaxReduce).
 */

export interface Series {
  name: string;
  /** CSS colour (usually a var()). */
  color: string;
  values: readonly (number | null)[];
  /** Indexes from which the line is drawn dashed (the projection). */
  dashedFrom?: number;
  format?: (v: number) => string;
}

export interface ChartSpec {
  title: string;
  description: string;
  x: readonly number[];
  series: Series[];
  formatX(x: number): string;
  /** Horizontal value bands, e.g. the form zones. */
  yBands?: { from: number; to: number; label: string; className: string }[];
  /** Vertical x ranges, e.g. the projection after today or the intervals. */
  xBands?: { from: number; to: number; label: string; className: string }[];
  /** Only this x range is shown (zoom). */
  xRange?: [number, number];
  height?: number;
  /** From chartWidth(), when several charts are drawn at once; otherwise measured here. */
  width?: number;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A pixel coordinate to one decimal, as path data (Math.round: toFixed is several times slower per point). */
const oneDecimal = (v: number): number => Math.round(v * 10) / 10;
const PAD = { left: 44, right: 10, top: 8, bottom: 22 };

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  parent?.appendChild(node);
  return node;
}

/** "Nice" tick values (1, 2, 5 × 10^n steps) covering [min, max]. */
export function ticks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

/**
 * Reduces a long series to at most 2 × `columns` points by keeping, per column, the minimum and
 * the maximum in their original order: the line looks the same at that width and no peak is lost
 * (an average would flatten a 1-second sprint in a 4-hour ride).
 */
export function minMaxReduce(
  x: readonly number[],
  values: readonly (number | null)[],
  columns: number,
): { x: number[]; values: (number | null)[] } {
  const picked = minMaxPick(
    Array.from(x, (_, i) => i),
    values,
    columns,
  );
  return { x: picked.map((p) => x[p < 0 ? ~p : p]!), values: picked.map((p) => (p < 0 ? null : values[p]!)) };
}

/**
 * minMaxReduce on the indexes `at` of the original arrays, without copying the series: the
 * indexes kept, in order, a gap (a column without any value) written as `~index`.
 */
function minMaxPick(at: readonly number[], values: readonly (number | null)[], columns: number): number[] {
  if (at.length <= columns * 2) return at.map((i) => (values[i] === null || values[i] === undefined ? ~i : i));
  const out: number[] = [];
  const size = at.length / columns;
  for (let c = 0; c < columns; c++) {
    const start = Math.floor(c * size);
    const end = Math.min(at.length, Math.floor((c + 1) * size));
    let lo = -1;
    let hi = -1;
    for (let k = start; k < end; k++) {
      const i = at[k]!;
      const v = values[i];
      if (v === null || v === undefined) continue;
      if (lo < 0 || v < values[lo]!) lo = i;
      if (hi < 0 || v > values[hi]!) hi = i;
    }
    if (lo < 0) out.push(~at[start]!);
    else if (lo === hi) out.push(lo);
    else if (lo < hi) out.push(lo, hi);
    else out.push(hi, lo);
  }
  return out;
}

/**
 * The width to draw a chart at in `host`. Reading it lays the page out, so a view drawing several
 * charts reads it once, after placing their (empty) sections, and passes it as ChartSpec.width:
 * one layout per draw instead of one per chart.
 */
export const chartWidth = (host: HTMLElement): number => Math.max(280, Math.min(host.clientWidth || 600, 1200));

/** The mean of the last `window` days that have a value (null before the first value). */
export function rollingMean(values: readonly (number | null)[], window = 7): (number | null)[] {
  return values.map((_, i) => {
    const seen = values.slice(Math.max(0, i - window + 1), i + 1).filter((v): v is number => v !== null);
    return seen.length ? Math.round((seen.reduce((a, b) => a + b, 0) / seen.length) * 10) / 10 : null;
  });
}

/** Draws the chart into `host` (replacing what was there); returns the <figure>. */
export function renderChart(host: HTMLElement, spec: ChartSpec): HTMLElement {
  const width = spec.width ?? chartWidth(host);
  const height = spec.height ?? 220;
  const [x0, x1] = spec.xRange ?? [spec.x[0] ?? 0, spec.x.at(-1) ?? 1];
  // Plain loops over the series (a 4-hour ride is 14,400 points per line): no per-point arrays.
  const visible: number[] = [];
  for (let i = 0; i < spec.x.length; i++) if (spec.x[i]! >= x0 && spec.x[i]! <= x1) visible.push(i);
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const s of spec.series) {
    for (const i of visible) {
      const v = s.values[i];
      if (typeof v !== 'number') continue;
      if (v < yMin) yMin = v;
      if (v > yMax) yMax = v;
    }
  }
  for (const b of spec.yBands ?? []) {
    for (const v of [b.from, b.to]) {
      if (!Number.isFinite(v) || Math.abs(v) >= 60) continue;
      yMin = Math.min(yMin, v);
      yMax = Math.max(yMax, v);
    }
  }
  if (!Number.isFinite(yMin)) [yMin, yMax] = [0, 1];
  if (yMin === yMax) [yMin, yMax] = [yMin - 1, yMax + 1];
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const sy = (v: number) => PAD.top + (1 - (v - yMin) / (yMax - yMin)) * plotH;

  const figure = document.createElement('figure');
  figure.className = 'chart';
  const id = `c${Math.random().toString(36).slice(2, 8)}`;
  const svg = el(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', tabindex: 0, 'aria-labelledby': `${id}t ${id}d` },
    figure,
  );
  el('title', { id: `${id}t` }, svg).textContent = spec.title;
  el('desc', { id: `${id}d` }, svg).textContent = spec.description;
  const clip = el('clipPath', { id: `${id}clip` }, el('defs', {}, svg));
  el('rect', { x: PAD.left, y: PAD.top, width: plotW, height: plotH }, clip);
  const plot = el('g', { 'clip-path': `url(#${id}clip)` }, svg);

  for (const b of spec.yBands ?? []) {
    const top = sy(Math.min(b.to, yMax));
    const bottom = sy(Math.max(b.from, yMin));
    if (bottom > top)
      el('rect', { class: `yband ${b.className}`, x: PAD.left, y: top, width: plotW, height: bottom - top, 'data-label': b.label }, plot);
  }
  for (const b of spec.xBands ?? []) {
    const left = sx(Math.max(b.from, x0));
    const right = sx(Math.min(b.to, x1));
    if (right > left)
      el('rect', { class: `xband ${b.className}`, x: left, y: PAD.top, width: right - left, height: plotH, 'data-label': b.label }, plot);
  }

  const axis = el('g', { class: 'axis', 'aria-hidden': 'true' }, svg);
  for (const v of ticks(yMin, yMax, 4)) {
    el('line', { x1: PAD.left, x2: width - PAD.right, y1: sy(v), y2: sy(v), class: 'grid' }, axis);
    el('text', { x: PAD.left - 4, y: sy(v) + 4, 'text-anchor': 'end', class: 'tick y' }, axis).textContent = String(v);
  }
  const xCount = Math.max(2, Math.floor(plotW / 90));
  for (let k = 0; k <= xCount; k++) {
    const x = x0 + ((x1 - x0) * k) / xCount;
    el(
      'text',
      { x: sx(x), y: height - 6, 'text-anchor': k === 0 ? 'start' : k === xCount ? 'end' : 'middle', class: 'tick x' },
      axis,
    ).textContent = spec.formatX(x);
  }

  for (const s of spec.series) {
    const solid: string[] = [];
    const dashed: string[] = [];
    let pen = 'M';
    let drawn = 0;
    const dashFromX = s.dashedFrom !== undefined ? spec.x[s.dashedFrom] : undefined;
    for (const p of minMaxPick(visible, s.values, Math.ceil(plotW))) {
      if (p < 0) {
        pen = 'M';
        continue;
      }
      const x = spec.x[p]!;
      const point = `${oneDecimal(sx(x))},${oneDecimal(sy(s.values[p]!))}`;
      if (dashFromX !== undefined && x >= dashFromX) {
        if (dashed.length === 0 && solid.length) dashed.push(`M${solid.at(-1)!.slice(1)}`);
        dashed.push(`${dashed.length ? 'L' : 'M'}${point}`);
      } else solid.push(`${pen}${point}`);
      pen = 'L';
      drawn++;
    }
    el('path', { d: solid.join(''), class: 'line', stroke: s.color, 'data-series': s.name, 'data-points': drawn }, plot);
    if (dashed.length)
      el('path', { d: dashed.join(''), class: 'line projected', stroke: s.color, 'data-series': s.name, 'data-projected': 'true' }, plot);
  }

  const legend = document.createElement('p');
  legend.className = 'legend';
  // Series names can be Intervals.icu text (a curve's label): text nodes, never markup.
  for (const s of spec.series) {
    const key = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = s.color;
    key.append(swatch, s.name);
    legend.append(key);
  }
  figure.prepend(legend);
  const readout = document.createElement('p');
  readout.className = 'readout';
  readout.setAttribute('aria-live', 'polite');
  figure.append(readout);

  const cursor = el('line', { class: 'cursor', y1: PAD.top, y2: PAD.top + plotH, x1: -10, x2: -10 }, svg);
  let at = -1;
  const show = (k: number) => {
    if (visible.length === 0) return;
    at = Math.max(0, Math.min(visible.length - 1, k));
    const i = visible[at]!;
    const x = sx(spec.x[i]!);
    cursor.setAttribute('x1', String(x));
    cursor.setAttribute('x2', String(x));
    readout.textContent = `${spec.formatX(spec.x[i]!)}: ${spec.series.map((s) => `${s.name} ${s.values[i] == null ? '—' : (s.format ?? String)(s.values[i]!)}`).join(', ')}`;
  };
  svg.addEventListener('pointermove', (e) => {
    const box = svg.getBoundingClientRect();
    const x = x0 + (((e.clientX - box.left) * (width / box.width) - PAD.left) / plotW) * (x1 - x0);
    let best = 0;
    visible.forEach((i, k) => {
      if (Math.abs(spec.x[i]! - x) < Math.abs(spec.x[visible[best]!]! - x)) best = k;
    });
    show(best);
  });
  svg.addEventListener('keydown', (e) => {
    const step = e.shiftKey ? 10 : 1;
    const moves: Record<string, number> = { ArrowLeft: at - step, ArrowRight: at + step, Home: 0, End: visible.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      show(at < 0 && e.key.startsWith('Arrow') ? visible.length - 1 : moves[e.key]!);
    }
  });

  host.replaceChildren(figure);
  return figure;
}

/** The "show data" text alternative: a collapsed table of the same numbers. */
export function dataTable(caption: string, head: string[], rows: (string | number)[][]): HTMLElement {
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = `Show data (${rows.length} rows)`;
  const table = document.createElement('table');
  table.createCaption().textContent = caption;
  const tr = table.createTHead().insertRow();
  for (const h of head) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    tr.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const r = body.insertRow();
    for (const cell of row) r.insertCell().textContent = String(cell);
  }
  details.append(summary, table);
  return details;
}
