/**
 * Every answer one step away (issue 27): the audit log in words, the admin forms, the placement
 * what-ifs, the capacity form, the API documentation, the map's search and slider — each checked on
 * a desktop (1366×768) and a phone (390×844), with axe-core on every page visited. One server and
 * one browser for the file; checks of one page share a test.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wcagViolations } from '../helpers/axe.js';
import { BY_TIMER, hasChromium, isCi, launch } from '../helpers/browser.js';
import { removeDb, startServer, type RunningServer } from '../helpers/server-process.js';

const run = hasChromium || isCi ? describe : describe.skip;
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

run('every answer one step away, in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let desktop: BrowserContext;
  let phone: BrowserContext;
  const problems: string[] = [];

  async function loggedIn(viewport: { width: number; height: number }): Promise<BrowserContext> {
    const context = await browser.newContext({ locale: 'de-DE', viewport });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.fill('#username', 'admin');
    await page.fill('#password', 'e2e-admin-pass');
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
    await page.close();
    return context;
  }
  async function open(context: BrowserContext, path: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`${path}: pageerror ${e.message}`));
    await page.goto(`${server.url}${path}`);
    return page;
  }
  /** How far the page reaches beyond the viewport's width (0: no sideways scrolling). */
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    desktop = await loggedIn(DESKTOP);
    phone = await loggedIn(PHONE);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) removeDb(server.dbFile);
  });

  it('when a planner reads the audit log, then records have names, fields German labels, and it filters by user and exports CSV (desktop and phone)', async () => {
    // a change to read: the admin renames nothing but corrects a capacity
    const page = await open(desktop, '/sites');
    const csrf = await page.evaluate(async () => ((await (await fetch('/api/session')).json()) as { csrfToken: string }).csrfToken);
    const site = await page.evaluate(
      async () => ((await (await fetch('/api/sites')).json()) as { id: number; name: string; version: number; capacity: number }[])[0],
    );
    const patched = await page.evaluate(
      async ({ site, csrf }) =>
        (
          await fetch(`/api/sites/${site.id}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
            body: JSON.stringify({ version: site.version, capacity: site.capacity + 1 }),
          })
        ).status,
      { site, csrf },
    );
    expect(patched).toBe(200);
    await page.goto(`${server.url}/audit`);
    await page.selectOption('select[name=user]', 'admin');
    await Promise.all([page.waitForURL(/user=admin/), page.click('form[role=search] button[type=submit]')]);
    const text = await page.textContent('#audit-table tbody');
    expect(text).toContain(`Standort „${site.name}“`);
    expect(text).toContain('Kapazität (Arbeitsplätze)');
    expect(text).not.toMatch(/system|\{|\b[a-z]+_[a-z]+\b/);
    expect(await page.getAttribute('a[href^="/audit.csv"]', 'href')).toBe('/audit.csv?user=admin');
    expect(await wcagViolations(page)).toEqual([]);
    await page.close();
    const small = await open(phone, '/audit?user=admin');
    expect(await overflow(small)).toBeLessThanOrEqual(0);
    expect(await wcagViolations(small)).toEqual([]);
    await small.close();
    expect(problems).toEqual([]);
  });

  it('when an admin creates building staff, then sites are ticked by their labels, password rules tick as typed, and deactivating asks first (desktop and phone)', async () => {
    const page = await open(desktop, '/users');
    const rules = page.locator('#f-password-rules');
    await page.fill('#f-username', 'hausmeister.e2e');
    await page.fill('#f-password', 'abc');
    expect(await rules.locator('li[data-rule="length"]').getAttribute('data-ok')).toBe('false');
    await page.fill('#f-password', 'Zwei-Hoefe-am-Kornhausplatz');
    expect(await rules.locator('li[data-rule="length"]').getAttribute('data-ok')).toBe('true');
    expect(await rules.locator('li[data-rule="guess"]').getAttribute('data-ok')).toBe('true');
    expect(await page.textContent('#f-password-rules-status')).toContain('erfüllt');
    await page.selectOption('#f-role', 'site_editor');
    // the list narrows as one types; a site is ticked by clicking its name
    await page.fill('#new-sites input[type=search]', 'olga');
    expect(await page.locator('#new-sites-list li:not([hidden])').count()).toBe(1);
    await page.locator('#new-sites').getByLabel('Olgastraße 152').check();
    await page.fill('#new-sites input[type=search]', '');
    await page.locator('#new-sites').getByLabel('Grüner Hof', { exact: true }).check();
    expect(await wcagViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/users$/), page.click('#new-user button[type=submit]')]);
    const row = page.locator('tr[data-user="hausmeister.e2e"]');
    expect(await row.locator('summary').textContent()).toContain('2 gewählt');
    // deactivating: a confirmation first
    await row.locator('input[name=active]').uncheck();
    await Promise.all([page.waitForLoadState('load'), row.locator('button[type=submit]').click()]);
    expect(await page.textContent('#confirm-text')).toContain('„hausmeister.e2e“ kann sich danach nicht mehr anmelden');
    expect(await wcagViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/users$/), page.click('#confirm-button')]);
    expect(await page.locator('tr[data-user="hausmeister.e2e"] input[name=active]').isChecked()).toBe(false);
    await page.close();
    const small = await open(phone, '/users');
    expect(await overflow(small)).toBeLessThanOrEqual(0);
    expect(await wcagViolations(small)).toEqual([]);
    await small.close();
    expect(problems).toEqual([]);
  });

  it('when the map is used, then the summary names the teams in sites over capacity, the slider steps by month and year and says the date, every site over capacity is labelled, clear of the legend, and on a phone the date and summary are in reach', async () => {
    const ready = (page: Page, date: string) =>
      page.waitForFunction((d) => document.getElementById('map')?.dataset.state === 'ready' && document.getElementById('map')?.dataset.date === d, date, {
        ...BY_TIMER,
        timeout: 20_000,
      });
    /** The sites over capacity at the date and the teams with people in them, as the state says. */
    const overAt = async (page: Page, date: string) =>
      page.evaluate(async (d) => {
        const st = (await (await fetch(`/api/state?date=${d}`)).json()) as {
          sites: { id: number; capacity: number; headcount: number; units: { team: string; headcount: number }[] }[];
        };
        const over = st.sites.filter((x) => x.headcount > x.capacity);
        return { ids: over.map((x) => x.id), teams: [...new Set(over.flatMap((x) => x.units.filter((u) => u.headcount > 0).map((u) => u.team)))].sort() };
      }, date);
    /** Whether every site over capacity has its label shown, and which shown labels lie under a control on the map (the legend). */
    const labelsClear = (page: Page, ids: number[]) =>
      page.evaluate((overIds) => {
        const shown = [...document.querySelectorAll('.site-label:not(.hidden-label)')].map((e) => ({
          id: (e as HTMLElement).dataset.siteId,
          r: e.getBoundingClientRect(),
        }));
        const controls = [...document.querySelectorAll('#map .leaflet-control')].map((e) => e.getBoundingClientRect());
        const under = shown.filter(({ r }) => controls.some((c) => r.left < c.right && c.left < r.right && r.top < c.bottom && c.top < r.bottom));
        return { over: overIds.every((o) => shown.some((l) => l.id === String(o))), under: under.map((l) => l.id) };
      }, ids);

    const page = await open(desktop, '/?date=2021-03-01');
    await ready(page, '2021-03-01');
    const over = await overAt(page, '2021-03-01');
    expect(over.ids.length).toBeGreaterThan(0);
    await page.waitForTimeout(500); // the labels are placed again once the map has settled at its zoom
    expect(await labelsClear(page, over.ids)).toEqual({ over: true, under: [] });
    // at a glance: which teams, not only which buildings
    const teamsOver = await page.locator('#summary-list .sum-teams-over a').allTextContents();
    expect(teamsOver.sort()).toEqual(over.teams);
    const slider = page.locator('#date-slider');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await ready(page, '2021-04-01');
    expect(await slider.getAttribute('aria-valuetext')).toBe('01.04.2021');
    expect(await page.textContent('#date-label')).toBe('01.04.2021');
    await page.keyboard.press('PageUp');
    await ready(page, '2022-04-01');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('ArrowLeft');
    await ready(page, '2020-03-01');
    expect(await slider.getAttribute('aria-valuetext')).toBe('01.03.2020');
    expect(page.url()).toContain('date=2020-03-01');
    expect(await wcagViolations(page)).toEqual([]);
    await page.close();

    const small = await open(phone, '/?date=2021-03-01');
    await ready(small, '2021-03-01');
    await small.waitForTimeout(500);
    const box = async (sel: string) => (await small.locator(sel).boundingBox())!;
    expect((await box('#date-slider')).y + (await box('#date-slider')).height).toBeLessThanOrEqual(PHONE.height);
    expect((await box('#summary-heading')).y).toBeLessThan(PHONE.height);
    expect((await labelsClear(small, over.ids)).over).toBe(true);
    expect(await overflow(small)).toBeLessThanOrEqual(0);
    expect(await wcagViolations(small)).toEqual([]);
    await small.close();
    expect(problems).toEqual([]);
  });

  it('when a planner asks for placements and what happens if Moltkestraße 20 is lost, then the proposals fit a 1366-px screen with labelled maps, and on a phone the what-if is answered and a refused apply shows its error in view', async () => {
    const page = await open(desktop, '/placement');
    // checkboxes sit beside their labels
    const box = await page.getByLabel('Sozialraumteam Weststadt').boundingBox();
    const text = await page.locator('label.check', { hasText: 'Sozialraumteam Weststadt' }).boundingBox();
    expect(Math.abs(box!.y + box!.height / 2 - (text!.y + text!.height / 2))).toBeLessThan(6);
    // Böfingen from 01.01.2027: proposals side by side (up to three)
    const boefingen = await page.getAttribute('label.check:has-text("Sozialraumteam Böfingen") input', 'value');
    await page.goto(`${server.url}/placement?asked=1&team_ids=${boefingen}&date=2027-01-01&candidates=1&keep_units_whole=1&time_limit_s=5`);
    const n = await page.locator('.placement-map').count();
    expect(n).toBeGreaterThanOrEqual(1);
    await page.waitForFunction((count) => document.querySelectorAll('.placement-map[data-state="ready"]').length === count, n, {
      ...BY_TIMER,
      timeout: 20_000,
    });
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // each map names its sites, on the map and for screen readers
    expect(await page.locator('#proposal-1 .leaflet-tooltip.placement-label').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getAttribute('#proposal-1 .placement-map', 'aria-label')).toMatch(/^Karte zu Vorschlag 1: /);
    expect(await wcagViolations(page)).toEqual([]);
    await page.close();

    // on a phone: the what-if, Moltkestraße 20 lost from the date
    const small = await open(phone, '/placement');
    await small.getByLabel('Sozialraumteam Weststadt').check();
    await small.fill('#f-date', '2027-01-01');
    await small.locator('#exclude-sites').getByLabel('Moltkestraße 20').check();
    await Promise.all([small.waitForURL(/asked=1/), small.click('#placement-submit')]);
    expect(await small.textContent('#placement-excluded')).toContain('Moltkestraße 20');
    expect(await small.locator('#proposal-1 .sites-table').textContent()).not.toContain('Moltkestraße 20');
    await small.locator('#proposal-1 input[name="scenario_name"]').fill('');
    await Promise.all([small.waitForLoadState('load'), small.locator('#proposal-1 button[type=submit]').click()]);
    await small.waitForFunction(() => document.activeElement?.getAttribute('name') === 'scenario_name', null, BY_TIMER);
    const err = await small.locator('.apply-form .field-error').boundingBox();
    expect(err!.y).toBeGreaterThanOrEqual(0);
    expect(err!.y + err!.height).toBeLessThanOrEqual(PHONE.height);
    expect(await overflow(small)).toBeLessThanOrEqual(0);
    expect(await wcagViolations(small)).toEqual([]);
    await small.close();
    expect(problems).toEqual([]);
  });
});
