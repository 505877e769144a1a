/**
 * Every figure shown marks what rests on an estimate (SPEC section 16): the state's CSV, the site
 * list, the site page, the timeline and the council report. The Ulm data dates every closure,
 * opening and renovation by assumption (data/ulm/events.json), so a closed or renovated site's 0 is
 * an estimate as much as an estimated number is.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let p: { agent: TestAgent; csrf: string };
let sites: Map<string, number>;
beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
  const st = (await p.agent.get('/api/state?date=2021-03-01')).body as { sites: { id: number; name: string }[] };
  sites = new Map(st.sites.map((s) => [s.name, s.id]));
});
afterAll(async () => {
  await t.close();
});

const id = (name: string) => {
  const x = sites.get(name);
  if (x === undefined) throw new Error(`no site ${name}`);
  return x;
};
const text = async (url: string) => {
  const res = await p.agent
    .get(url)
    .buffer(true)
    .parse((r, cb) => {
      let d = '';
      r.setEncoding('utf8');
      r.on('data', (c) => {
        d += c;
      });
      r.on('end', () => cb(null, d));
    });
  expect(res.status).toBe(200);
  return res.body as string;
};
const stateCsv = async (date: string) =>
  parse(await text(`/api/export/state.csv?date=${date}`), { columns: true, delimiter: ';', bom: true }) as Record<string, string>[];
const rowOf = (html: string, siteId: number) => {
  const m = new RegExp(`<tr data-site-id="${siteId}">([\\s\\S]*?)</tr>`).exec(html);
  if (!m) throw new Error(`no row for site ${siteId}`);
  return m[1];
};
const EST = /<span class="est" title="geschätzt">≈<\/span>/;

describe('state.csv', () => {
  it('when a site is closed or renovated by an assumed event, then its row says capacity_estimated=true; a sourced closure says false', async () => {
    // 2021-03-01: Kornhausplatz 4/6 in its renovation (window estimated), Käßbohrerstraße closed (2018, date assumed)
    const early = await stateCsv('2021-03-01');
    const kornhaus = early.find((r) => r.site === 'Kornhausplatz 4/6')!;
    expect(kornhaus).toMatchObject({ status: 'renovation', capacity: '0', capacity_estimated: 'true' });
    expect(early.find((r) => r.site === 'Käßbohrerstraße (ehemaliger Standort)')).toMatchObject({ status: 'closed', capacity_estimated: 'true' });
    const later = await stateCsv('2024-06-01');
    expect(later.find((r) => r.site === 'Grüner Hof')).toMatchObject({ status: 'closed', capacity: '0', capacity_estimated: 'true' });
    // a closure on a date from a source: the 0 is no estimate, though the site's capacity was
    const res = await p.agent
      .post(`/api/sites/${id('Buchauer Straße 8–10')}/events`)
      .set('X-CSRF-Token', p.csrf)
      .send({ kind: 'closure', date: '2035-01-01', estimated: false, note: 'Kündigung zum 31.12.2034 (Schreiben liegt vor)' });
    expect(res.status).toBe(201);
    const closed = (await stateCsv('2035-02-01')).find((r) => r.site === 'Buchauer Straße 8–10')!;
    expect(closed).toMatchObject({ status: 'closed', capacity: '0', capacity_estimated: 'false' });
    expect((await stateCsv('2034-12-01')).find((r) => r.site === 'Buchauer Straße 8–10')).toMatchObject({ status: 'active', capacity_estimated: 'true' });
  });
});

describe('/sites', () => {
  it('when a utilisation rests on estimated figures, then it carries ≈; an assumed closure reads "geschlossen (angenommen)", a sourced one "geschlossen"', async () => {
    const html = await text('/sites?date=2024-06-01');
    const buchauer = rowOf(html, id('Buchauer Straße 8–10'));
    expect(buchauer).toMatch(new RegExp(`${EST.source}79,3 %`));
    const gruenerHof = rowOf(html, id('Grüner Hof'));
    expect(gruenerHof).toContain('<td>geschlossen (angenommen)</td>');
    // no utilisation, so no ≈ before the dash
    expect(gruenerHof).not.toMatch(new RegExp(`${EST.source}–`));
    const later = await text('/sites?date=2035-02-01');
    expect(rowOf(later, id('Buchauer Straße 8–10'))).toContain('<td>geschlossen</td>');
    const en = await text('/sites?date=2024-06-01&lang=en');
    expect(rowOf(en, id('Grüner Hof'))).toContain('<td>closed (assumed)</td>');
    await p.agent.get('/sites?lang=de');
  });
});

describe('the site page', () => {
  it('when a site is closed by an assumed closure, then its page says so in the heading, the figures and the capacity, with no number', async () => {
    const html = await text(`/sites/${id('Grüner Hof')}?date=2024-06-01`);
    expect(html).toContain('<span class="pill" id="site-status">geschlossen (angenommen)</span>');
    expect(html).toMatch(/id="site-figures">0 \/ geschlossen \(angenommen\)</);
    expect(/<dd id="site-capacity">([\s\S]*?)<\/dd>/.exec(html)![1]).toBe('geschlossen (angenommen)');
    // open, the capacity in force (Haslacher Weg 89: the 2016 extension's ≈12, as in the figures)
    const open = await text(`/sites/${id('Haslacher Weg 89')}?date=2021-03-01`);
    expect(open).toMatch(new RegExp(`id="site-figures">${EST.source}12 / ${EST.source}12<`));
    expect(/<dd id="site-capacity">([\s\S]*?)<\/dd>/.exec(open)![1]).toMatch(new RegExp(`^${EST.source}12<br>`));
  });
});

describe('warning texts', () => {
  it('when people sit in a site whose renovation window is assumed, then the text reads German dates and marks the status and headcount with ≈', async () => {
    const page = await text(`/sites/${id('Haslacher Weg 91–95')}?date=2028-06-01`);
    expect(page).toContain('≈33 Personen am Standort Haslacher Weg 91–95, der am 01.06.2028 nicht nutzbar ist (≈in Sanierung).');
    const st = (await p.agent.get('/api/state?date=2028-06-01&warnings_limit=all')).body as {
      warnings: { code: string; message: string; estimates?: string[] }[];
    };
    const w = st.warnings.find((x) => x.code === 'SITE_UNAVAILABLE')!;
    expect(w.estimates).toEqual(['headcount', 'status']);
    for (const x of st.warnings) expect(x.message).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});

describe('/timeline', () => {
  const cells = (html: string, tableId: string, label: string) => {
    const table = new RegExp(`<table class="data chart-table" id="${tableId}">([\\s\\S]*?)</table>`).exec(html)![1];
    const row = new RegExp(`<tr><th scope="row">${label.replace(/[()/]/g, '\\$&')}</th>([\\s\\S]*?)</tr>`).exec(table)![1];
    return [...row.matchAll(/<td class="num[^"]*">([\s\S]*?)<\/td>/g)].map((m) => m[1]);
  };

  it('when a utilisation rests on estimated capacity or headcount, then its cell carries ≈ (sites and districts); an empty cell does not', async () => {
    const html = await text('/timeline?from=2021-01-01&to=2024-01-01&step=quarter');
    const moltke = cells(html, 'site-table', 'Moltkestraße 20');
    expect(moltke.length).toBe(13);
    for (const c of moltke) expect(c).toMatch(new RegExp(`^${EST.source}[\\d,]+ %$`));
    const weststadt = cells(html, 'district-table', 'Weststadt');
    for (const c of weststadt) expect(c).toMatch(new RegExp(`^${EST.source}[\\d,]+ %$`));
    // Kornhausplatz 4/6 before it reopens: no utilisation, no ≈
    const kornhaus = cells(html, 'site-table', 'Kornhausplatz 4/6');
    expect(kornhaus[0]).toBe('–');
  });

  it('when a site first goes over capacity on estimated figures, then the date carries ≈ as the figures do', async () => {
    const html = await text('/timeline?from=2019-01-01&to=2022-01-01&step=month');
    const row = rowOf(html, id('Moltkestraße 20'));
    expect(row).toMatch(new RegExp(`<td>${EST.source}01\\.09\\.2020</td><td class="num">${EST.source}55</td><td class="num">${EST.source}52</td>`));
    const never = rowOf(html, id('Magirusstraße 17'));
    expect(never).toContain('<td>nie überbelegt</td>');
    // a period that begins while the site is over: not „erstmals“ on its first day, but already then
    const later = rowOf(await text('/timeline?from=2021-01-01&to=2021-12-01&step=month'), id('Moltkestraße 20'));
    expect(later).toMatch(new RegExp(`<td>schon zu Beginn des Zeitraums: ${EST.source}01\\.01\\.2021</td>`));
  });

  it('when the timeline is asked as JSON, then districts carry their estimate flags per date like sites', async () => {
    const tl = (await p.agent.get('/api/timeline?from=2021-01-01&to=2021-07-01&step=quarter')).body as {
      districts: { name: string; capacity_estimated: boolean[]; headcount_estimated: boolean[] }[];
    };
    const west = tl.districts.find((d) => d.name === 'Weststadt')!;
    expect(west.capacity_estimated).toEqual([true, true, true]);
    expect(west.headcount_estimated).toEqual([true, true, true]);
  });
});

describe('the council report', () => {
  it("when the overview map's labels rest on estimated figures, then they carry ≈ (Grüner Hof: ≈52/≈58), and Anlage 1's rows do too", async () => {
    const html = await text('/report?date=2021-03-01');
    expect(html).toContain('<title>Grüner Hof: ≈52/≈58</title>');
    expect(html).toContain('<title>Moltkestraße 20: ≈55/≈52</title>');
    expect(html).not.toMatch(/<title>[^<]*: \d+\/\d+<\/title>/);
    const summary = /<table class="data" id="report-summary">([\s\S]*?)<\/table>/.exec(html)![1];
    const weststadt = /<tr data-team-id="\d+"><td>Sozialraumteam Weststadt<\/td>([\s\S]*?)<\/tr>/.exec(summary)![1];
    expect(weststadt).toBe(
      `<td class="num"><span class="est" title="geschätzt">≈</span>55</td><td class="num"><span class="est" title="geschätzt">≈</span>52</td>`,
    );
  });
});

describe('a scenario beside the baseline', () => {
  it('when the figures compared rest on estimates, then the scenario page and the report mark them (≈, "in Sanierung (angenommen)")', async () => {
    const scenarios = (await p.agent.get('/api/scenarios')).body as { id: number; name: string }[];
    const later = scenarios.find((s) => s.name.startsWith('Kornhausplatz-Sanierung'))!;
    const kornhaus = id('Kornhausplatz 4/6');
    const page = await text(`/scenarios/${later.id}?date=2023-12-01`);
    const row = new RegExp(
      `<tr data-site-id="${kornhaus}"><td>&nbsp;&nbsp;<a[^>]*>Kornhausplatz 4/6</a></td>(<td class="num">[\\s\\S]*?</td>)(<td class="num">[\\s\\S]*?</td>)`,
    ).exec(page)!;
    expect(row[1]).toBe(`<td class="num">${EST.source.replace(/\\/g, '')}54 / ${EST.source.replace(/\\/g, '')}62</td>`);
    expect(row[2]).toMatch(new RegExp(`^<td class="num">${EST.source}\\d+ / ${EST.source}0</td>$`));
    const districts = /<tr class="total"><td>Mitte\/Ost<\/td>(<td class="num">[\s\S]*?<\/td>)/.exec(page)!;
    expect(districts[1]).toMatch(new RegExp(`^<td class="num">${EST.source}\\d+ / ${EST.source}\\d+ \\(${EST.source}[\\d,]+ %\\)</td>$`));
    const report = await text(`/report?date=2023-12-01&scenario_id=${later.id}`);
    const diff = new RegExp(
      `<tr data-site-id="${kornhaus}"><td>Kornhausplatz 4/6</td>\\s*<td class="num">([\\s\\S]*?)</td><td class="num">([\\s\\S]*?)</td></tr>`,
    ).exec(report)!;
    expect(diff[1]).toMatch(new RegExp(`^${EST.source}54 / ${EST.source}62$`));
    expect(diff[2]).toMatch(new RegExp(`^${EST.source}\\d+ / in Sanierung \\(angenommen\\)$`));
  });
});
