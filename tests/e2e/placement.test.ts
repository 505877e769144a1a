import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BY_TIMER, hasChromium, isCi, launch } from '../helpers/browser.js';
import { removeDb, startServer, type RunningServer } from '../helpers/server-process.js';

const run = hasChromium || isCi ? describe : describe.skip;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** WCAG 2.1 AA violations on the page (axe-core), as "rule: selector" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } })
      .axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  });
}

run('the placement assistant in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${server.url}/login`);
    await page.fill('#username', 'admin');
    await page.fill('#password', 'e2e-admin-pass');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) removeDb(server.dbFile);
  });

  it('when a planner asks where Weststadt can be reunited from 01.01.2027, then proposals appear side by side on maps, and one becomes a scenario', async () => {
    await page.goto(`${server.url}/placement`);
    expect(await page.textContent('h1')).toBe('Platzierungsassistent');
    await page.getByLabel('Sozialraumteam Weststadt').check();
    await page.fill('#f-date', '2027-01-01');
    await page.selectOption('#f-max_sites_per_team', '1');
    await Promise.all([page.waitForURL(/asked=1/), page.click('#placement-submit')]);
    expect(await page.getAttribute('#placement-result', 'data-status')).toMatch(/optimal|time_limit/);
    const maps = page.locator('.placement-map');
    const n = await maps.count();
    expect(n).toBeGreaterThanOrEqual(1);
    await page.waitForFunction((count) => document.querySelectorAll('.placement-map[data-state="ready"]').length === count, n, BY_TIMER);
    // the first proposal: one site, a building on offer, drawn on its map
    const first = page.locator('#proposal-1');
    expect(await first.locator('.sites-table tbody tr').count()).toBe(1);
    expect(await first.locator('.sites-table').textContent()).toContain('Söflinger Straße');
    expect(await first.locator('path.placement-site').count()).toBe(1);
    expect(await first.locator('path.placement-move').count()).toBeGreaterThanOrEqual(1);
    expect(await first.locator('.breakdown-table tbody tr').count()).toBe(5);
    await page.screenshot({ path: '.tmp/placement-proposals.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    // apply it
    await first.locator('input[name="scenario_name"]').fill('Weststadt vereint (Browser)');
    await Promise.all([page.waitForURL(/\/scenarios\/\d+/), first.locator('button[type=submit]').click()]);
    expect(await page.textContent('h1')).toBe('Weststadt vereint (Browser)');
    expect(await page.textContent('.flash')).toContain('Szenario wurde angelegt');
    expect(errors).toEqual([]);
  });

  it('when the map is asked to show buildings on offer, then their markers appear; by default they do not', async () => {
    const sites = await page.evaluate(async () => (await fetch('/api/sites?status=candidate')).json());
    const id = sites.find((x: { name: string }) => x.name.startsWith('Wagnerstraße')).id;
    await page.goto(`${server.url}/?date=2027-02-01`);
    const ready = () => page.waitForFunction(() => document.getElementById('map')?.dataset.state === 'ready', null, BY_TIMER);
    await ready();
    expect(await page.locator(`path.site-marker[data-site-id="${id}"]`).count()).toBe(0);
    await page.getByLabel('Angebotene Gebäude zeigen').check();
    await page.waitForFunction(() => window.location.search.includes('candidates=1'), null, BY_TIMER);
    await ready();
    expect(await page.locator(`path.site-marker[data-site-id="${id}"]`).count()).toBe(1);
    // its popup says what it offers and from when, as its page does (not „0 / angeboten · 0 frei“)
    await page.locator(`path.site-marker[data-site-id="${id}"]`).dispatchEvent('click');
    expect(await page.locator(`.leaflet-popup .popup[data-site-id="${id}"] .popup-figures`).innerText()).toBe(
      'Angeboten ab: 01.06.2026 · angebotene Arbeitsplätze: ≈24',
    );
  });

  it('when nothing fits, then the page says which rule cannot be met', async () => {
    await page.goto(`${server.url}/placement`);
    await page.getByLabel('Sozialraumteam Weststadt').check();
    await page.fill('#f-date', '2027-01-01');
    await page.selectOption('#f-max_sites_per_team', '1');
    await page.getByLabel('Angebotene Gebäude einbeziehen').uncheck();
    await page.getByLabel('Nur Standorte im eigenen Sozialraum').check();
    await Promise.all([page.waitForURL(/asked=1/), page.click('#placement-submit')]);
    expect(await page.getAttribute('#placement-result', 'data-status')).toBe('infeasible');
    expect(await page.textContent('#placement-reasons')).toMatch(/Kein Standort mit \d+ Plätzen, stufenlos, im Sozialraum Weststadt/);
    await page.screenshot({ path: '.tmp/placement-infeasible.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });
});
