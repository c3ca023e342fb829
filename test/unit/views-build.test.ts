import { describe, expect, it } from '@jest/globals';
import { minMaxReduce, rollingMean, ticks } from '../../src/views/chart.js';
import { fitCriticalPower } from '../../src/views/critical-power.js';
import { viewHtml, VIEWS } from '../../src/mcp/views.js';

/** The budget for one view document, uncompressed. */
const VIEW_BUDGET_BYTES = 150 * 1024;

describe('the built MCP Apps views (dist/views/, scripts/build-views.mjs)', () => {
  it.each(VIEWS.map((v) => [v.name, v] as const))('%s is one self-contained document within the 150 KB budget', (_name, view) => {
    const html = viewHtml(view);
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(VIEW_BUDGET_BYTES);
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    // Script and styles inline, nothing referenced from outside.
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=/);
  });
});

describe('display downsampling keeps every peak', () => {
  it('a 14,400-point ride reduced to 900 columns keeps its 1-second maximum and minimum', () => {
    const x = Array.from({ length: 14_400 }, (_, i) => i);
    const v = x.map((i) => 200 + 30 * Math.sin(i / 300));
    v[7_777] = 1_250; // a sprint
    v[1_234] = 0; // a coast
    const r = minMaxReduce(x, v, 900);
    expect(r.x.length).toBeLessThanOrEqual(1_800);
    expect(Math.max(...(r.values as number[]))).toBe(1_250);
    expect(Math.min(...(r.values as number[]))).toBe(0);
    expect(r.x[r.values.indexOf(1_250)]).toBe(7_777);
    // x stays in order, so the line never doubles back.
    expect(r.x.every((t, i) => i === 0 || t > r.x[i - 1]!)).toBe(true);
  });

  it('short series pass through untouched, gaps stay gaps', () => {
    expect(minMaxReduce([1, 2, 3], [5, null, 7], 900)).toEqual({ x: [1, 2, 3], values: [5, null, 7] });
  });

  it('the 7-day average skips missing days and starts with the first value', () => {
    expect(rollingMean([null, 60, 62, null, 64, 66, 68, 70, 72, 74])).toEqual([null, 60, 61, 61, 62, 63, 64, 65, 67, 69]);
  });

  it('axis ticks are round numbers covering the range', () => {
    expect(ticks(-27.3, 41.8, 4)).toEqual([-20, 0, 20, 40]);
    expect(ticks(0, 1250, 4)).toEqual([0, 500, 1000]);
  });
});

describe('the critical-power model line', () => {
  it('fits CP and W′ to the 2–20 minute bests by least squares on work against time', () => {
    // 320/280/260/245 W for 2/5/10/20 min: work 38.4, 84, 156, 294 kJ; by hand the line through
    // them has slope 158,526,000 / 672,300 = 235.8 W and intercept 143,100 − 235.8 × 555 = 12,233 J.
    const best = [
      [60, 380],
      [120, 320],
      [300, 280],
      [600, 260],
      [1200, 245],
      [3600, 210],
    ].map(([secs, watts]) => ({ secs: secs!, watts: watts! }));
    expect(fitCriticalPower(best)).toEqual({ cp: 236, wPrime: 12_233 });
  });

  it('needs two bests inside 2–20 minutes', () => {
    expect(
      fitCriticalPower([
        { secs: 60, watts: 380 },
        { secs: 300, watts: 280 },
        { secs: 3600, watts: 210 },
      ]),
    ).toBeUndefined();
  });
});
