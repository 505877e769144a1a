/**
 * WCAG 2.1 A/AA with axe-core on every page (logged out and as each role, desktop and phone),
 * no sideways scrolling on a phone, the keyboard path from the map to a site, and no English on
 * German pages. One server and one browser for the whole file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, isCi, launch } from '../helpers/browser.js';
import { removeDb, startServer, type RunningServer } from '../helpers/server-process.js';
import { en } from '../../server/i18n/en.js';
import { de } from '../../server/i18n/de.js';

const run = hasChromium || isCi ? describe : describe.skip;
const AXE = fs.readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

type Role = 'admin' | 'planner' | 'site_editor' | 'viewer';
const PASSWORD = 'a11y-test-password';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** Pages each role uses; `{own}` is the site the site_editor looks after. */
function pagesFor(role: Role | null): string[] {
  const open = ['/barrierefreiheit', '/datenschutz'];
  if (role === null) return ['/login', ...open];
  const read = [
    '/',
    '/sites',
    '/sites/{own}',
    '/teams',
    '/teams/1',
    '/moves',
    '/projects',
    '/projects/{project}',
    '/timeline',
    '/report?date=2021-03-01',
    '/costs?date=2025-01-01',
    '/scenarios',
    '/scenarios/1',
    '/account',
    '/nicht-vorhanden',
    ...open,
  ];
  if (role === 'viewer') return [...read, '/users'];
  if (role === 'site_editor') return [...read, '/my-sites', '/sites/{own}/edit'];
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
  ];
  return role === 'admin' ? [...plan, '/users'] : plan;
}

run('accessibility and language in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let ownSite = 0;
  let project = 0;
  const contexts = new Map<string, BrowserContext>();
  const scriptErrors: string[] = [];

  async function context(role: Role | null, viewport: { width: number; height: number }): Promise<BrowserContext> {
    const key = `${role}-${viewport.width}`;
    const hit = contexts.get(key);
    if (hit) return hit;
    const ctx = await browser.newContext({ viewport, locale: 'de-DE', ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}) });
    if (role) {
      const username = role === 'admin' ? 'admin' : `a11y-${role}`;
      const password = role === 'admin' ? 'e2e-admin-pass' : PASSWORD;
      const r = await ctx.request.post(`${server.url}/api/login`, { data: { username, password } });
      expect(r.status()).toBe(200);
    }
    contexts.set(key, ctx);
    return ctx;
  }

  const pagesOf = new Map<BrowserContext, Page>();
  async function open(ctx: BrowserContext, url: string): Promise<Page> {
    let page = pagesOf.get(ctx);
    if (!page) {
      page = await ctx.newPage();
      const p = page;
      p.on('pageerror', (e) => scriptErrors.push(`${p.url()}: ${e.message}`));
      pagesOf.set(ctx, page);
    }
    await page.goto(`${server.url}${url.replace('{own}', String(ownSite)).replace('{project}', String(project))}`);
    await settle(page);
    return page;
  }

  async function settle(page: Page) {
    await page.waitForLoadState('load');
    // the map and the charts draw after load: wait for their ready signals
    await page.waitForFunction(
      () => {
        const map = document.getElementById('map');
        if (map && map.dataset.state !== 'ready' && map.dataset.state !== 'error') return false;
        return Array.from(document.querySelectorAll('canvas[data-chart]')).every((c) => (c as HTMLElement).dataset.ready === 'true');
      },
      null,
      { timeout: 20_000 },
    );
  }

  async function axe(page: Page): Promise<Violation[]> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
    return page.evaluate(async (tags) => {
      const w = window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Violation[] }> } };
      const r = await w.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    }, TAGS);
  }

  const describeViolations = (url: string, vs: Violation[]) =>
    vs.map((v) => `${url}: ${v.id} (${v.impact}) ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
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
    expect(lease.status()).toBe(201);
    for (const role of ['planner', 'site_editor', 'viewer'] as const) {
      const r = await api.request.post(`${server.url}/api/users`, {
        headers: { 'X-CSRF-Token': csrfToken },
        data: { username: `a11y-${role}`, password: PASSWORD, role, site_ids: role === 'site_editor' ? [ownSite] : [] },
      });
      expect(r.status()).toBe(201);
    }
    await api.close();
  });
  afterAll(async () => {
    for (const c of contexts.values()) await c.close();
    await browser?.close();
    await server?.stop();
    if (server) removeDb(server.dbFile);
  });

  for (const role of [null, 'admin', 'planner', 'site_editor', 'viewer'] as const) {
    for (const [vpName, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      it(`when ${role ?? 'nobody'} (logged ${role ? 'in' : 'out'}) opens every page on a ${vpName}, then axe-core finds no WCAG 2.1 A/AA violation${vpName === 'phone' ? ' and nothing scrolls sideways' : ''}`, async () => {
        const ctx = await context(role, viewport);
        const found: string[] = [];
        const wide: string[] = [];
        // the listed pages and every page the role's navigation links to (new pages are checked too)
        const urls = new Set(pagesFor(role));
        if (role) {
          const start = await open(ctx, '/sites');
          for (const href of await start.locator('header nav a[href^="/"]').evaluateAll((els) => els.map((e) => e.getAttribute('href')!))) urls.add(href);
        }
        for (const url of urls) {
          const t0 = Date.now();
          const page = await open(ctx, url);
          const t1 = Date.now();
          found.push(...describeViolations(url, await axe(page)));
          if (process.env.A11Y_TIMING) console.log(`${url} open ${t1 - t0}ms axe ${Date.now() - t1}ms`);
          if (viewport === PHONE) {
            const w = await page.evaluate(() => document.documentElement.scrollWidth);
            if (w > PHONE.width + 1) wide.push(`${url}: ${w}px`);
          }
        }
        expect(found).toEqual([]);
        expect(wide).toEqual([]);
      });
    }
  }

  it("when pages and the map's popups are shown in German, then no English sentence or word from the English dictionary appears", async () => {
    const probe = englishProbe();
    const ctx = await context('admin', DESKTOP);
    const found: string[] = [];
    for (const url of [...pagesFor('admin'), '/login']) {
      const page = await open(ctx, url.includes('?') ? `${url}&lang=de` : `${url}?lang=de`);
      found.push(...probe(await page.evaluate(() => document.body.innerText)).map((x) => `${url}: ${x}`));
    }
    // every popup on the map, and the list and warnings beside it
    const page = await open(ctx, '/?date=2021-03-01&lang=de');
    const ids = await page.locator('path.site-marker').evaluateAll((els) => els.map((e) => e.getAttribute('data-site-id')));
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) {
      await page.locator(`path.site-marker[data-site-id="${id}"]`).dispatchEvent('click');
      const text = await page.locator(`.leaflet-popup .popup[data-site-id="${id}"]`).innerText();
      found.push(...probe(text).map((x) => `popup ${id}: ${x}`));
    }
    expect(found).toEqual([]);
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
