import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/client';
import type { Browser } from 'playwright-core';
import { RIDE_ID } from '../fakes/intervals/routes/activity-data.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { getTokens, launchChromium, linkIntervals, startOAuthService, type OAuthService } from '../support/oauth.js';
import { ROOT } from '../support/process.js';
import { openViewHost, seriousA11yViolations, type ViewHost } from '../support/views-host/index.js';
import { connectMcp } from '../support/views.js';

/**
 * The MCP Apps views end to end: our /mcp with real tokens, ext-apps' real host side (AppBridge)
 * in headless Chromium, the view in a sandboxed iframe with a no-network CSP. Screenshots go to
 * test-artifacts/views/ (gitignored).
 */
const SHOTS = `${ROOT}test-artifacts/views`;
let fake: FakeIntervals;
let svc: OAuthService;
let browser: Browser;
let ann: Client;
let ben: Client;
const hosts: ViewHost[] = [];
const today = new Date().toISOString().slice(0, 10);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  fake = await startFakeIntervals();
  svc = await startOAuthService({ INTERVALS_API_BASE_URL: fake.url });
  // Every tool set on: the views belong to analysis tools as well as core ones.
  const every = ['planning', 'coach', 'analysis'];
  const annToken = (
    await getTokens(svc, {
      email: 'ann@example.com',
      link: linkIntervals(svc, { athleteId: 'i1001', apiKey: 'ann-key-3f9a1c7e5b2d' }),
      toolsets: every,
    })
  ).access_token;
  const benToken = (
    await getTokens(svc, {
      email: 'ben@example.com',
      link: linkIntervals(svc, { athleteId: 'i2002', apiKey: 'ben-key-7d2e4a9c1f6b' }),
      toolsets: every,
    })
  ).access_token;
  ann = await connectMcp(svc.resource, annToken, { ui: true });
  ben = await connectMcp(svc.resource, benToken, { ui: true });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const h of hosts) await h.close();
  await browser?.close();
  await ann?.close();
  await ben?.close();
  await svc?.close();
  await fake?.close();
});

async function host(client: Client): Promise<ViewHost> {
  const h = await openViewHost(browser, client);
  hosts.push(h);
  return h;
}

describe('Fitness view (get_fitness)', () => {
  let h: ViewHost;
  beforeAll(async () => {
    h = await host(ann);
    await h.show('get_fitness', { oldest: '2026-05-01', newest: addDays(today, 14) });
    await h.view().waitForSelector('path[data-series="Fitness (CTL)"]');
  });

  it('draws CTL, ATL and TSB per day, the form zones, axis labels and the projection after today', async () => {
    const v = h.view();
    const direct = (await ann.callTool({ name: 'get_fitness', arguments: { oldest: '2026-05-01', newest: addDays(today, 14) } }))
      .structuredContent as { days: { date: string; ctl: number | null; projected: boolean }[] };
    const known = direct.days.filter((d) => !d.projected && d.ctl !== null).length;
    const projected = direct.days.filter((d) => d.projected).length;
    expect(projected).toBe(14);
    // Each line has one point per day (solid up to today, dashed after).
    expect(Number(await v.getAttribute('path.line:not(.projected)[data-series="Fitness (CTL)"]', 'data-points'))).toBe(direct.days.length);
    expect(await v.locator('path.projected').count()).toBe(3); // CTL, ATL, TSB
    expect(await v.locator('path[data-series="Fatigue (ATL)"]').count()).toBe(2);
    expect(await v.locator('path[data-series="Form (TSB)"]').count()).toBe(2);
    expect(await v.locator('rect.xband.projection').count()).toBe(2);
    expect(await v.locator('rect.yband').evaluateAll((els) => els.map((e) => e.getAttribute('data-label')))).toEqual(
      expect.arrayContaining(['fresh', 'grey zone', 'optimal training']),
    );
    const xTicks = await v.locator('text.tick.x').allTextContents();
    expect(xTicks[0]).toBe('05-01');
    expect(xTicks.at(-1)).toBe(addDays(today, 14).slice(5));
    expect((await v.locator('text.tick.y').allTextContents()).every((t) => /^-?\d+$/.test(t))).toBe(true);
    await expect(v.locator('.summary').textContent()).resolves.toMatch(
      new RegExp(`${direct.days.length} days, projected from ${addDays(today, 1)}`),
    );
    // The text alternative holds every day.
    expect(await v.locator('details table tbody tr').count()).toBe(direct.days.length);
    expect(known).toBeGreaterThan(10);
  });

  it('hover and the arrow keys show one day', async () => {
    const v = h.view();
    await v.focus('svg');
    await h.page.keyboard.press('End');
    await expect(v.locator('figure .readout').first().textContent()).resolves.toMatch(
      new RegExp(`^${addDays(today, 14).slice(5)}: Fitness \\(CTL\\) \\d+\\.\\d, Fatigue \\(ATL\\) \\d+\\.\\d$`),
    );
    await h.page.keyboard.press('ArrowLeft');
    await expect(v.locator('figure .readout').first().textContent()).resolves.toMatch(new RegExp(`^${addDays(today, 13).slice(5)}:`));
  });

  it('a range change inside the view calls get_fitness through the host for the same person and re-renders', async () => {
    const v = h.view();
    const before = fake.requestsTo('GET', /^\/athlete\/i1001\/wellness$/).length;
    // By keyboard, as the views must be operable: focus the range button and press Enter.
    await v.focus('button:has-text("1 year")');
    await h.page.keyboard.press('Enter');
    await v.waitForFunction(() => document.querySelector('button[aria-pressed="true"]')?.textContent === '1 year');
    const events = await h.events();
    expect(events.at(-1)).toBe(
      `tools/call ${JSON.stringify({ name: 'get_fitness', arguments: { oldest: addDays(today, -365), newest: addDays(today, 14) } })}`,
    );
    const seen = fake.requestsTo('GET', /^\/athlete\/i1001\/wellness$/);
    expect(seen.length).toBe(before + 1);
    expect(seen.at(-1)).toMatchObject({ caller: 'i1001', query: expect.objectContaining({ oldest: addDays(today, -365) }) });
    expect((await v.locator('text.tick.x').allTextContents())[0]).toBe(addDays(today, -365).slice(5));
  });

  it('axe-core finds nothing serious or critical, in light and dark', async () => {
    expect(await seriousA11yViolations(h.view())).toEqual([]);
    await h.setTheme('dark');
    await h.view().waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    expect(await seriousA11yViolations(h.view())).toEqual([]);
    const bg = await h.view().evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(27, 28, 31)'); // the host's --color-background-primary
  });

  it.each([
    ['light', 900],
    ['dark', 900],
    ['light', 390],
    ['dark', 390],
  ] as ['light' | 'dark', number][])('screenshot %s at %i px', async (theme, width) => {
    const shot = await host(ann);
    await shot.show('get_fitness', { oldest: addDays(today, -90), newest: addDays(today, 14) }, { theme, width });
    await shot.view().waitForSelector('path[data-series="Form (TSB)"]');
    // Readable at that width: nothing sticks out sideways.
    expect(await shot.view().evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const png = await shot.page.screenshot({ path: `${SHOTS}/fitness-${theme}-${width}.png`, fullPage: true });
    expect(png.length).toBeGreaterThan(5_000);
  });
});

describe('Activity view (get_activity_streams)', () => {
  let h: ViewHost;
  beforeAll(async () => {
    h = await host(ann);
    await h.show('get_activity_streams', { activity_id: RIDE_ID });
    await h.view().waitForSelector('nav[aria-label="Intervals"] button');
  });

  it('asks for the full-resolution streams and the intervals through the host, then draws every stream', async () => {
    const calls = (await h.events()).filter((e) => e.startsWith('tools/call'));
    expect(calls).toEqual(
      expect.arrayContaining([
        `tools/call ${JSON.stringify({ name: 'get_activity_streams', arguments: { activity_id: RIDE_ID, raw: true } })}`,
        `tools/call ${JSON.stringify({ name: 'get_activity_intervals', arguments: { activity_id: RIDE_ID } })}`,
      ]),
    );
    const v = h.view();
    expect(await v.locator('path.line').evaluateAll((els) => els.map((e) => e.getAttribute('data-series')))).toEqual([
      'Power (W)',
      'Heart rate (bpm)',
      'Cadence (rpm)',
    ]);
    // 4121 samples at 1 Hz drawn as min/max pairs per pixel column: fewer points, the peak kept.
    const points = Number(await v.getAttribute('path[data-series="Power (W)"]', 'data-points'));
    expect(points).toBeGreaterThan(800);
    expect(points).toBeLessThan(4121);
    await expect(v.locator('.summary').textContent()).resolves.toBe('4121 samples, 1:08:40.');
    expect((await v.locator('figure').first().locator('text.tick.x').allTextContents())[0]).toBe('0:00:00');
  });

  it('highlights and lists the intervals, and zooms every chart to one', async () => {
    const v = h.view();
    const intervals = (await ann.callTool({ name: 'get_activity_intervals', arguments: { activity_id: RIDE_ID } })).structuredContent as {
      intervals: unknown[];
    };
    expect(await v.locator('nav[aria-label="Intervals"] li').count()).toBe(intervals.intervals.length);
    expect(await v.locator('figure').first().locator('rect.xband.interval').count()).toBe(intervals.intervals.length);
    const second = v.locator('nav[aria-label="Intervals"] button').nth(1);
    const label = (await second.textContent())!;
    const [, from, to] = label.match(/: (\d+:\d\d:\d\d)–(\d+:\d\d:\d\d)/)!;
    await second.focus();
    await h.page.keyboard.press('Enter');
    await v.waitForSelector('nav[aria-label="Intervals"] button[aria-pressed="true"]');
    const ticks = await v.locator('figure').first().locator('text.tick.x').allTextContents();
    expect(ticks[0]).toBe(from);
    expect(ticks.at(-1)).toBe(to);
    await expect(v.locator('.summary').textContent()).resolves.toContain(`zoomed to ${from}–${to}`);
  });

  it('axe-core finds nothing serious or critical; screenshots at desktop and 390 px', async () => {
    expect(await seriousA11yViolations(h.view())).toEqual([]);
    for (const [theme, width] of [
      ['light', 900],
      ['dark', 390],
    ] as const) {
      const shot = await host(ann);
      await shot.show('get_activity_streams', { activity_id: RIDE_ID }, { theme, width });
      await shot.view().waitForSelector('nav[aria-label="Intervals"] button');
      await shot.page.screenshot({ path: `${SHOTS}/activity-${theme}-${width}.png`, fullPage: true });
    }
  });
});

describe('Wellness view (get_wellness)', () => {
  it('draws each recorded metric with its 7-day average, and a range change calls get_wellness again', async () => {
    const h = await host(ann);
    await h.show('get_wellness', { oldest: '2026-09-01', newest: '2026-09-14' });
    const v = h.view();
    // A flat line has an empty bounding box, so wait for it to exist rather than to be "visible".
    await v.waitForSelector('path.line', { state: 'attached' });
    // The stand-in's records carry resting HR, sleep and weight (no HRV): one chart each.
    expect(await v.locator('figure svg title').allTextContents()).toEqual(['Resting HR (bpm)', 'Sleep (h)', 'Weight (kg)']);
    expect(await v.locator('path[data-series="7-day average"]').count()).toBe(3);
    expect(Number(await v.getAttribute('path[data-series="Sleep (h)"]', 'data-points'))).toBe(3);
    expect(await v.locator('details table tbody tr').count()).toBe(3);
    expect(await v.locator('details table tbody tr').first().textContent()).toBe('2026-09-10547.570');
    const xTicks = await v.locator('figure').first().locator('text.tick.x').allTextContents();
    expect([xTicks[0], xTicks.at(-1)]).toEqual(['09-01', '09-14']);
    expect(await seriousA11yViolations(v)).toEqual([]);
    await v.focus('button:has-text("4 months")');
    await h.page.keyboard.press('Enter');
    await v.waitForSelector('button[aria-pressed="true"]');
    expect((await h.events()).at(-1)).toBe(
      `tools/call ${JSON.stringify({ name: 'get_wellness', arguments: { oldest: addDays(today, -119), newest: today } })}`,
    );
    await expect(v.locator('.summary').textContent()).resolves.toMatch(
      new RegExp(`^${addDays(today, -119)} to ${today}: \\d+ days with records\\.$`),
    );
    await h.page.screenshot({ path: `${SHOTS}/wellness-light-900.png`, fullPage: true });
  });
});

describe('Curves view (get_power_curves)', () => {
  it('draws the power curve on a log axis with the critical-power line, and Compare asks for three periods', async () => {
    const h = await host(ann);
    await h.show('get_power_curves', {});
    const v = h.view();
    await v.waitForSelector('path.line', { state: 'attached' });
    // The default durations the stand-in's season curve answers: 5 s … 20 min and 1 h.
    expect(Number(await v.getAttribute('path[data-series="This season"]', 'data-points'))).toBe(9);
    const model = await v.locator('path.line').nth(1).getAttribute('data-series');
    expect(model).toBe('Critical power model (CP 236 W, W′ 12.2 kJ)');
    const xTicks = await v.locator('text.tick.x').allTextContents();
    expect([xTicks[0], xTicks.at(-1)]).toEqual(['5s', '1h']);
    expect(await seriousA11yViolations(v)).toEqual([]);
    await v.focus('button:has-text("Compare")');
    await h.page.keyboard.press('Enter');
    await v.waitForSelector('path[data-series="Last season"]', { state: 'attached' });
    expect((await h.events()).at(-1)).toBe(
      `tools/call ${JSON.stringify({ name: 'get_power_curves', arguments: { curves: ['s0', 's1', 'all'] } })}`,
    );
    await expect(v.locator('button:has-text("Compare")').getAttribute('aria-pressed')).resolves.toBe('true');
    await h.page.screenshot({ path: `${SHOTS}/curves-light-900.png`, fullPage: true });
  });
});

describe('Week view (get_events)', () => {
  it('lays out planned vs done per day with totals, missed and extra sessions, asking get_activities through the host', async () => {
    const h = await host(ann);
    // The stand-in's calendar: five workouts on 2026-05-02..06, none paired with an activity.
    await h.show('get_events', { oldest: '2026-05-01', newest: '2026-05-07' });
    const v = h.view();
    await v.waitForSelector('li.day');
    expect(await v.locator('li.day').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.date))).toEqual([
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-04',
      '2026-05-05',
      '2026-05-06',
      '2026-05-07',
    ]);
    expect(await v.locator('li.item.missed').count()).toBe(5);
    // 72 + 99 + 32 + 89 load (the strength session has none); 3900 + 3600 + 6600 + 2700 + 4080 s = 5 h 48.
    await expect(v.locator('.summary').textContent()).resolves.toBe(
      '2026-05-01 to 2026-05-07: planned load 292, 5h48; done load 0, 0h00; 5 missed, 0 extra.',
    );
    expect((await h.events()).at(-1)).toBe(
      `tools/call ${JSON.stringify({ name: 'get_activities', arguments: { oldest: '2026-05-01', newest: '2026-05-07', limit: 200 } })}`,
    );
    expect(await seriousA11yViolations(v)).toEqual([]);

    // Ann's run (09-24) and weight session (09-23) were not planned: extra.
    const week = await host(ann);
    await week.show('get_events', { oldest: '2026-09-21', newest: '2026-09-27' });
    await week.view().waitForSelector('li.day');
    expect(await week.view().locator('li.item.extra').allTextContents()).toEqual([
      'Extra: WeightTraining 2, 0h56, load 18',
      'Extra: Run 1, 0h40, load 56',
    ]);
    await week.page.screenshot({ path: `${SHOTS}/week-light-900.png`, fullPage: true });

    await week.view().focus('button:has-text("1 week")');
    await week.page.keyboard.press('Enter');
    await week.view().waitForSelector('button[aria-pressed="true"]');
    const monday = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
    const calls = (await week.events()).filter((e) => e.startsWith('tools/call'));
    expect(calls.slice(-2)).toEqual([
      `tools/call ${JSON.stringify({ name: 'get_events', arguments: { oldest: monday, newest: addDays(monday, 6) } })}`,
      `tools/call ${JSON.stringify({ name: 'get_activities', arguments: { oldest: monday, newest: addDays(monday, 6), limit: 200 } })}`,
    ]);
  });
});

describe('isolation', () => {
  it("Ben's view never shows Ann's data, even when it asks for Ann's athlete id", async () => {
    const h = await host(ben);
    await h.show('get_fitness', { athlete_id: 'i1001' });
    const v = h.view();
    await v.waitForSelector('.status.error');
    const shown = (await v.locator('main').textContent())!;
    expect(shown).not.toMatch(/CTL\)? \d/);
    // The range buttons would call again with the same athlete_id: the view was handed no data to offer them.
    expect(await v.locator('svg').count()).toBe(0);
    // Upstream, only Ben's own key was ever used for this, and Ann's wellness was never read with it.
    const asBen = fake.requestsTo('GET', /\/wellness$/).filter((r) => r.caller === 'i2002');
    expect(asBen.every((r) => r.path !== '/athlete/i1001/wellness' || r.caller === 'i2002')).toBe(true);
    expect(fake.requestsTo('GET', /^\/athlete\/i1001\/wellness$/).every((r) => r.caller === 'i1001' || r.caller === 'i2002')).toBe(true);
  });
});
