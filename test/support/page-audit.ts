/**
 * Looks at one page of ours the way a person on a phone or a desktop, in light or dark mode,
 * would: does anything stick out sideways (scrollWidth > innerWidth), does axe-core find a
 * serious or critical accessibility violation, does every control show a focus ring when reached
 * with the Tab key, is any table header empty, and a full-page screenshot kept under
 * test-artifacts/pages/ for a human to look at. The page is not reloaded between variants:
 * viewport and colour scheme are media changes the CSS answers at once.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { ROOT } from './process.js';

export const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;
export const SCHEMES = ['light', 'dark'] as const;
export const ARTIFACTS = `${ROOT}test-artifacts/pages`;

const AXE_SOURCE = readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, 'utf8');

export interface PageProblem {
  page: string;
  variant: string;
  problem: string;
}

interface AxeFinding {
  id: string;
  impact: string;
  targets: string[];
}

/**
 * axe-core injected through the DevTools protocol (page.evaluate), which the pages' CSP
 * (script-src 'none') does not govern; nothing of it runs as page script.
 */
async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

/** Most controls any page of ours has; the walk stops when focus comes round again. */
const MAX_TABS = 60;

/**
 * Walks the page with the Tab key as a keyboard user does and returns every control that shows
 * no focus ring of at least 2 px (Chromium's default is a thin ring that vanishes on our blue
 * buttons, so the stylesheet draws its own).
 */
async function controlsWithoutFocusRing(page: Page): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen = new Set<string>();
  const missing: string[] = [];
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return undefined;
      const style = getComputedStyle(el);
      const label = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? el.getAttribute('value') ?? '').trim().slice(0, 40)}"`;
      const all = Array.from(document.querySelectorAll('a, button, input, select, textarea, summary'));
      return { key: `${all.indexOf(el)}:${label}`, label, ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
    });
    if (!focused || seen.has(focused.key)) break;
    seen.add(focused.key);
    if (!focused.ring) missing.push(focused.label);
  }
  return missing;
}

/** Audits the page as it is now in all four variants; returns every problem found (none is the goal). */
export async function auditPage(page: Page, name: string): Promise<PageProblem[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const problems: PageProblem[] = [];
  // Header cells a screen reader reads out: none may be empty (an action column still says "Action").
  const emptyHeaders = await page.evaluate(
    () => Array.from(document.querySelectorAll('th')).filter((th) => (th.textContent ?? '').trim() === '').length,
  );
  if (emptyHeaders > 0) problems.push({ page: name, variant: 'any', problem: `${emptyHeaders} empty <th>` });
  for (const vp of VIEWPORTS) {
    for (const scheme of SCHEMES) {
      const variant = `${vp.name}-${scheme}`;
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.emulateMedia({ colorScheme: scheme });
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      if (scrollWidth > innerWidth)
        problems.push({ page: name, variant, problem: `horizontal overflow: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}` });
      // Inside the page too: a table column or a long token sticking out of its card or notice.
      const spilled = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.card, .notice, .error, .secret'))
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map(
            (el) =>
              `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className.replace(/ /g, '.')} (${el.scrollWidth} > ${el.clientWidth})`,
          ),
      );
      for (const s of spilled) problems.push({ page: name, variant, problem: `content wider than its box: ${s}` });
      for (const v of await seriousViolations(page))
        problems.push({ page: name, variant, problem: `axe ${v.impact} ${v.id}: ${v.targets.join(', ')}` });
      await page.screenshot({ path: `${ARTIFACTS}/${name}-${variant}.png`, fullPage: true });
      if (vp.name === 'desktop' && scheme === 'dark') {
        for (const c of await controlsWithoutFocusRing(page))
          problems.push({ page: name, variant, problem: `no visible focus ring on ${c}` });
      }
    }
  }
  return problems;
}
