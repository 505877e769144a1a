import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, isCi, launch } from '../helpers/browser.js';
import { removeDb, startServer, type RunningServer } from '../helpers/server-process.js';

const run = hasChromium || isCi ? describe : describe.skip;
const AXE = path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

run('planning with a scenario in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const errors: string[] = [];

  const login = async (context: BrowserContext, username: string, password: string): Promise<Page> => {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/login`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  };
  const axeViolations = async (page: Page) => {
    await page.addScriptTag({ path: AXE });
    return page.evaluate(async () => {
      const r = await (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return r.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
  };

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    // the admin creates a planner, and the project "Sanierung Kornhausplatz 4/6" unless the dataset has it
    const ctx = await browser.newContext();
    const admin = await login(ctx, 'admin', 'e2e-admin-pass');
    await admin.evaluate(async () => {
      const { csrfToken } = await (await fetch('/api/session')).json();
      const send = async (method: string, url: string, body: unknown) => {
        const r = await fetch(url, { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken }, body: JSON.stringify(body) });
        if (r.status >= 300) throw new Error(`${url}: ${r.status} ${await r.text()}`);
        return r.json();
      };
      await send('POST', '/api/users', { username: 'planerin', password: 'planerin-pass', role: 'planner' });
      const projects = await (await fetch('/api/projects')).json();
      if (projects.some((p: { name: string }) => p.name === 'Sanierung Kornhausplatz 4/6')) return;
      const project = await send('POST', '/api/projects', { name: 'Sanierung Kornhausplatz 4/6' });
      const kh = (await (await fetch('/api/sites')).json()).find((s: { name: string }) => s.name === 'Kornhausplatz 4/6');
      const renovation = (await (await fetch(`/api/sites/${kh.id}/events`)).json()).find(
        (e: { kind: string; scenario_id: number | null }) => e.kind === 'renovation' && e.scenario_id === null,
      );
      await send('PATCH', `/api/sites/${kh.id}/events/${renovation.id}`, { project_id: project.id, version: renovation.version });
      const reopening = new Date(Date.parse(`${renovation.end_date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      for (const m of await (await fetch(`/api/moves?scenario_id=baseline&site_id=${kh.id}`)).json()) {
        if (m.to_site_id === kh.id && m.date === reopening) await send('PATCH', `/api/moves/${m.id}`, { project_id: project.id, version: m.version });
      }
    });
    await ctx.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) removeDb(server.dbFile);
  });

  it('a planner builds "Kornhausplatz six months late" with one shift, sees what changes and for how long, and adopts it after a confirmation', async () => {
    // bypassCSP only lets the test inject axe-core; the app's own scripts are all same-origin
    const ctx = await browser.newContext({ locale: 'de-DE', bypassCSP: true });
    const page = await login(ctx, 'planerin', 'planerin-pass');
    const before = await page.evaluate(async () => {
      const kh = (await (await fetch('/api/sites')).json()).find((s: { name: string }) => s.name === 'Kornhausplatz 4/6');
      return (await (await fetch(`/api/sites/${kh.id}/events`)).json()).find((e: { kind: string }) => e.kind === 'renovation');
    });

    // a new scenario
    await page.goto(`${server.url}/scenarios`);
    await page.fill('#f-name', 'Kornhausplatz sechs Monate verspätet');
    await page.click('form[action="/scenarios"] button[type=submit]');
    await page.waitForURL(/\/scenarios\/\d+$/);
    expect(await page.textContent('#summary-none')).toContain('ändert das Szenario nichts');

    // one shift: the whole project six months later
    await page.selectOption('#shift-form select[name=project_id]', { label: 'Sanierung Kornhausplatz 4/6' });
    await page.fill('#shift-form input[name=amount]', '6');
    await page.selectOption('#shift-form select[name=unit]', 'months');
    await page.click('#shift-button');
    await page.waitForSelector('#summary-lines');
    expect(await page.textContent('.flash')).toBe('Das Vorhaben wurde im Szenario verschoben.');
    const lines = await page.locator('#summary-lines li').allTextContents();
    expect(lines).toContain('Sozialraumteam Mitte/Ost bleibt 6 Monate länger auf zwei Standorte verteilt, 01.10.2023–31.03.2024.');
    expect(await page.locator('#period-teams tr[data-team-id]').count()).toBeGreaterThan(0);
    expect(await page.locator('#overrides tr[data-override-id]').count()).toBeGreaterThan(1);
    expect(await axeViolations(page)).toEqual([]);
    // each comparison table stays within its card beside the other (it scrolls inside, not under the next card)
    const spill = await page.evaluate(() =>
      ['#cost-compare-table', '#period-sites table'].flatMap((sel) => {
        const table = document.querySelector(sel);
        const card = table?.closest('.card');
        const box = table?.closest('.table-scroll') ?? table;
        if (!table || !card || !box) return [];
        return box.getBoundingClientRect().right > card.getBoundingClientRect().right + 1 ? [sel] : [];
      }),
    );
    expect(spill).toEqual([]);

    // the timeline overlays baseline and scenario
    await page.click('text=Zeitverlauf: Basisplanung und Szenario übereinander');
    await page.waitForSelector('#site-chart[data-ready="true"]');
    expect(await page.isChecked('input[name=overlay]')).toBe(true);
    await page.goBack();

    // adopt: a confirmation that says what happens, not a primary button
    expect(await page.getAttribute('#adopt-button', 'class')).not.toContain('primary');
    await page.click('#adopt-button');
    await page.waitForURL(/\/adopt$/);
    const text = await page.textContent('#confirm-text');
    expect(text).toMatch(/^0 Umzüge und \d+ Änderungen werden in die Basisplanung übernommen\.$/);
    // and lists them, one by one, with the baseline's value and the scenario's
    expect(await page.locator('#confirm tr[data-override-id]').count()).toBe(Number(/Umzüge und (\d+) Änderungen/.exec(text ?? '')?.[1]));
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#confirm-button');
    await page.waitForURL(`${server.url}/scenarios`);
    const after = await page.evaluate(async (id: number) => {
      const kh = (await (await fetch('/api/sites')).json()).find((s: { name: string }) => s.name === 'Kornhausplatz 4/6');
      return (await (await fetch(`/api/sites/${kh.id}/events`)).json()).find((e: { id: number }) => e.id === id);
    }, before.id);
    const plusSix = (d: string) => {
      const [y, m, day] = d.split('-').map(Number);
      const t = y * 12 + m - 1 + 6;
      return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    };
    expect(after.end_date).toBe(plusSix(before.end_date));
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
