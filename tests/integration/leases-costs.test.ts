import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

type Who = { agent: TestAgent; csrf: string };
let t: TestApp;
let p: Who;
let v: Who;
let e: Who;
let sites: { id: number; name: string }[];
const siteId = (name: string) => sites.find((s) => s.name.startsWith(name))!.id;

beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
  v = await t.login('viewer');
  e = await t.login('editor');
  sites = (await p.agent.get('/api/sites')).body;
});
afterAll(async () => {
  await t.close();
});

const send = (who: Who, method: 'post' | 'patch' | 'delete', url: string, body: unknown = {}) =>
  who.agent[method](url)
    .set('X-CSRF-Token', who.csrf)
    .send(body as object);

describe('leases of a site', () => {
  it('when a planner records a lease, then everyone with access reads it, it is audited, and only planners and admins write', async () => {
    const site = siteId('Olgastraße');
    const created = await send(p, 'post', `/api/sites/${site}/leases`, {
      start: '2020-01-01',
      end: '2030-12-31',
      notice_months: 6,
      rent_month_eur: 4500.5,
      service_charges_month_eur: 700,
      landlord: 'Muster GmbH',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ site_id: site, kind: 'lease', rent_month_eur: 4500.5, version: 1, landlord: 'Muster GmbH' });
    // the site page lists it with its cents, as typed (not rounded to 4.501 €); its edit form shows them too
    const sitePage = (await v.agent.get(`/sites/${site}`)).text;
    expect(sitePage).toMatch(/<td class="num">4\.500,50\s€<\/td>\s*<td class="num">700\s€<\/td>\s*<td class="num">62\.406\s€<\/td>/);
    expect((await p.agent.get(`/leases/${created.body.id}/edit`)).text).toMatch(/name="rent_month_eur" type="text" value="4500,5"/);
    for (const who of [v, e]) {
      const list = await who.agent.get(`/api/sites/${site}/leases`);
      expect(list.status).toBe(200);
      expect(list.body.map((l: { id: number }) => l.id)).toEqual([created.body.id]);
    }
    expect((await send(v, 'post', `/api/sites/${site}/leases`, { start: '2031-01-01' })).status).toBe(403);
    // building staff read, they do not write leases (not even of their own site)
    expect((await send(e, 'post', `/api/sites/${siteId('Kornhausplatz')}/leases`, { start: '2031-01-01' })).status).toBe(403);
    expect((await p.agent.post(`/api/sites/${site}/leases`).send({ start: '2031-01-01' })).body.error.code).toBe('CSRF');
    const audit = await p.agent.get(`/api/audit?entity=lease&entity_id=${created.body.id}`);
    expect(audit.body[0]).toMatchObject({ action: 'create', entity: 'lease' });

    const stale = await send(p, 'patch', `/api/leases/${created.body.id}`, { rent_month_eur: 5000, version: 1 });
    expect(stale.status).toBe(200);
    const again = await send(p, 'patch', `/api/leases/${created.body.id}`, { rent_month_eur: 6000, version: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error.current.rent_month_eur).toBe(5000);
    expect((await send(p, 'delete', `/api/leases/${created.body.id}?version=2`)).status).toBe(204);
    expect((await p.agent.get(`/api/sites/${site}/leases`)).body).toEqual([]);
  });

  it('when the input is bad (negative rent, end before start, notice longer than the lease, overlap), then the SPEC error names the field and nothing changes', async () => {
    const site = siteId('Magirusstraße');
    const first = await send(p, 'post', `/api/sites/${site}/leases`, { start: '2021-01-01', end: '2025-12-31', rent_month_eur: 1000 });
    expect(first.status).toBe(201);
    const bad = async (body: object, status: number, code: string, field: string) => {
      const res = await send(p, 'post', `/api/sites/${site}/leases`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.fields).toHaveProperty(field);
    };
    await bad({ start: '2026-01-01', rent_month_eur: -1 }, 400, 'VALIDATION_FAILED', 'rent_month_eur');
    await bad({ start: '2026-01-01', end: '2025-12-31' }, 400, 'VALIDATION_FAILED', 'end');
    await bad({ start: '2026-01-01', end: '2026-06-30', notice_months: 12 }, 400, 'VALIDATION_FAILED', 'notice_months');
    await bad({ start: '2025-06-01', end: '2026-06-30' }, 422, 'LEASE_OVERLAP', 'start');
    // an open-ended lease that begins before the first one ends overlaps it too
    await bad({ start: '2024-01-01' }, 422, 'LEASE_OVERLAP', 'start');
    const follow = await send(p, 'post', `/api/sites/${site}/leases`, { start: '2026-01-01', rent_month_eur: 1200 });
    expect(follow.status).toBe(201);
    // a change that would make two leases meet is refused whole
    const patch = await send(p, 'patch', `/api/leases/${follow.body.id}`, { start: '2025-12-01', version: 1 });
    expect(patch.status).toBe(422);
    expect(patch.body.error.code).toBe('LEASE_OVERLAP');
    const list = (await p.agent.get(`/api/sites/${site}/leases`)).body as { id: number; start: string; version: number }[];
    expect(list.map((l) => [l.start, l.version])).toEqual([
      ['2021-01-01', 1],
      ['2026-01-01', 1],
    ]);
    expect((await p.agent.get('/api/sites/999999/leases')).status).toBe(404);
    for (const l of list) await send(p, 'delete', `/api/leases/${l.id}`);
  });
});

describe('costs', () => {
  it('when the Ulm data is read, then no lease and no price is invented: every site with people has no figure', async () => {
    const res = await v.agent.get('/api/costs?date=2022-01-01');
    expect(res.status).toBe(200);
    expect(res.body.total_annual_eur).toBe(0);
    expect(res.body.sites.length).toBeGreaterThan(3);
    expect(res.body.sites.every((s: { annual_eur: number | null }) => s.annual_eur === null)).toBe(true);
    // the report's box reads as the paper's: "Finanzielle Auswirkungen: nein", and why there are no figures
    const report = await v.agent.get('/report?date=2021-03-01');
    expect(report.status).toBe(200);
    expect(report.text).toMatch(/id="finance-answer">nein</);
    expect(report.text).toMatch(/id="finance-source">\(so auch die Vorlage: „nein“ — GD 096\/21/);
    expect(report.text).toContain('Keine Mietdaten erfasst.');
    // the cost page's sum is no figure either („–“, not 0 €)
    const costsPage = (await v.agent.get('/costs?date=2022-01-01')).text;
    expect(costsPage).toContain('<strong id="costs-total">Summe der Jahreskosten: –</strong>');
    // the scenario's comparison at a date does not pretend either: no figure, "–", and why
    const scenario = (await send(p, 'post', '/api/scenarios', { name: 'Ohne Mietdaten' })).body;
    const page = await v.agent.get(`/scenarios/${scenario.id}?date=2022-01-01`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="compare-no-lease"');
    const table = page.text.slice(page.text.indexOf('id="compare-table"'), page.text.indexOf('</table>', page.text.indexOf('id="compare-table"')));
    expect(table).toContain('Jahreskosten Basisplanung');
    expect(table).not.toMatch(/\d\s€/);
    expect(table).toMatch(/id="compare-cost-total"><th scope="row" colspan="4">Summe der Jahreskosten<\/th><td class="num">–<\/td>/);
    expect((await send(p, 'delete', `/api/scenarios/${scenario.id}`)).status).toBe(204);
  });

  it('when a site has a lease, then /api/costs gives annual, per workplace and per person, and the CSV is for German Excel', async () => {
    const site = siteId('Schwambergerstraße 1');
    const lease = await send(p, 'post', `/api/sites/${site}/leases`, { start: '2021-01-01', rent_month_eur: 5000.5, service_charges_month_eur: 1000 });
    expect(lease.status).toBe(201);
    const res = await v.agent.get('/api/costs?date=2022-01-01');
    const row = res.body.sites.find((s: { site_id: number }) => s.site_id === site);
    expect(row).toMatchObject({ annual_eur: 72_006, lease_id: lease.body.id, lease_end: null });
    expect(row.per_workplace_eur).toBeCloseTo(72_006 / row.capacity, 2);
    expect(row.per_person_eur).toBeCloseTo(72_006 / row.headcount, 2);
    expect(res.body.total_annual_eur).toBe(72_006);
    // before the lease starts, the page says that none is in force then (not that none is recorded)
    const before = (await v.agent.get('/costs?date=2015-01-01')).text;
    expect(before).toContain('id="no-lease-data">Am 01.01.2015 ist kein erfasster Mietvertrag in Kraft');
    expect(before).not.toContain('Keine Mietdaten erfasst');
    // the page marks the figures that rest on estimates, as the API says they do
    const page = (await v.agent.get('/costs?date=2022-01-01')).text;
    const tr = new RegExp(`<tr data-site-id="${site}">[^]*?</tr>`).exec(page)![0];
    const cells = [...tr.matchAll(/<td class="num">([^]*?)<\/td>/g)].map((m) => m[1]);
    const est = (cell: string) => cell.includes('<span class="est" title="geschätzt">≈</span>');
    expect(typeof row.capacity_estimated).toBe('boolean');
    expect(cells.map(est)).toEqual([false, row.capacity_estimated, row.headcount_estimated, row.capacity_estimated, row.headcount_estimated]);
    const anyEstimated = (res.body.sites as { headcount_estimated: boolean; capacity_estimated: boolean }[]).find(
      (s) => s.headcount_estimated || s.capacity_estimated,
    );
    expect(anyEstimated).toBeDefined();
    const csv = await v.agent.get('/api/export/costs.csv?date=2022-01-01');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.text.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'date;site_id;site;kind;lease_id;lease_end;holdover;annual_eur;per_workplace_eur;per_person_eur;capacity;headcount;capacity_estimated;headcount_estimated',
    );
    const line = lines.find((l) => l.startsWith(`2022-01-01;${site};`))!;
    expect(line).toContain(';72006;');
    expect(line.split(';')[8]).toMatch(/^\d+,\d+$/);
    await send(p, 'delete', `/api/leases/${lease.body.id}`);
  });

  it('when a move carries its own cost, then the API and the move list keep it', async () => {
    const moves = (await p.agent.get('/api/moves?scenario_id=baseline')).body as {
      id: number;
      version: number;
      from_site_id: number | null;
      to_site_id: number | null;
    }[];
    const m = moves.find((x) => x.from_site_id !== null && x.to_site_id !== null)!;
    const res = await send(p, 'patch', `/api/moves/${m.id}`, { cost_eur: 2500, version: m.version });
    expect(res.status).toBe(200);
    expect(res.body.cost_eur).toBe(2500);
    const bad = await send(p, 'patch', `/api/moves/${m.id}`, { cost_eur: -5, version: res.body.version });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty('cost_eur');
    await send(p, 'patch', `/api/moves/${m.id}`, { cost_eur: null, version: res.body.version });
  });
});

describe('what does keeping the interim six months longer cost, and by when must we give notice?', () => {
  it('when a scenario postpones the Kornhausplatz move by six months, then the comparison says what it costs and NOTICE_DUE names the date', async () => {
    // the test's own figures (the Ulm paper names none): the interim rented open-ended with three
    // months' notice, 4,000 € rent and 800 € service charges a month; Kornhausplatz owned
    const sattlergasse = siteId('Sattlergasse');
    const kornhausplatz = siteId('Kornhausplatz');
    const interim = await send(p, 'post', `/api/sites/${sattlergasse}/leases`, {
      start: '2019-09-01',
      notice_months: 3,
      rent_month_eur: 4000,
      service_charges_month_eur: 800,
      landlord: 'Privat',
    });
    expect(interim.status).toBe(201);
    expect((await send(p, 'post', `/api/sites/${kornhausplatz}/leases`, { kind: 'owned', start: '2023-10-01', service_charges_month_eur: 5000 })).status).toBe(
      201,
    );

    const scenario = (await send(p, 'post', '/api/scenarios', { name: 'Kornhausplatz ein halbes Jahr später' })).body;
    const project = ((await p.agent.get('/api/projects')).body as { id: number; name: string }[]).find((x) => x.name === 'Sanierung Kornhausplatz 4/6')!;
    const shift = await send(p, 'post', `/api/scenarios/${scenario.id}/shift`, { project_id: project.id, months: 6 });
    expect(shift.status).toBe(200);

    // the cost: six more months of the interim (6 × 4,800 €); the same people move, only later
    const cmp = await v.agent.get(`/api/scenarios/${scenario.id}/costs?from=2023-01-01&to=2025-12-31`);
    expect(cmp.status).toBe(200);
    expect(cmp.body.difference_eur).toBe(28_800);
    expect(cmp.body.scenario.running_eur - cmp.body.baseline.running_eur).toBe(28_800);
    expect(cmp.body.scenario.moves_eur).toBe(cmp.body.baseline.moves_eur);
    expect(cmp.body.baseline.moves_eur).toBeGreaterThan(0);
    // the paper's moves carry estimated headcounts: their costs are ≈, in the API and on the page
    expect(cmp.body.baseline.moves_estimated).toBe(true);
    const bySite = new Map((cmp.body.by_site as { site_id: number; difference_eur: number }[]).map((s) => [s.site_id, s.difference_eur]));
    expect(bySite.get(sattlergasse)).toBe(28_800);
    expect(bySite.get(kornhausplatz)).toBe(0);
    // the scenario page says it too, in the comparison over the same period
    const page = await v.agent.get(`/scenarios/${scenario.id}?from=2023-01-01&to=2025-12-31`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="cost-difference"><strong>28\.800\s€/);
    expect(page.text).toMatch(/<th scope="row">Umzugskosten<\/th><td class="num"><span class="est" title="geschätzt">≈<\/span>\d/);
    // the sites with people but no lease are named as not counted (their costs are unknown, not 0 €), on each side
    const unknown = (side: 'baseline' | 'scenario') => (cmp.body[side].sites_without_lease as { site_id: number; site: string }[]).map((s) => s.site_id);
    expect(unknown('baseline').length).toBeGreaterThan(0);
    expect(unknown('baseline')).not.toContain(sattlergasse);
    expect(unknown('scenario')).not.toContain(kornhausplatz);
    expect(page.text).toMatch(new RegExp(`id="cost-unknown-baseline">Nicht eingerechnet[^<]*${cmp.body.baseline.sites_without_lease[0].site}`));
    expect(page.text).toContain('Gebäude im Eigentum kosten weiter, auch leer, bis eine Schließung sie aufgibt.');
    expect(page.text).not.toContain('id="cost-holdover"');

    // the comparison as CSV for German Excel, linked from the cost section: a row per site, then the totals
    const link = /id="cost-compare-csv" href="([^"]+)"/.exec(page.text)![1].replaceAll('&amp;', '&');
    expect(link).toBe(`/api/scenarios/${scenario.id}/costs.csv?from=2023-01-01&to=2025-12-31`);
    const csv = await v.agent.get(link);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers['content-disposition']).toContain(`scenario-${scenario.id}-costs-2023-01-01-2025-12-31.csv`);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'from;to;scenario_id;site_id;site;baseline_running_eur;baseline_moves_eur;scenario_running_eur;scenario_moves_eur;difference_eur;baseline_holdover_eur;scenario_holdover_eur',
    );
    const interimLine = lines.find((l) => l.startsWith(`2023-01-01;2025-12-31;${scenario.id};${sattlergasse};`))!;
    expect(interimLine.split(';').slice(5)).toEqual(['43200', '0', '72000', '0', '28800', '0', '0']);
    expect(lines.at(-1)).toMatch(new RegExp(`^2023-01-01;2025-12-31;${scenario.id};;;[\\d,]+;[\\d,]+;[\\d,]+;[\\d,]+;28800;[\\d,]+;[\\d,]+$`));
    // amounts with cents keep them with a decimal comma (half a December of the owned Kornhausplatz: 15/31 × 5.000 €)
    const half = await v.agent.get(`/api/scenarios/${scenario.id}/costs.csv?from=2023-01-01&to=2025-12-15`);
    const owned = half.text.split('\r\n').find((l) => l.includes(`;${kornhausplatz};`))!;
    expect(owned.split(';')[5]).toBe('132419,35');
    expect((await v.agent.get(`/api/scenarios/999999/costs.csv?from=2023-01-01&to=2025-12-31`)).status).toBe(404);

    // and in its comparison at a date: on 15.01.2024 the baseline has given the interim up (its last
    // day 30.09.2023), the scenario still pays it: 12 × 4.800 € more a year; Kornhausplatz (owned) costs the same
    const atDate = await v.agent.get(`/scenarios/${scenario.id}?date=2024-01-15&from=2023-01-01&to=2025-12-31`);
    expect(atDate.status).toBe(200);
    const row = (id: number) => {
      const at = atDate.text.indexOf(`<tr data-site-id="${id}">`, atDate.text.indexOf('id="compare-table"'));
      return atDate.text.slice(at, atDate.text.indexOf('</tr>', at));
    };
    expect(row(sattlergasse)).toMatch(
      /class="num cost-baseline">0\s€<\/td><td class="num cost-scenario">57\.600\s€<\/td><td class="num cost-difference">57\.600\s€</,
    );
    expect(row(kornhausplatz)).toMatch(
      /class="num cost-baseline">60\.000\s€<\/td><td class="num cost-scenario">60\.000\s€<\/td><td class="num cost-difference">0\s€</,
    );
    expect(atDate.text).toMatch(/id="compare-cost-total">.*<td class="num">60\.000\s€<\/td><td class="num">117\.600\s€<\/td><td class="num">57\.600\s€<\/td>/);
    // sites with people but no lease are "–", not 0 €, and the sums say they leave them out
    const other = siteId('Moltkestraße');
    expect(row(other)).toMatch(/class="num cost-baseline">–<span class="visually-hidden"> kein Vertrag erfasst<\/span>/);
    expect(atDate.text).toContain('id="compare-without-lease"');
    expect(atDate.text).not.toContain('id="compare-no-lease"');

    // the council report of the scenario states it in its box "Finanzielle Auswirkungen"
    const report = await v.agent.get(`/report?date=2023-09-01&scenario_id=${scenario.id}`);
    expect(report.text).toMatch(/id="finance-answer">ja</);
    // (as far as leases are recorded: sites with people but no lease are not in it)
    expect(report.text).toMatch(/Mehrkosten gegenüber der Basisplanung, soweit Mietverträge erfasst sind: 28\.800\s€/);
    // and that the sites with people but no lease are not in the figures, by name
    expect(report.text).toMatch(/id="finance-unknown">Nicht eingerechnet: \d+ Standorte mit Personen, für die kein Mietvertrag erfasst ist \([^)]+\)/);
    const baseReport = await v.agent.get('/report?date=2023-09-01');
    expect(baseReport.text).toMatch(/id="finance-figures">Jährliche Kosten/);
    expect(baseReport.text).toContain('id="finance-unknown">Nicht eingerechnet:');

    // by when: the interim's last day is 31.03.2024, so notice must be given by 31.12.2023 (three months before)
    const state = await v.agent.get(`/api/state?date=2023-09-01&scenario_id=${scenario.id}&warnings_limit=all`);
    const notice = (state.body.warnings as { code: string; site_id: number; message: string }[]).filter((w) => w.code === 'NOTICE_DUE');
    expect(notice).toHaveLength(1);
    expect(notice[0].site_id).toBe(sattlergasse);
    expect(notice[0].message).toContain('31.12.2023');
    // the baseline's notice date lies six months earlier (30.06.2023) and its warning window is over by September
    const base = await v.agent.get('/api/state?date=2023-09-01&warnings_limit=all');
    expect((base.body.warnings as { code: string }[]).filter((w) => w.code === 'NOTICE_DUE')).toHaveLength(0);
    const baseEarlier = await v.agent.get('/api/state?date=2023-03-01&warnings_limit=all');
    expect((baseEarlier.body.warnings as { code: string; message: string }[]).find((w) => w.code === 'NOTICE_DUE')?.message).toContain('30.06.2023');
  });
});

describe('the cost comparison is a period analysis', () => {
  it('when the period is beyond ANALYSIS_MAX_CELLS (months × sites), then 422 PERIOD_TOO_LONG; to before from, 400', async () => {
    const small = await createTestApp({ config: { planning: { ...t.ctx.config.planning, analysisMaxCells: 24 * sites.length } } });
    try {
      const who = await small.login('planner');
      const scenario = (await send(who, 'post', '/api/scenarios', { name: 'Kosten zu lang' })).body;
      expect((await who.agent.get(`/api/scenarios/${scenario.id}/costs?from=2026-01-01&to=2027-12-31`)).status).toBe(200);
      const long = await who.agent.get(`/api/scenarios/${scenario.id}/costs?from=2026-01-01&to=2028-01-01`);
      expect(long.status).toBe(422);
      expect(long.body.error.code).toBe('PERIOD_TOO_LONG');
      expect((await who.agent.get(`/api/scenarios/${scenario.id}/costs?from=2026-01-01&to=2025-01-01`)).status).toBe(400);
      expect((await who.agent.get('/api/scenarios/999999/costs?from=2026-01-01&to=2027-01-01')).status).toBe(404);
    } finally {
      await small.close();
    }
  });
});

describe('pages', () => {
  const form = (who: Who, url: string, fields: Record<string, string>) =>
    who.agent
      .post(url)
      .type('form')
      .send({ _csrf: who.csrf, ...fields });

  it('when a planner fills in the lease form, then bad values come back next to their fields, a good one shows on the site page; a viewer reads it there without forms', async () => {
    const site = siteId('Moltkestraße');
    const bad = await form(p, `/sites/${site}/leases/new`, { kind: 'lease', start: '2024-01-01', end: '2023-01-01', rent_month_eur: '-3' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-rent_month_eur-err"/);
    expect(bad.text).toContain('aria-invalid="true"');
    const ok = await form(p, `/sites/${site}/leases/new`, {
      kind: 'lease',
      start: '2024-01-01',
      notice_months: '3',
      rent_month_eur: '5.000,50',
      service_charges_month_eur: '1000',
    });
    expect(ok.status).toBe(303);
    const lease = (await p.agent.get(`/api/sites/${site}/leases`)).body[0];
    expect(lease.rent_month_eur).toBe(5000.5);
    const overlap = await form(p, `/sites/${site}/leases/new`, { kind: 'lease', start: '2025-01-01' });
    expect(overlap.status).toBe(422);
    expect(overlap.text).toContain('überschneidet sich');
    const stale = await form(p, `/leases/${lease.id}/edit`, { version: '99', kind: 'lease', start: '2024-01-01', rent_month_eur: '1' });
    expect(stale.status).toBe(409);

    const page = await v.agent.get(`/sites/${site}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="lease-table"');
    expect(page.text).toMatch(/72\.006\s€/);
    expect(page.text).not.toContain(`/leases/${lease.id}/edit`);
    expect((await v.agent.get(`/sites/${site}/leases/new`)).status).toBe(403);
    expect((await p.agent.get(`/sites/${site}`)).text).toContain(`/leases/${lease.id}/edit`);

    const costs = await v.agent.get('/costs?date=2025-06-01');
    expect(costs.status).toBe(200);
    expect(costs.text).toContain('id="costs-chart"');
    expect(costs.text).toMatch(/72\.006\s€/);
    expect((await form(p, `/leases/${lease.id}/delete`, { version: String(lease.version) })).status).toBe(303);
    // no figures at a date before every lease (none recorded at all, or, with the file's other tests' leases, none in force then)
    expect((await v.agent.get('/costs?date=2010-01-01')).text).toMatch(
      /id="no-lease-data">(Keine Mietdaten erfasst|Am 01\.01\.2010 ist kein erfasster Mietvertrag in Kraft)/,
    );
  });
});

describe('the lease forms', () => {
  it('when a viewer or a site_editor opens, saves or deletes a lease through its forms, then 403 and the lease is unchanged', async () => {
    const site = siteId('Olgastraße');
    const created = await send(p, 'post', `/api/sites/${site}/leases`, { start: '2041-01-01', end: '2041-12-31', rent_month_eur: 100 });
    expect(created.status).toBe(201);
    const { id, version } = created.body as { id: number; version: number };
    const form = (who: Who, url: string, fields: Record<string, string>) =>
      who.agent
        .post(url)
        .type('form')
        .send({ _csrf: who.csrf, ...fields });
    const before = (await p.agent.get(`/api/sites/${site}/leases`)).body as unknown[];
    for (const who of [v, e]) {
      expect((await who.agent.get(`/sites/${site}/leases/new`)).status).toBe(403);
      expect((await who.agent.get(`/leases/${id}/edit`)).status).toBe(403);
      expect((await form(who, `/sites/${site}/leases/new`, { kind: 'lease', start: '2042-01-01' })).status).toBe(403);
      expect((await form(who, `/leases/${id}/edit`, { version: String(version), kind: 'lease', start: '2041-01-01', rent_month_eur: '1' })).status).toBe(403);
      expect((await form(who, `/leases/${id}/delete`, { version: String(version) })).status).toBe(403);
    }
    const after = (await p.agent.get(`/api/sites/${site}/leases`)).body as { id: number }[];
    expect(after).toEqual(before);
    expect(after.find((l) => l.id === id)).toMatchObject({ version, rent_month_eur: 100 });
    expect((await form(p, `/leases/${id}/delete`, { version: String(version) })).status).toBe(303);
  });
});

describe('long lists in running text', () => {
  it('when more than ten sites with people have no lease, then the report names ten and says how many more', async () => {
    const units = (await v.agent.get('/api/units')).body as { id: number }[];
    for (let i = 0; i < 12; i++) {
      const s = await send(p, 'post', '/api/sites', { name: `Ohne Vertrag ${i + 1}`, lat: 48.4, lon: 9.99, capacity: 5 });
      expect(s.status).toBe(201);
      expect(
        (await send(p, 'post', '/api/moves', { unit_id: units[0].id, to_site_id: s.body.id, headcount: 1, date: '2023-01-01', status: 'approved' })).status,
      ).toBe(201);
    }
    // one lease anywhere: the plan has cost figures, and names what it cannot count
    expect((await send(p, 'post', `/api/sites/${siteId('Olgastraße')}/leases`, { start: '2030-01-01', rent_month_eur: 100 })).status).toBe(201);
    const report = (await v.agent.get('/report?date=2023-09-01')).text;
    const sentence = /id="finance-unknown">([^<]*)</.exec(report)![1];
    const listed = /erfasst ist \((.*)\); ihre Kosten/.exec(sentence)![1];
    expect(listed).toMatch(/ und \d+ weitere$/);
    expect(listed.replace(/ und \d+ weitere$/, '').split(', ')).toHaveLength(10);
  });
});

describe('the finance box tells what its figure rests on', () => {
  it('when a scenario moves people into a site with no lease and its move costs rest on estimated headcounts, then the report says the difference counts only the recorded leases and marks estimated sums with ≈, as the scenario page does', async () => {
    const units = (await v.agent.get('/api/units')).body as { id: number }[];
    const scenario = (await send(p, 'post', '/api/scenarios', { name: 'Umzug ins Ungewisse' })).body;
    const site = await send(p, 'post', '/api/sites', { name: 'Ohne Mietangabe', lat: 48.4, lon: 9.99, capacity: 30 });
    expect(site.status).toBe(201);
    // Olgastraße has a lease (above): the plan has cost figures; the new site has none
    const from = siteId('Olgastraße');
    const arrival = await send(p, 'post', '/api/moves', {
      unit_id: units[0].id,
      to_site_id: from,
      headcount: 4,
      date: '2026-01-01',
      status: 'proposed',
      scenario_id: scenario.id,
    });
    expect(arrival.status).toBe(201);
    const move = await send(p, 'post', '/api/moves', {
      unit_id: units[0].id,
      from_site_id: from,
      to_site_id: site.body.id,
      headcount: 4,
      headcount_estimated: true,
      date: '2027-03-01',
      status: 'proposed',
      scenario_id: scenario.id,
    });
    expect(move.status, JSON.stringify(move.body)).toBe(201);
    const costs = (await v.agent.get(`/api/scenarios/${scenario.id}/costs?from=2027-01-01&to=2027-12-31`)).body;
    expect(costs.scenario.moves_estimated).toBe(true);
    // the scenario's estimated move costs differ from the baseline's: its difference is an estimate too
    expect(costs.difference_estimated).toBe(true);
    expect(costs.by_site.find((x: { site: string }) => x.site === 'Ohne Mietangabe')).toMatchObject({ difference_estimated: true });
    expect(costs.scenario.sites_without_lease.map((s: { site: string }) => s.site)).toContain('Ohne Mietangabe');

    const report = (await v.agent.get(`/report?date=2027-06-01&scenario_id=${scenario.id}&from=2027-01-01&to=2027-12-31`)).text;
    const figures = /id="finance-figures">([^]*?)<\/p>/.exec(report)![1];
    expect(figures).toMatch(/Umzugskosten ≈[\d.]+\s€/);
    expect(figures).toMatch(/kosten gegenüber der Basisplanung, soweit Mietverträge erfasst sind: ≈[\d.]+\s€/);
    // the site only the scenario uses is named first (a long list names ten)
    expect(report).toMatch(/id="finance-unknown">Nicht eingerechnet: \d+ Standorte mit Personen, für die kein Mietvertrag erfasst ist \(Ohne Mietangabe, /);
    const page = (await v.agent.get(`/scenarios/${scenario.id}?from=2027-01-01&to=2027-12-31`)).text;
    const total = /<tr class="total"><th scope="row">Summe<\/th>([^]*?)<\/tr>/.exec(page)![1];
    expect(total).toMatch(
      /<td class="num">[^<]*<\/td><td class="num"><span[^>]*>≈<\/span>[\d.]+\s€<\/td><td class="num" id="cost-difference"><strong><span[^>]*>≈<\/span>/,
    );
  });
});
