#!/usr/bin/env node
// MCP Apps views: time from loading the ui:// document to the first painted chart, in headless
// Chromium, with ext-apps' AppBridge as the host (test/support/views-host/host-page.ts). Data is
// made here, the size the issue names: 365 days of fitness (plus 14 projected) and a 4-hour ride
// at 1 Hz (14,400 samples in each of 6 streams, 12 intervals); the view's own tools/call requests
// are answered in the page, so the figure is the view's work alone, not our server's.
// Two figures per view (median of RUNS fresh pages): load → first paint, from creating the iframe
// (the host hands over the ui:// document) to the first frame painted after a chart line exists,
// including the AppBridge handshake; and result → paint, from the host sending the tool result.
// `npm run bench:views` (builds the views first).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { findChromium } from '../scripts/test-chromium.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.RUNS ?? 15);
const DAY = 86_400_000;

function fitness() {
  const today = new Date().toISOString().slice(0, 10);
  const days = [];
  let ctl = 50,
    atl = 50;
  for (let i = -365; i <= 14; i++) {
    const date = new Date(Date.parse(`${today}T00:00:00Z`) + i * DAY).toISOString().slice(0, 10);
    const load = i > 0 ? 0 : 40 + 60 * Math.abs(Math.sin(i / 3)) + (i % 7 === 0 ? 120 : 0);
    ctl += (load - ctl) / 42;
    atl += (load - atl) / 7;
    days.push({
      date,
      ctl: +ctl.toFixed(1),
      atl: +atl.toFixed(1),
      tsb: +(ctl - atl).toFixed(1),
      ramp_rate: 2.1,
      load: Math.round(load),
      projected: i > 0,
    });
  }
  const current = { ...days[365], form_zone: 'grey zone' };
  return { args: {}, result: { athlete_id: 'i1', today, current, days } };
}

function activity() {
  const n = 14_400;
  const time = Array.from({ length: n }, (_, i) => i);
  const watts = time.map((t) => Math.round(180 + 40 * Math.sin(t / 500) + (t % 1200 < 300 ? 120 : 0) + (t === 7777 ? 900 : 0)));
  const hr = time.map((t) => Math.round(120 + 20 * Math.sin(t / 900) + t / 600));
  const stream = (type, data, unit) => ({ type, name: null, unit, data, data2: null, min: null, avg: null, max: null });
  const streams = [
    stream('time', time, 's'),
    stream('watts', watts, 'W'),
    stream('heartrate', hr, 'bpm'),
    stream(
      'cadence',
      time.map((t) => 85 + (t % 9)),
      'rpm',
    ),
    stream(
      'velocity_smooth',
      time.map((t) => 9 + Math.sin(t / 300)),
      'm/s',
    ),
    stream(
      'altitude',
      time.map((t) => 200 + 100 * Math.sin(t / 3000)),
      'm',
    ),
  ];
  const intervals = Array.from({ length: 12 }, (_, k) => ({
    label: `Interval ${k + 1}`,
    type: 'WORK',
    start_s: k * 1200,
    duration_s: 300,
    avg_power_w: 300,
    avg_hr_bpm: 150,
  }));
  return {
    args: { activity_id: 'i1' },
    result: { activity_id: 'i1', samples: n, returned: n, downsampled: false, streams, missing: [] },
    intervals,
  };
}

const host = (
  await build({
    entryPoints: [`${ROOT}test/support/views-host/host-page.ts`],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  })
).outputFiles[0].text;
// Marks the first frame painted after the first chart line exists, in the view's own document.
const PROBE = `<script>new MutationObserver((_, o) => { if (document.querySelector('path.line')) { o.disconnect(); requestAnimationFrame(() => setTimeout(() => parent.postMessage({ painted: performance.timeOrigin + performance.now() }, '*'))); } }).observe(document, { subtree: true, childList: true });</script>`;

const browser = await chromium.launch({
  executablePath: (await findChromium()).path,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const out = [];
for (const [name, data] of [
  ['fitness', fitness()],
  ['activity', activity()],
]) {
  const html = readFileSync(`${ROOT}dist/views/${name}.html`, 'utf8');
  const bytes = Buffer.byteLength(html);
  const resultBytes = Buffer.byteLength(JSON.stringify(data.result));
  const times = [];
  let toPaint;
  for (let run = 0; run < RUNS; run++) {
    const page = await browser.newPage({ viewport: { width: 920, height: 900 } });
    await page.exposeFunction('hostCallTool', (p) =>
      p.name === 'get_activity_intervals'
        ? { content: [], structuredContent: { activity_id: 'i1', count: 12, total: 12, intervals: data.intervals } }
        : { content: [], structuredContent: data.result },
    );
    await page.setContent('<!doctype html><html><body style="margin:0"></body></html>');
    await page.addScriptTag({ content: host });
    const ms = await page.evaluate(
      async ({ html, args, result }) => {
        const painted = new Promise((resolve) => addEventListener('message', (e) => e.data?.painted && resolve(e.data)));
        const start = performance.timeOrigin + performance.now();
        await window.mountView({
          html,
          tool: { name: 'bench', inputSchema: { type: 'object' } },
          toolArguments: args,
          toolResult: { content: [{ type: 'text', text: '…' }], structuredContent: result },
          theme: 'light',
          width: 900,
        });
        const delivered = performance.timeOrigin + performance.now();
        const p = await painted;
        return [p.painted - start, p.painted - delivered];
      },
      { html: html.replace('<head>', `<head>${PROBE}`), args: data.args, result: data.result },
    );
    times.push(ms[0]);
    (toPaint ??= []).push(ms[1]);
    await page.close();
  }
  times.sort((a, b) => a - b);
  out.push({
    view: name,
    html_bytes: bytes,
    result_bytes: resultBytes,
    runs: RUNS,
    median_ms: +times[Math.floor(RUNS / 2)].toFixed(1),
    max_ms: +times.at(-1).toFixed(1),
    result_to_paint_median_ms: +toPaint.sort((a, b) => a - b)[Math.floor(RUNS / 2)].toFixed(1),
  });
}
await browser.close();
console.table(out);
