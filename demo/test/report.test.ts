/**
 * The drop report in a real Chromium (Debian's, driven by playwright-core): what a reader sees on a
 * phone and on a desktop. axe-core checks every rule at both widths; screenshots go to
 * test/screenshots/ so a person can look.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/html';
import { contrast } from '../src/report/svg';
import { runDemo } from '../src/run';
import type { Summary } from '../src/summary';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const UPDATE_SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

interface AxeResults {
  violations: AxeViolation[];
  passes: AxeViolation[];
}

/** axe's findings as lines a failing assertion can show: rule, impact, where, why. */
function describeViolations(violations: readonly AxeViolation[]): string[] {
  return violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} (${violation.impact}) ${JSON.stringify(node.target)}: ${node.failureSummary?.split('\n').slice(1).join(' ').trim()}`,
    ),
  );
}

describe('the drop report in Chromium', () => {
  let browser: Browser;
  let axeSource: string;
  let summary: Summary;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // A short real run: the report is drawn from what the API answered, not from a hand-made object.
    [{ summary }, browser] = await Promise.all([
      runDemo({ seed: 11, buyers: 200, viewers: 5, out: null }),
      chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function open(html: string, width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.setContent(html, { waitUntil: 'load' });
    return page;
  }

  async function axeResults(page: Page): Promise<AxeResults> {
    await page.addScriptTag({ content: axeSource });
    return page.evaluate(async () => {
      const { axe } = window as unknown as { axe: { run(context: Document): Promise<AxeResults> } };
      const { violations, passes } = await axe.run(document);
      return { violations, passes };
    });
  }

  const axe = async (page: Page) => (await axeResults(page)).violations;

  for (const width of [360, 1280]) {
    it(`passes every axe rule at ${width} px`, async () => {
      const page = await open(renderReport(summary), width);
      try {
        // The committed pictures change only when asked for (`pnpm screenshots`); a test run leaves the tree clean.
        await page.screenshot(
          UPDATE_SCREENSHOTS ? { path: `${SCREENSHOTS}report-${width}.png`, fullPage: true } : { fullPage: true },
        );
        expect(describeViolations(await axe(page))).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('fits a 360 px phone without sideways scrolling, verdict in view', async () => {
    const page = await open(renderReport(summary), 360);
    try {
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      const verdict = page.locator('.verdict strong');
      expect(await verdict.isVisible()).toBe(true);
      expect(await verdict.textContent()).toBe(`All ${summary.integrity.checks.length} checks passed`);
      const box = (await verdict.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(innerWidth);
    } finally {
      await page.close();
    }
  });

  it('keeps a failed verdict readable (contrast) and in view', async () => {
    const checks = summary.integrity.checks.map((check, index) => (index === 0 ? { ...check, ok: false } : check));
    const failing: Summary = { ...summary, integrity: { ...summary.integrity, checks } };
    const page = await open(renderReport(failing), 360);
    try {
      expect(await page.locator('.verdict strong').textContent()).toBe('1 check failed');
      const contrast = (await axe(page)).filter((violation) => violation.id === 'color-contrast');
      expect(describeViolations(contrast)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('draws chart labels axe can check, and every label reads at 4.5:1 on what it sits on', async () => {
    const page = await open(renderReport(summary), 1280);
    try {
      const { passes } = await axeResults(page);
      const checked = passes
        .filter((rule) => rule.id === 'color-contrast')
        .flatMap((rule) => rule.nodes)
        .filter((node) => node.html.startsWith('<text'));
      // Before the labels stated their backdrop, axe gave up on every one of them at the <svg>.
      expect(checked.length).toBeGreaterThan(50);
      // Labels on bars overlap their bar, which axe leaves for review: check them all here.
      const labels = await page.evaluate(() =>
        [...document.querySelectorAll('svg.chart text')].map((label) => ({
          text: label.textContent,
          fill: label.getAttribute('fill') ?? '',
          on: /background-color:(#[0-9a-f]{6})/i.exec(label.getAttribute('style') ?? '')?.[1] ?? 'none',
        })),
      );
      expect(labels.length).toBeGreaterThan(50);
      const poor = labels.filter((label) => !(contrast(label.fill, label.on) >= 4.5));
      expect(poor).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('gives every chart a name and a summary of its figures a screen reader can read', async () => {
    const page = await open(renderReport(summary), 1280);
    try {
      const charts = await page.evaluate(() =>
        [...document.querySelectorAll('main svg:not([aria-hidden="true"])')].map((chart) => {
          const ids = (attribute: string) =>
            (chart.getAttribute(attribute) ?? '')
              .split(/\s+/)
              .filter(Boolean)
              .map((id) => document.getElementById(id)?.textContent ?? '')
              .join(' ');
          return {
            role: chart.getAttribute('role'),
            name: ids('aria-labelledby'),
            description: ids('aria-describedby'),
          };
        }),
      );
      expect(charts.length).toBeGreaterThanOrEqual(9);
      for (const chart of charts) {
        expect(chart.role).toBe('img');
        expect(chart.name).not.toBe('');
        // A summary states figures, not only what the chart is about.
        expect(chart.description).toMatch(/\d/);
      }
    } finally {
      await page.close();
    }
  });
});
