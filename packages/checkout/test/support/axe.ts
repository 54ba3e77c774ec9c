/**
 * axe-core in the page under test: its source is evaluated through the DevTools protocol (which the
 * page's strict CSP does not govern, so the page's policy stays as served), then `axe.run` audits
 * the widget, its open shadow root included, with every rule axe enables by default.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One rule a page broke, with where (a selector path into the shadow root) and why. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: unknown; readonly failureSummary: string | undefined }[];
}

/** Audits `selector` (default: the widget) on `page`; answers the violations (none is a pass). */
export async function audit(page: Page, selector = 'livedrop-checkout'): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  return page.evaluate(async (target) => {
    type Axe = {
      run(context: Element, options: object): Promise<{ violations: AxeViolation[] }>;
    };
    const axe = (window as unknown as { axe: Axe }).axe;
    const { violations } = await axe.run(document.querySelector(target)!, { resultTypes: ['violations'] });
    return violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact: impact ?? null,
      help,
      nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
    }));
  }, selector);
}
