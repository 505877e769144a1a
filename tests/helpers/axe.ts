import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

/**
 * axe-core, set up as the browser tests run it: without copying each checked element's HTML into the
 * results (`noHtml`: the tests report an element by its selector, and the copies took a fifth of
 * axe's time on the long tables).
 */
export const AXE_SCRIPT = `${fs.readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8')}
;axe.configure({ noHtml: true });`;
/** WCAG 2.1 A and AA */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** axe-core's WCAG 2.1 A/AA violations on the page (axe loaded first where the page lacks it), each with at most `maxNodes` of its elements. */
export async function axeViolations(page: Page, maxNodes = Number.POSITIVE_INFINITY): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SCRIPT);
  return page.evaluate(
    async ([tags, max]) => {
      const w = window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Violation[] }> } };
      // the page as it settles: a transition still running (a popup fading in) is checked at its end, not
      // half-transparent (at most 2 s; endless animations are not waited for)
      const finite = document.getAnimations().filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime)));
      await Promise.race([Promise.all(finite.map((a) => a.finished.catch(() => undefined))), new Promise((r) => setTimeout(r, 2000))]);
      const r = await w.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, max).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    },
    [WCAG_TAGS, maxNodes] as const,
  );
}

/** axe-core's WCAG 2.1 A/AA violations on the page, one line each (empty when there are none). */
export async function wcagViolations(page: Page): Promise<string[]> {
  const path = new URL(page.url()).pathname;
  return (await axeViolations(page)).map((v) => `${path}: ${v.id} ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
