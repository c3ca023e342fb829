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
}

const SVG = 'http://www.w3.org/2000/svg';
const PAD = { left: 44, right: 10, top: 8, bottom: 22 };

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
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
export function minMaxReduce(x: readonly number[], values: readonly (number | null)[], columns: number): { x: number[]; values: (number | null)[] } {
  if (x.length <= columns * 2) return { x: [...x], values: [...values] };
  const outX: number[] = [];
  const outV: (number | null)[] = [];
  const size = x.length / columns;
  for (let c = 0; c < columns; c++) {
    const start = Math.floor(c * size);
    const end = Math.min(x.length, Math.floor((c + 1) * size));
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      if (lo < 0 || v < values[lo]!) lo = i;
      if (hi < 0 || v > values[hi]!) hi = i;
    }
    if (lo < 0) {
      outX.push(x[start]!);
      outV.push(null);
      continue;
    }
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) {
      outX.push(x[i]!);
      outV.push(values[i]!);
    }
  }
  return { x: outX, values: outV };
}

/** The mean of the last `window` days that have a value (null before the first value). */
export function rollingMean(values: readonly (number | null)[], window = 7): (number | null)[] {
  return values.map((_, i) => {
    const seen = values.slice(Math.max(0, i - window + 1), i + 1).filter((v): v is number => v !== null);
    return seen.length ? Math.round((seen.reduce((a, b) => a + b, 0) / seen.length) * 10) / 10 : null;
  });
}

/** Draws the chart into `host` (replacing what was there); returns the <figure>. */
export function renderChart(host: HTMLElement, spec: ChartSpec): HTMLElement {
  const width = Math.max(280, Math.min(host.clientWidth || 600, 1200));
  const height = spec.height ?? 220;
  const [x0, x1] = spec.xRange ?? [spec.x[0] ?? 0, spec.x.at(-1) ?? 1];
  const visible = spec.x.map((x, i) => [x, i] as const).filter(([x]) => x >= x0 && x <= x1).map(([, i]) => i);
  const all = spec.series.flatMap((s) => visible.map((i) => s.values[i]).filter((v): v is number => typeof v === 'number'));
  const bandEdges = (spec.yBands ?? []).flatMap((b) => [b.from, b.to]).filter((v) => Number.isFinite(v) && Math.abs(v) < 60);
  let yMin = Math.min(...all, ...(spec.yBands ? bandEdges : []));
  let yMax = Math.max(...all, ...(spec.yBands ? bandEdges : []));
  if (!Number.isFinite(yMin)) [yMin, yMax] = [0, 1];
  if (yMin === yMax) [yMin, yMax] = [yMin - 1, yMax + 1];
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const sy = (v: number) => PAD.top + (1 - (v - yMin) / (yMax - yMin)) * plotH;

  const figure = document.createElement('figure');
  figure.className = 'chart';
  const id = `c${Math.random().toString(36).slice(2, 8)}`;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', tabindex: 0, 'aria-labelledby': `${id}t ${id}d` }, figure);
  el('title', { id: `${id}t` }, svg).textContent = spec.title;
  el('desc', { id: `${id}d` }, svg).textContent = spec.description;
  const clip = el('clipPath', { id: `${id}clip` }, el('defs', {}, svg));
  el('rect', { x: PAD.left, y: PAD.top, width: plotW, height: plotH }, clip);
  const plot = el('g', { 'clip-path': `url(#${id}clip)` }, svg);

  for (const b of spec.yBands ?? []) {
    const top = sy(Math.min(b.to, yMax));
    const bottom = sy(Math.max(b.from, yMin));
    if (bottom > top) el('rect', { class: `yband ${b.className}`, x: PAD.left, y: top, width: plotW, height: bottom - top, 'data-label': b.label }, plot);
  }
  for (const b of spec.xBands ?? []) {
    const left = sx(Math.max(b.from, x0));
    const right = sx(Math.min(b.to, x1));
    if (right > left) el('rect', { class: `xband ${b.className}`, x: left, y: PAD.top, width: right - left, height: plotH, 'data-label': b.label }, plot);
  }

  const axis = el('g', { class: 'axis', 'aria-hidden': 'true' }, svg);
  for (const v of ticks(yMin, yMax, 4)) {
    el('line', { x1: PAD.left, x2: width - PAD.right, y1: sy(v), y2: sy(v), class: 'grid' }, axis);
    el('text', { x: PAD.left - 4, y: sy(v) + 4, 'text-anchor': 'end', class: 'tick y' }, axis).textContent = String(v);
  }
  const xCount = Math.max(2, Math.floor(plotW / 90));
  for (let k = 0; k <= xCount; k++) {
    const x = x0 + ((x1 - x0) * k) / xCount;
    el('text', { x: sx(x), y: height - 6, 'text-anchor': k === 0 ? 'start' : k === xCount ? 'end' : 'middle', class: 'tick x' }, axis).textContent = spec.formatX(x);
  }

  for (const s of spec.series) {
    const reduced = minMaxReduce(visible.map((i) => spec.x[i]!), visible.map((i) => s.values[i] ?? null), Math.ceil(plotW));
    const solid: string[] = [];
    const dashed: string[] = [];
    let pen = 'M';
    const dashFromX = s.dashedFrom !== undefined ? spec.x[s.dashedFrom] : undefined;
    reduced.values.forEach((v, j) => {
      if (v === null) return void (pen = 'M');
      const x = reduced.x[j]!;
      const point = `${sx(x).toFixed(1)},${sy(v).toFixed(1)}`;
      if (dashFromX !== undefined && x >= dashFromX) {
        if (dashed.length === 0 && solid.length) dashed.push(`M${solid.at(-1)!.slice(1)}`);
        dashed.push(`${dashed.length ? 'L' : 'M'}${point}`);
      } else solid.push(`${pen === 'M' ? 'M' : 'L'}${point}`);
      pen = 'L';
    });
    const drawn = reduced.values.filter((v) => v !== null).length;
    el('path', { d: solid.join(''), class: 'line', stroke: s.color, 'data-series': s.name, 'data-points': drawn }, plot);
    if (dashed.length) el('path', { d: dashed.join(''), class: 'line projected', stroke: s.color, 'data-series': s.name, 'data-projected': 'true' }, plot);
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
