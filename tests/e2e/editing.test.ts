import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wcagViolations } from '../helpers/axe.js';
import { BY_TIMER, hasChromium, isCi, launch } from '../helpers/browser.js';
import { removeDb, startServer, type RunningServer } from '../helpers/server-process.js';

const run = hasChromium || isCi ? describe : describe.skip;

run('editing in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const errors: string[] = [];
  let siteId = 0;

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

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    // the admin creates a caretaker account for Kornhausplatz through the API
    const ctx = await browser.newContext();
    const admin = await login(ctx, 'admin', 'e2e-admin-pass');
    siteId = await admin.evaluate(async () => {
      const s = await (await fetch('/api/session')).json();
      const sites = await (await fetch('/api/sites')).json();
      const id = sites.find((x: { name: string }) => x.name === 'Kornhausplatz 4/6').id;
      const r = await fetch('/api/users', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken },
        body: JSON.stringify({ username: 'hausmeister', password: 'hausmeister-pass', role: 'site_editor', site_ids: [id] }),
      });
      if (r.status !== 201) throw new Error(await r.text());
      return id;
    });
    await ctx.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) removeDb(server.dbFile);
  });

  it('a caretaker on a phone corrects position, capacity and accessibility of their site, sees a clear message for a wrong value', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'de-DE' });
    const page = await login(ctx, 'hausmeister', 'hausmeister-pass');
    await page.goto(`${server.url}/my-sites`);
    expect(await page.locator('section[data-site-id]').count()).toBe(1);
    await page.click(`section[data-site-id="${siteId}"] a.button`);
    await page.waitForSelector('#pick-map[data-state="ready"]');
    // no horizontal scrolling on a phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.fill('#f-door_width_cm', '-80');
    await page.fill('#f-threshold_cm', 'zwei');
    await page.click('button[type=submit].primary');
    await page.waitForSelector('#f-door_width_cm-err');
    expect(await page.textContent('#f-door_width_cm-err')).toBe('Bitte einen Wert von mindestens 1, höchstens 999 eingeben.');
    expect(await page.textContent('#f-threshold_cm-err')).toBe('Bitte eine Zahl eingeben.');
    expect(await page.inputValue('#f-threshold_cm')).toBe('zwei');
    await page.fill('#f-threshold_cm', '1,5');
    // tap the map where the entrance really is: the marker and the coordinates follow
    const before = await page.inputValue('#f-lat');
    await page.locator('#pick-map').tap({ position: { x: 60, y: 40 } });
    await page.waitForFunction((b) => (document.getElementById('f-lat') as HTMLInputElement).value !== b, before, BY_TIMER);
    // written as a German page writes numbers: with a decimal comma
    const deNumber = (s: string) => Number(s.replace(',', '.'));
    expect(await page.inputValue('#f-lat')).toMatch(/^\d+,\d{6}$/);
    expect(deNumber(await page.inputValue('#f-lat'))).toBeGreaterThan(deNumber(before));
    await page.fill('#f-capacity', '60');
    // a counted capacity is no longer an estimate
    await page.uncheck('#f-capacity_estimated');
    await page.selectOption('#f-step_free', 'yes');
    await page.fill('#f-door_width_cm', '100');
    await page.click('button[type=submit].primary');
    await page.waitForURL(`${server.url}/sites/${siteId}`);
    expect(await page.textContent('.flash')).toBe('Gespeichert.');
    expect(await page.textContent('#site-figures')).toContain('/ 60');
    // the caretaker cannot open another site's form
    const other = await page.goto(`${server.url}/sites/1/edit`);
    expect(other!.status()).toBe(403);
    await ctx.close();
  });

  it('a planner previews the consequences of a move, then saves it', async () => {
    const ctx = await browser.newContext({ locale: 'de-DE' });
    const page = await login(ctx, 'admin', 'e2e-admin-pass');
    await page.goto(`${server.url}/moves/new`);
    await page.selectOption('#f-unit_id', { label: 'Sozialer Dienst · mit Publikumsverkehr' }).catch(async () => {
      const v = await page.locator('#f-unit_id option', { hasText: 'Sozialer Dienst' }).first().getAttribute('value');
      await page.selectOption('#f-unit_id', v!);
    });
    await page.selectOption('#f-to_site_id', { label: 'Haslacher Weg 91–95' });
    await page.fill('#f-headcount', '5');
    await page.fill('#f-date', '2027-01-01');
    await page.click('button[value=preview]');
    await page.waitForSelector('#preview');
    expect(await page.locator('#preview [data-code="OVER_CAPACITY"]').count()).toBe(1);
    expect(await page.locator('#preview-a11y').count()).toBe(1);
    await page.click('button[value=save]');
    await page.waitForURL(/\/moves\?highlight=/);
    // saved, and what the move brings is said with it (Haslacher Weg 91–95 is full then), readably
    expect(await page.textContent('#flash > p:first-child')).toBe('Gespeichert.');
    expect(await page.textContent('#flash-notes')).toMatch(/Haslacher Weg 91–95: \S*\d+ Arbeitsplätze benötigt, Kapazität \S*\d+\./);
    expect(await wcagViolations(page)).toEqual([]);
    // a link to the list at that move (without the #move-… anchor) brings its row into view, marked
    const saved = new URL(page.url());
    await page.goto(`${saved.origin}${saved.pathname}${saved.search}`);
    const box = await page.locator('tr.highlight').boundingBox();
    const height = page.viewportSize()?.height ?? 0;
    expect(box && box.y >= 0 && box.y + box.height <= height, JSON.stringify({ box, height })).toBe(true);
    await ctx.close();
  });

  it("a planner choosing where a move goes is offered that site's floors only", async () => {
    const ctx = await browser.newContext({ locale: 'de-DE' });
    const page = await login(ctx, 'admin', 'e2e-admin-pass');
    // two sites the other tests leave alone get a floor each (as many workplaces as the site has places: its capacity stays)
    const [a, b] = await page.evaluate(async () => {
      const { csrfToken } = await (await fetch('/api/session')).json();
      const sites = (await (await fetch('/api/sites')).json()) as { id: number; name: string; capacity: number }[];
      const two = sites.filter((x) => !/Haslacher Weg|Kornhausplatz/.test(x.name) && x.capacity > 0).slice(-2);
      for (const [i, x] of two.entries()) {
        const r = await fetch(`/api/sites/${x.id}/floors`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
          body: JSON.stringify({ level: 3, name: `Testgeschoss ${i + 1}`, workplaces: x.capacity }),
        });
        if (r.status !== 201) throw new Error(`floor: ${r.status} ${await r.text()}`);
      }
      return two.map((x) => x.id);
    });
    // what the list offers (other sites' floors are taken out of it)
    const offered = () => page.$$eval('#f-to_floor_id option', (os) => os.map((o) => o.textContent));
    await page.goto(`${server.url}/moves/new`);
    // no site chosen yet: no floor to choose
    expect(await offered()).toEqual(['ohne Geschoss']);
    await page.selectOption('#f-to_site_id', String(a));
    expect(await offered()).toEqual(['ohne Geschoss', expect.stringMatching(/^Testgeschoss 1 – /)]);
    await page.selectOption('#f-to_floor_id', { label: (await offered())[1]! });
    // another site: the floor of the first is no longer chosen, the other's is offered
    await page.selectOption('#f-to_site_id', String(b));
    expect(await page.inputValue('#f-to_floor_id')).toBe('');
    expect(await offered()).toEqual(['ohne Geschoss', expect.stringMatching(/^Testgeschoss 2 – /)]);
    // the other end has no site (an arrival): no floor there
    expect(await page.$$eval('#f-from_floor_id optgroup', (gs) => gs.length)).toBe(0);
    await ctx.close();
  });

  it('the import page checks a CSV with a dry run and shows the errors with line numbers', async () => {
    const ctx = await browser.newContext({ locale: 'de-DE' });
    const page = await login(ctx, 'admin', 'e2e-admin-pass');
    await page.goto(`${server.url}/import`);
    await page.fill('#import-text', 'name;lat;lon;capacity\nGut;48,4;9,99;3\nSchlecht;x;9,99;3\n');
    await page.click('#import-check');
    await page.waitForSelector('#import-errors li');
    expect(await page.textContent('#import-errors li')).toBe('Zeile 3 · lat: keine Zahl');
    expect(await page.textContent('#import-result p')).toBe('1 Fehler – nichts wurde importiert.');
    // a room list (from the CAFM system): the floors it would create are named
    const site = await page.evaluate(async () => ((await (await fetch('/api/sites')).json()) as { id: number }[])[0].id);
    await page.selectOption('#import-kind', 'rooms');
    await page.fill('#import-text', `site_id;level;floor_name;room_number;use;workplaces\n${site};7;7. OG;7.01;office;2\n`);
    await page.click('#import-check');
    await page.waitForSelector('#import-floors');
    expect(await page.textContent('#import-result p')).toBe('Probelauf: 1 neu, 0 geändert (nichts gespeichert).');
    expect(await page.textContent('#import-floors')).toBe('Dabei würde 1 Geschoss neu angelegt.');
    await ctx.close();
  });

  it('the council report prints to A4 PDF pages', async () => {
    const ctx = await browser.newContext({ locale: 'de-DE' });
    const page = await login(ctx, 'admin', 'e2e-admin-pass');
    await page.goto(`${server.url}/report?date=2021-03-01`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const out = path.join(path.dirname(server.dbFile), 'report-e2e.pdf');
    fs.writeFileSync(out, pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(8);
    await ctx.close();
  });

  it('when a capacity event is in force, then the site form shows its capacity and from when, saving changes it, and the site page shows one capacity (issue 27)', async () => {
    const ctx = await browser.newContext({ locale: 'de-DE', viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await login(ctx, 'admin', 'e2e-admin-pass');
    // Haslacher Weg 91–95: base value 30, a capacity event sets 34 from 01.07.2020 (data/ulm/events.json)
    const site = await page.evaluate(async () =>
      ((await (await fetch('/api/sites')).json()) as { id: number; name: string; capacity: number }[]).find((x) => x.name === 'Haslacher Weg 91–95')!,
    );
    await page.goto(`${server.url}/sites/${site.id}/edit`);
    expect(await page.textContent('label[for="f-capacity"]')).toBe('Kapazität (gilt seit 01.07.2020)');
    expect(await page.inputValue('#f-capacity')).toBe('34');
    expect(await page.locator('#f-capacity').locator('xpath=..').textContent()).toContain(
      `Seit dem 01.07.2020 legt das Ereignis „Kapazitätsänderung“ die Kapazität fest. Was Sie hier eintragen, ändert dieses Ereignis; der Grundwert vor dem 01.07.2020 (${site.capacity}) bleibt.`,
    );
    expect(await wcagViolations(page)).toEqual([]);
    await page.fill('#f-capacity', '36');
    await page.click('button[type=submit].primary');
    await page.waitForURL(`${server.url}/sites/${site.id}`);
    expect(await page.textContent('.flash')).toBe('Gespeichert.');
    expect((await page.textContent('#site-figures'))!.replace(/\s+/g, ' ')).toMatch(/\/ ≈?36$/);
    const details = (await page.innerText('#site-capacity')).replace(/\s+/g, ' ').trim();
    expect(details).toMatch(new RegExp(`^≈?36 seit 01.07.2020 durch „Kapazitätsänderung“; Grundwert davor: ≈?${site.capacity}$`));
    expect(await wcagViolations(page)).toEqual([]);
    await ctx.close();
  });

  it("when the pointer rests on a point of a site's chart, then a value that rests on an estimate reads ≈, as in the table beside it", async () => {
    const ctx = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    const page = await login(ctx, 'admin', 'e2e-admin-pass');
    // the paper gives no headcounts: the Ulm sites' people are estimates
    const site = await page.evaluate(async () =>
      ((await (await fetch('/api/sites')).json()) as { id: number; name: string }[]).find((x) => x.name === 'Kornhausplatz 4/6')!,
    );
    await page.goto(`${server.url}/sites/${site.id}?date=2021-03-01`);
    await page.waitForSelector('#site-chart[data-ready="true"]');
    const lines = await page.evaluate(() => {
      type Tip = { body: { lines: string[] }[]; setActiveElements: (e: unknown[], p: unknown) => void };
      const chart = (
        document.getElementById('site-chart') as unknown as { chart: { tooltip: Tip; update: () => void; data: { datasets: { data: number[] }[] } } }
      ).chart;
      // the last quarter, where both lines have values
      const index = chart.data.datasets[1].data.length - 1;
      chart.tooltip.setActiveElements(
        [
          { datasetIndex: 0, index },
          { datasetIndex: 1, index },
        ],
        { x: 0, y: 0 },
      );
      chart.update();
      return chart.tooltip.body.flatMap((b) => b.lines);
    });
    expect(lines).toEqual([expect.stringMatching(/^Kapazität: ≈?\d+$/), expect.stringMatching(/^Personen: ≈\d+$/)]);
    await ctx.close();
  });

  it('no script errors on any of these pages', () => {
    expect(errors).toEqual([]);
  });
});
