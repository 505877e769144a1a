/**
 * WCAG 2.1 A/AA with axe-core on every page (logged out and as each role, desktop and phone), no
 * sideways scrolling (on a phone and on a desktop), and no English on German pages. One server and one browser for the
 * whole file; each page and width is a test of its own, and several pages are checked at once, each in
 * a tab of its role's context (so a slow page fails alone, with its name, and a busy machine does not
 * add up the pages into one time limit). A page is loaded once per role: checked at a desktop's width,
 * then the same tab is narrowed to a phone's (390 px, as a phone's browser lays it out) and checked
 * again — loading every page twice doubled the file's time. A new page: add it to pagesFor (a test
 * checks that every link of the navigation is listed).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AXE_SCRIPT, axeViolations, type Violation } from '../helpers/axe.js';
import { hasChromium, isCi, launch, STEP_TIMEOUT_MS } from '../helpers/browser.js';
import { removeDb, startServer, type RunningServer } from '../helpers/server-process.js';
import { must } from '../../server/invariant.js';
import { en } from '../../server/i18n/en.js';
import { de } from '../../server/i18n/de.js';

const run = hasChromium || isCi ? describe : describe.skip;

type Role = 'admin' | 'planner' | 'site_editor' | 'viewer';
const PASSWORD = 'a11y-test-password';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Pages each role uses; `{own}` is the site the site_editor looks after. */
function pagesFor(role: Role | null): string[] {
  const open = ['/barrierefreiheit', '/datenschutz'];
  if (role === null) return ['/login', ...open];
  const read = [
    '/',
    '/sites',
    '/sites/{own}',
    '/sites/{own}/floors',
    '/teams',
    '/teams/1',
    '/moves',
    '/projects',
    '/projects/{project}',
    '/timeline',
    '/report',
    '/report?date=2021-03-01',
    '/costs',
    '/costs?date=2025-01-01',
    '/accessibility',
    '/scenarios',
    '/scenarios/1',
    '/account',
    '/nicht-vorhanden',
    ...open,
  ];
  if (role === 'viewer') return [...read, '/users'];
  // the question before a floor and its room are deleted
  if (role === 'site_editor') return [...read, '/my-sites', '/sites/{own}/edit', '/floors/{floor}/delete'];
  const plan = [
    ...read,
    '/sites/{own}/edit',
    '/sites/new',
    '/teams/new',
    '/teams/1/edit',
    '/units/new?team_id=1',
    '/units/1/edit',
    '/districts/1/edit',
    '/places',
    '/places/new',
    '/moves/new',
    '/moves/1/edit',
    '/sites/{own}/leases/new',
    '/projects/new',
    '/import',
    '/audit',
    '/placement',
    '/placement?asked=1&team_ids=3&date=2027-01-01&candidates=1&keep_units_whole=1&max_sites_per_team=1&time_limit_s=5',
    // a team's warnings with the planner's "Bestätigen" beside them, and the form it leads to
    '/teams/1?date=2021-03-01',
    '/acknowledgements/new?code=TEAM_SPLIT&team_id=1&date=2021-03-01&back=%2Fteams%2F1%3Fdate%3D2021-03-01',
  ];
  return role === 'admin' ? [...plan, '/users'] : plan;
}

const ROLES = [null, 'admin', 'planner', 'site_editor', 'viewer'] as const;
const VIEWPORTS = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const;
const roleName = (role: Role | null) => role ?? 'nobody';

run('accessibility and language in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let ownSite = 0;
  let project = 0;
  let floorWithRoom = 0;
  /** one logged-in context per role, made before the pages are checked side by side in them */
  const contexts = new Map<Role | null, BrowserContext>();
  const scriptErrors: string[] = [];
  const probe = englishProbe();

  async function newContext(role: Role | null): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'de-DE' });
    // axe-core comes with every document of the context (sent to the browser once, not once per page)
    await ctx.addInitScript({ content: AXE_SCRIPT });
    if (role) {
      const username = role === 'admin' ? 'admin' : `a11y-${role}`;
      const password = role === 'admin' ? 'e2e-admin-pass' : PASSWORD;
      const r = await ctx.request.post(`${server.url}/api/login`, { data: { username, password } });
      if (r.status() !== 200) throw new Error(`login of ${username}: ${r.status()} ${await r.text()}`);
    }
    return ctx;
  }
  const contextOf = (role: Role | null) => must(contexts.get(role), 'context made in beforeAll');

  /** Tabs not in use, per context: a test borrows one (or opens a new one) and gives it back. */
  const idle = new Map<BrowserContext, Page[]>();
  async function borrow(ctx: BrowserContext): Promise<Page> {
    const page = idle.get(ctx)?.pop();
    if (page) return page;
    const fresh = await ctx.newPage();
    fresh.on('pageerror', (e) => scriptErrors.push(`${fresh.url()}: ${e.message}`));
    return fresh;
  }
  const giveBack = (ctx: BrowserContext, page: Page) => idle.set(ctx, [...(idle.get(ctx) ?? []), page]);
  const fullUrl = (url: string) =>
    `${server.url}${url.replace('{own}', String(ownSite)).replace('{project}', String(project)).replace('{floor}', String(floorWithRoom))}`;

  /** Runs `check` on the page in a tab of the context (at a desktop's width), once the map and the charts have drawn. */
  async function onPage<T>(ctx: BrowserContext, url: string, check: (page: Page) => Promise<T>): Promise<T> {
    const page = await borrow(ctx);
    await page.goto(fullUrl(url));
    await settle(page);
    const result = await check(page);
    giveBack(ctx, page);
    return result;
  }

  /**
   * The tab a page's desktop test leaves behind for its phone test (role|url → tab, or null when the
   * desktop test could not load it: the phone test then loads it itself).
   */
  const handoffs = new Map<string, { tab: Promise<Page | null>; give: (p: Page | null) => void }>();
  function handoff(key: string) {
    let h = handoffs.get(key);
    if (!h) {
      let give: (p: Page | null) => void = () => {};
      const tab = new Promise<Page | null>((resolve) => (give = resolve));
      h = { tab, give };
      handoffs.set(key, h);
    }
    return h;
  }

  /** The desktop check, then the tab handed on to the phone check of the same page and role. */
  async function onDesktop(role: Role | null, url: string, check: (page: Page) => Promise<void>): Promise<void> {
    const ctx = contextOf(role);
    const page = await borrow(ctx);
    let loaded = false;
    try {
      await page.goto(fullUrl(url));
      await settle(page);
      loaded = true;
      await check(page);
    } finally {
      handoff(`${role}|${url}`).give(loaded ? page : null);
    }
  }

  /** The phone check in the tab the desktop check loaded, narrowed to a phone's width (or a tab of its own). */
  async function onPhone(role: Role | null, url: string, check: (page: Page) => Promise<void>): Promise<void> {
    const ctx = contextOf(role);
    let page = await handoff(`${role}|${url}`).tab;
    if (!page) {
      page = await borrow(ctx);
      await page.goto(fullUrl(url));
    }
    await page.setViewportSize(PHONE);
    // the layout, the map and the charts follow the new width
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await settle(page);
    try {
      await check(page);
    } finally {
      await page.setViewportSize(DESKTOP);
      giveBack(ctx, page);
    }
  }

  async function settle(page: Page) {
    await page.waitForLoadState('load');
    // the map and the charts draw after load: wait for their ready signals, asked every 50 ms by the
    // page itself (Playwright's waitForFunction first loads its own helper script into every new
    // document, about a tenth of a second of the browser's time per page; asking on every animation
    // frame makes the browser draw frames meanwhile)
    await page.evaluate(
      (limitMs) =>
        new Promise<void>((resolve, reject) => {
          const until = Date.now() + limitMs;
          const drawn = () => {
            const map = document.getElementById('map');
            if (map && map.dataset.state !== 'ready' && map.dataset.state !== 'error') return false;
            return Array.from(document.querySelectorAll('canvas[data-chart]')).every((c) => (c as HTMLElement).dataset.ready === 'true');
          };
          const ask = () => {
            if (drawn()) resolve();
            else if (Date.now() > until) reject(new Error(`${location.pathname}: the map or a chart did not draw within ${limitMs} ms`));
            else setTimeout(ask, 50);
          };
          ask();
        }),
      STEP_TIMEOUT_MS,
    );
  }

  // the first three elements of each violation name it well enough
  const axe = (page: Page) => axeViolations(page, 3);

  const describeViolations = (url: string, vs: Violation[]) =>
    vs.map((v) => `${url}: ${v.id} (${v.impact}) ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    const api = await browser.newContext();
    const login = await api.request.post(`${server.url}/api/login`, { data: { username: 'admin', password: 'e2e-admin-pass' } });
    const { csrfToken } = await login.json();
    const sites = await (await api.request.get(`${server.url}/api/sites`)).json();
    ownSite = sites.find((s: { name: string }) => s.name === 'Kornhausplatz 4/6').id;
    // the Ulm dataset brings the paper's projects
    const projects = await (await api.request.get(`${server.url}/api/projects`)).json();
    project = projects.find((p: { name: string }) => p.name === 'Sanierung Kornhausplatz 4/6').id;
    // a lease of the test's own (the Ulm data has none): the site page's lease table and the cost page's chart are checked too
    const lease = await api.request.post(`${server.url}/api/sites/${ownSite}/leases`, {
      headers: { 'X-CSRF-Token': csrfToken },
      data: { start: '2024-01-01', notice_months: 6, rent_month_eur: 5000, service_charges_month_eur: 1000, landlord: 'Stadt Ulm' },
    });
    if (lease.status() !== 201) throw new Error(`lease: ${lease.status()} ${await lease.text()}`);
    // two floors of the test's own, one with a room: the site page shows its stack plan, /sites/{own}/floors its forms
    for (const floor of [
      { level: 0, name: 'Erdgeschoss', workplaces: 40, step_free_access: 'yes' },
      { level: 1, name: '1. Obergeschoss', workplaces: 50, step_free_access: 'no', area_m2: 600 },
    ]) {
      const f = await api.request.post(`${server.url}/api/sites/${ownSite}/floors`, { headers: { 'X-CSRF-Token': csrfToken }, data: floor });
      expect(f.status()).toBe(201);
      if (floor.level === 1) floorWithRoom = (await f.json()).id;
      if (floor.level === 1)
        expect(
          (
            await api.request.post(`${server.url}/api/floors/${(await f.json()).id}/rooms`, {
              headers: { 'X-CSRF-Token': csrfToken },
              data: { number: '1.01', use: 'counter', workplaces: 50 },
            })
          ).status(),
        ).toBe(201);
    }
    for (const role of ['planner', 'site_editor', 'viewer'] as const) {
      const r = await api.request.post(`${server.url}/api/users`, {
        headers: { 'X-CSRF-Token': csrfToken },
        data: { username: `a11y-${role}`, password: PASSWORD, role, site_ids: role === 'site_editor' ? [ownSite] : [] },
      });
      if (r.status() !== 201) throw new Error(`user a11y-${role}: ${r.status()} ${await r.text()}`);
    }
    await api.close();
    for (const role of ROLES) contexts.set(role, await newContext(role));
  });
  afterAll(async () => {
    for (const c of contexts.values()) await c.close();
    await browser?.close();
    await server?.stop();
    if (server) removeDb(server.dbFile);
  });

  // every page on its own (a slow page fails alone, with its name), several at once in their role's context
  describe.concurrent('every page, as each role, on a desktop and a phone', () => {
    for (const role of ROLES) {
      for (const url of pagesFor(role)) {
        for (const [vpName, viewport] of VIEWPORTS) {
          it(`when ${roleName(role)} opens ${url} on a ${vpName}, then axe-core finds no WCAG 2.1 A/AA violation, nothing scrolls sideways and no English is shown`, async ({
            expect,
          }) => {
            await (viewport === PHONE ? onPhone : onDesktop)(role, url, async (page) => {
              // German by default: no sentence or word of the English dictionary
              expect(probe(await page.evaluate(() => document.body.innerText)).map((x) => `${url}: ${x}`)).toEqual([]);
              expect(describeViolations(url, await axe(page))).toEqual([]);
              // nothing scrolls sideways, on a phone nor on a desktop (a wide table scrolls in its own region)
              expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width + 1);
            });
          });
        }
      }
    }

    for (const role of ROLES.filter((r) => r !== null)) {
      it(`when ${role} looks at the navigation, then every page it links to is checked above (listed in pagesFor)`, async ({ expect }) => {
        const hrefs = await onPage(contextOf(role), '/sites', (page) =>
          page.locator('header nav a[href^="/"]').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? '')),
        );
        expect(hrefs.length).toBeGreaterThan(5);
        expect(hrefs.filter((h) => !pagesFor(role).includes(h))).toEqual([]);
      });
    }

    it('when a page breaks WCAG (an image without text, grey on white), then the check names each violation and its element', async ({ expect }) => {
      // a tab of its own (written into a tab that had shown a page, axe missed the contrast)
      const page = await contextOf(null).newPage();
      await page.setContent(
        '<!doctype html><html lang="de"><head><title>Probe</title></head><body><main><h1>Probe</h1><img id="no-alt" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p id="faint" style="color:#ccc;background:#fff">kaum lesbar</p></main></body></html>',
      );
      let found: string[];
      try {
        found = describeViolations('/probe', await axe(page));
      } finally {
        await page.close();
      }
      expect(found.some((v) => v.startsWith('/probe: image-alt') && v.includes('#no-alt'))).toBe(true);
      expect(found.some((v) => v.startsWith('/probe: color-contrast') && v.includes('#faint'))).toBe(true);
    });

    it("when the map's popups are shown in German, then no English sentence or word from the English dictionary appears", async ({ expect }) => {
      const found = await onPage(contextOf('admin'), '/?date=2021-03-01&lang=de', async (page) => {
        const texts: string[] = [];
        const ids = await page.locator('path.site-marker').evaluateAll((els) => els.map((e) => e.getAttribute('data-site-id')));
        expect(ids.length).toBeGreaterThan(5);
        for (const id of ids) {
          await page.locator(`path.site-marker[data-site-id="${id}"]`).dispatchEvent('click');
          const text = await page.locator(`.leaflet-popup .popup[data-site-id="${id}"]`).innerText();
          texts.push(...probe(text).map((x) => `popup ${id}: ${x}`));
        }
        return [...texts, ...probe(await page.evaluate(() => document.body.innerText)).map((x) => `map: ${x}`)];
      });
      expect(found).toEqual([]);
    });
  });

  it('no script errors on any page', () => {
    expect(scriptErrors).toEqual([]);
  });
});

/**
 * A checker for English in German text: every English dictionary sentence that differs from the
 * German one (its fixed parts between placeholders, from three words on), and the English words that
 * never occur in the German dictionary (from five letters on; names and codes are not words of either).
 */
function englishProbe(): (text: string) => string[] {
  const deText = Object.values(de).join(' ').toLowerCase();
  const deWords = new Set(deText.match(/\p{L}+/gu) ?? []);
  // words of the stored data (the Ulm dataset's names, notes and sources, the test's usernames) are
  // what people typed, not the interface: they are not checked
  const dataDir = path.resolve(import.meta.dirname, '../../data/ulm');
  const dataText =
    fs
      .readdirSync(dataDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => fs.readFileSync(path.join(dataDir, f), 'utf8'))
      .join(' ') + ' admin a11y-planner a11y-site_editor a11y-viewer';
  const dataWords = new Set(dataText.toLowerCase().match(/\p{L}+/gu) ?? []);
  const sentences = new Set<string>();
  const words = new Set<string>();
  for (const [key, value] of Object.entries(en)) {
    if (value === (de as Record<string, string>)[key]) continue;
    for (const part of value.split(/\{\w+\}/)) {
      const p = part.trim().replace(/^[\s:,.;()·–-]+|[\s:,.;()·–-]+$/g, '');
      if (p.split(/\s+/).length >= 3) sentences.add(p);
    }
    for (const w of value.match(/\p{L}+/gu) ?? []) {
      const lw = w.toLowerCase();
      if (lw.length >= 5 && !deWords.has(lw) && !dataWords.has(lw) && /^[a-z]+$/.test(lw)) words.add(lw);
    }
  }
  return (text: string) => {
    const out: string[] = [];
    for (const s of sentences) if (text.includes(s)) out.push(`sentence "${s}"`);
    const tokens = new Set(text.match(/\p{L}+/gu) ?? []);
    for (const tk of tokens) {
      // lower-case words only: capitalised tokens are names (sites, teams, people) or German nouns
      if (tk === tk.toLowerCase() && words.has(tk)) out.push(`word "${tk}"`);
    }
    return out;
  };
}
