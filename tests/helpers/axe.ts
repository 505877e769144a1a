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
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core's WCAG 2.1 A/AA violations on the page, one line each (empty when there are none). */
export async function wcagViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SCRIPT);
  return page.evaluate(async (tags) => {
    type Result = { violations: { id: string; help: string; nodes: { target: string[] }[] }[] };
    const w = window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<Result> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${location.pathname}: ${v.id} ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, WCAG_TAGS);
}
