import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BY_TIMER, hasChromium, isCi, launch } from '../helpers/browser.js';
import { adminApi, removeDb, startServer, type RunningServer } from '../helpers/server-process.js';

const run = hasChromium || isCi ? describe : describe.skip;

// HTML a user may type into a name: a refresh to another site and a script in an image error handler
const META = '<meta http-equiv="refresh" content="0;url=http://evil.invalid/">';
const IMG = '<img src="/static/x-escaping.png" onerror="window.__xss=1">';
const SITE_NAME = `Moltke ${META}${IMG}`;
// district names are at most 100 characters: every other one carries the refresh, the rest the image
const districtName = (id: number) => `D${id} ${id % 2 ? META : IMG}`;
const TEAM_NAME = `Team ${IMG}`;

run('user-typed names on the map (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let cookieHeader = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    const { cookie, call } = await adminApi(server);
    const api = async (method: string, path: string, body?: unknown) => {
      const r = await call(method, path, body);
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
      return r.json();
    };
    const sites = await api('GET', '/api/sites');
    const moltke = sites.find((s: { name: string }) => s.name === 'Moltkestraße 20');
    await api('PATCH', `/api/sites/${moltke.id}`, { name: SITE_NAME, version: moltke.version });
    const districts = await api('GET', '/api/districts');
    for (const d of districts) await api('PATCH', `/api/districts/${d.id}`, { name: districtName(d.id), version: d.version });
    const teams = await api('GET', '/api/teams');
    for (const t of teams) await api('PATCH', `/api/teams/${t.id}`, { name: `${TEAM_NAME} ${t.id}`, version: t.version });
    cookieHeader = cookie;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) removeDb(server.dbFile);
  });

  it('when sites, districts and teams are named with HTML, then the map shows it as literal text and nothing navigates or runs', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await ctx.addCookies([{ name: cookieHeader.split('=')[0], value: cookieHeader.slice(cookieHeader.indexOf('=') + 1), url: server.url }]);
    const page = await ctx.newPage();
    const navigations: string[] = [];
    const requests: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${server.url}/?date=2021-03-01`);
    await page.waitForFunction(() => document.getElementById('map')?.dataset.state === 'ready', null, BY_TIMER);

    // district labels are permanent tooltips: literal text, no elements inside
    const labels = await page.locator('.leaflet-tooltip.district-label').allTextContents();
    expect(labels.length).toBe(5);
    expect(labels.filter((l) => l.includes(META)).length).toBeGreaterThan(0);
    expect(labels.filter((l) => l.includes(IMG)).length).toBeGreaterThan(0);

    // hover every site marker and every move line, open the renamed site's popup
    const state = await page.evaluate(async () => (await fetch('/api/state?date=2021-03-01')).json());
    const id = state.sites.find((s: { name: string }) => s.name === SITE_NAME).id;
    const marker = page.locator(`path.site-marker[data-site-id="${id}"]`);
    await marker.dispatchEvent('mouseover');
    const tip = page.locator('.leaflet-tooltip:not(.district-label)').filter({ hasText: 'Moltke' });
    await tip.first().waitFor();
    expect(await tip.first().textContent()).toContain(SITE_NAME);
    await marker.dispatchEvent('mouseout');
    const lines = page.locator('path.move-line');
    const n = await lines.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) await lines.nth(i).dispatchEvent('mouseover');
    await marker.dispatchEvent('click');
    const popup = page.locator('.leaflet-popup .popup');
    await popup.waitFor();
    expect(await popup.locator('h3').textContent()).toBe(SITE_NAME);
    expect((await popup.locator('.popup-units').textContent()) ?? '').toContain(TEAM_NAME);

    // an inserted image requests its file, and a refresh navigates, from a task of their own: let the
    // page run two frames and its queued tasks (the checks below see elements and requests, not effects)
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0)))));
    const tooltipsText = (await page.locator('.leaflet-tooltip').allTextContents()).join('\n');
    expect(tooltipsText).toContain('<img');
    expect(await page.locator('#map meta, #map img[src*="x-escaping"], .leaflet-pane meta, .leaflet-pane img[src*="x-escaping"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(requests.filter((u) => u.includes('x-escaping') || u.includes('evil.invalid'))).toEqual([]);
    expect(navigations.filter((u) => !u.startsWith(`${server.url}/?`))).toEqual([]);
    expect(page.url()).toContain(`${server.url}/?date=2021-03-01`);

    // the printable report (inline SVG) shows the same names as text
    await page.goto(`${server.url}/report?date=2021-03-01`);
    expect(await page.locator('svg.overview meta, svg.overview img, svg.overview foreignObject').count()).toBe(0);
    expect((await page.locator('svg.overview').textContent()) ?? '').toContain(META);
    await ctx.close();
  });
});
