/**
 * SPEC section 13, date domain: every date taken lies in 1900-01-01 … 2199-12-31; a shift that would
 * leave it is refused whole; dates stored outside it (before the rule held) never break a page and
 * are listed as data errors. Runs on SQLite and PostgreSQL.
 */
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let p: { agent: TestAgent; csrf: string };
let template: { unit_id: number; from_site_id: number | null; to_site_id: number; headcount: number };
beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
  const m = await t.db('moves').whereNull('scenario_id').where('status', 'approved').whereNotNull('to_site_id').orderBy('id').first();
  template = { unit_id: m.unit_id, from_site_id: m.to_site_id === m.from_site_id ? null : m.from_site_id, to_site_id: m.to_site_id, headcount: 1 };
});
afterAll(async () => {
  await t.close();
});

const post = (url: string, body: unknown) =>
  p.agent
    .post(url)
    .set('X-CSRF-Token', p.csrf)
    .send(body as object);
const newScenario = async (name: string) => (await post('/api/scenarios', { name })).body as { id: number; version: number };
/** a move of one person out of the template's destination, in a scenario */
const ownMove = (scenarioId: number, date: string, extra: Record<string, unknown> = {}) =>
  post('/api/moves', { unit_id: template.unit_id, from_site_id: template.to_site_id, to_site_id: null, headcount: 1, date, scenario_id: scenarioId, ...extra });

describe('dates taken', () => {
  it('when an API body, a query or a form names a date outside 1900-01-01 … 2199-12-31, then 400 VALIDATION_FAILED names the field', async () => {
    const s = await newScenario('Datumsgrenzen');
    for (const [field, body] of [
      ['date', { date: '1899-12-31' }],
      ['date', { date: '2200-01-01' }],
      ['date', { date: '0202-06-01' }],
      ['until', { date: '2030-01-01', until: '2200-01-01' }],
    ] as const) {
      const res = await ownMove(s.id, '2030-01-01', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.fields[field]).toMatch(/1900-01-01 and 2199-12-31/);
    }
    for (const url of [
      '/api/state?date=1899-12-31',
      '/api/timeline?from=0202-01-01',
      '/api/timeline?to=2200-01-01',
      `/api/scenarios/${s.id}/compare?date=2300-01-01`,
    ]) {
      const res = await p.agent.get(url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const page = await p.agent.get('/?date=2200-01-01');
    expect(page.status).toBe(400);
    // the error page names the value in the address that was refused
    expect(page.text).toContain('<p id="error-fields">Ungültig sind diese Angaben der Adresse oder des Formulars:</p>');
    expect(page.text).toContain('<li>Stichtag (<code>date</code>): Bitte ein Datum zwischen dem 01.01.1900 und dem 31.12.2199 eingeben.</li>');
    const moves = await p.agent.get('/moves?from=2026-13-40&to=2026-02-30');
    expect(moves.status).toBe(400);
    expect(moves.text).toContain('<li>Beginn des Zeitraums (<code>from</code>): Bitte ein echtes Datum in der Form JJJJ-MM-TT angeben.</li>');
    expect(moves.text).toContain('<li>Ende des Zeitraums (<code>to</code>): Bitte ein echtes Datum in der Form JJJJ-MM-TT angeben.</li>');
    expect((await p.agent.get('/moves?site_id=abc')).text).toContain('<li>Standort (<code>site_id</code>): Bitte eine positive ganze Zahl angeben.</li>');
    const form = await p.agent
      .post('/moves/new')
      .type('form')
      .send({
        _csrf: p.csrf,
        unit_id: String(template.unit_id),
        from_site_id: String(template.to_site_id),
        headcount: '1',
        date: '2200-01-01',
        scenario_id: String(s.id),
      });
    expect(form.status).toBe(400);
    expect(form.text).toContain('zwischen dem 01.01.1900 und dem 31.12.2199');
  });

  it('when the first and the last day of the domain are given, then they are taken', async () => {
    const s = await newScenario('Ränder');
    expect((await ownMove(s.id, '2199-12-31')).status).toBe(201);
    expect((await p.agent.get('/api/state?date=1900-01-01')).status).toBe(200);
  });

  it('when a CSV import row has a date outside the domain, then the dry run names the row and the field', async () => {
    const csv = `unit_id;from_site_id;to_site_id;headcount;date;status\n${template.unit_id};;${template.to_site_id};1;2250-01-01;proposed\n`;
    const res = await p.agent.post('/api/import/moves?dry_run=1').set('X-CSRF-Token', p.csrf).set('Content-Type', 'text/csv').send(csv);
    expect(res.status).toBe(200);
    expect(res.body.rejected).toEqual([expect.objectContaining({ line: 2, field: 'date' })]);
  });
});

describe('a shift that leaves the domain', () => {
  it('when one shifted date would fall after 2199-12-31, then 422 DATE_OUT_OF_RANGE and nothing changes', async () => {
    const s = await newScenario('Weit in die Zukunft');
    const late = (await ownMove(s.id, '2195-03-01')).body;
    const early = (await ownMove(s.id, '2030-03-01')).body;
    const baseline = await t.db('moves').whereNull('scenario_id').where('status', 'approved').first('id', 'date');
    const before = await t.db('scenario_overrides').where({ scenario_id: s.id }).count({ n: '*' }).first();
    const res = await post(`/api/scenarios/${s.id}/shift`, { move_ids: [baseline.id, early.id, late.id], months: 60 });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('DATE_OUT_OF_RANGE');
    expect(res.body.error.fields).toEqual({ months: expect.any(String) });
    expect(res.body.error.records).toEqual([expect.objectContaining({ kind: 'move', id: late.id, field: 'date', value: '2195-03-01' })]);
    expect((await t.db('moves').where({ id: early.id }).first('date')).date).toBe('2030-03-01');
    expect(await t.db('scenario_overrides').where({ scenario_id: s.id }).count({ n: '*' }).first()).toEqual(before);
    // within the domain the same shift goes through
    const ok = await post(`/api/scenarios/${s.id}/shift`, { move_ids: [baseline.id, early.id], months: 60 });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    // and before 1900-01-01 as well (a move into a site, so no headcount rule stands in the way)
    const old = (await ownMove(s.id, '1905-01-01', { from_site_id: null, to_site_id: template.to_site_id })).body;
    const tooEarly = await post(`/api/scenarios/${s.id}/shift`, { move_ids: [old.id], months: -120 });
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.body.error.records).toEqual([expect.objectContaining({ id: old.id, shifted: '1895-01-01' })]);
  });

  it('when the shift form is sent with such an offset, then the scenario page says so in German and nothing changes', async () => {
    const s = await newScenario('Formular-Verschiebung');
    const project = (await post('/api/projects', { name: 'Spätes Vorhaben' })).body as { id: number };
    const late = (await ownMove(s.id, '2199-06-01', { project_id: project.id })).body;
    const res = await p.agent
      .post(`/scenarios/${s.id}/shift`)
      .type('form')
      .send({ _csrf: p.csrf, project_id: String(project.id), amount: '12', unit: 'months' });
    // the scenario page again, the form as typed
    expect(res.status).toBe(422);
    const page = res;
    expect(page.text).toContain('außerhalb vom 01.01.1900 bis 31.12.2199');
    expect(page.text).toMatch(/id="shift-amount" type="number" name="amount" value="12"/);
    expect((await t.db('moves').where({ id: late.id }).first('date')).date).toBe('2199-06-01');
  });
});

describe('dates stored outside the domain', () => {
  let scenarioId: number;
  const ids: Record<string, number> = {};
  /** the dates as the database hands them back */
  const values: Record<string, string> = {};
  beforeAll(async () => {
    scenarioId = (await newScenario('Altlasten')).id;
    const now = new Date().toISOString();
    const row = { ...template, headcount: 2, status: 'approved', until: null, version: 1, created_at: now, updated_at: now };
    // written straight into the database, as an older version (or a hand edit) left them; PostgreSQL's
    // date column takes no impossible text, but a year 202, 1, 10000 or BC all the same
    const stored: [label: string, sqlite: string, pg: string, inScenario: boolean][] = [
      ['year202', '0202-06-01', '0202-06-01', true],
      ['year1', '0001-01-10', '0001-01-10', false],
      ['year10000', '+010000-01', '10000-01-01', false],
      ['nan', '10050-01-NaN', '10050-01-01', true],
      ['bc', '-000054-04', '0054-04-01 BC', false],
    ];
    for (const [label, sqlite, pg, inScenario] of stored) {
      const [r] = await t
        .db('moves')
        .insert({ ...row, date: t.dialect === 'pg' ? pg : sqlite, scenario_id: inScenario ? scenarioId : null })
        .returning('id');
      ids[label] = Number(typeof r === 'object' ? r.id : r);
      values[label] = String((await t.db('moves').where({ id: ids[label] }).first('date')).date);
    }
    const [ev] = await t
      .db('site_events')
      .insert({ site_id: template.to_site_id, kind: 'closure', date: '0999-01-01', version: 1, created_at: now, updated_at: now })
      .returning('id');
    ids.event = Number(typeof ev === 'object' ? ev.id : ev);
    const baseline = await t.db('moves').whereNull('scenario_id').where('status', 'approved').where('date', '>=', '1900-01-01').first('id');
    await t.db('scenario_overrides').insert({
      scenario_id: scenarioId,
      move_id: baseline.id,
      changes: JSON.stringify({ date: '+010000-01' }),
      version: 1,
      created_at: now,
      updated_at: now,
    });
  });

  it('when pages and APIs are asked, then every one answers (the report in the scenario, the scenario page, the timeline, the feed)', async () => {
    for (const url of [
      '/',
      '/report',
      `/report?scenario_id=${scenarioId}`,
      `/scenarios/${scenarioId}`,
      '/scenarios',
      '/timeline',
      '/moves',
      `/sites/${template.to_site_id}`,
      '/api/state',
      `/api/state?scenario_id=${scenarioId}`,
      '/api/timeline',
      `/api/timeline?scenario_id=${scenarioId}`,
      `/api/scenarios/${scenarioId}/compare`,
      `/api/scenarios/${scenarioId}/compare?from=2025-01-01&to=2027-01-01`,
      '/api/moves.ics?from=1900-01-01',
      `/api/moves.ics?scenario_id=${scenarioId}&from=1900-01-01`,
      '/api/moves',
      '/api/moves.geojson',
      '/api/export/moves.csv',
      `/moves/${ids.year1}/edit`,
    ]) {
      const res = await p.agent.get(url);
      expect(res.status, url).toBe(200);
    }
  });

  it('when the state is read, then each bad record is listed as a data error of its selection, and left out of the figures', async () => {
    const codes = (ws: { code: string; move_id?: number; params: Record<string, unknown> }[]) =>
      ws.filter((w) => w.code.startsWith('DATA_ERROR_')).map((w) => `${w.code}:${w.params.id}:${w.params.value}`);
    const base = (await p.agent.get('/api/state?warnings_limit=all')).body;
    expect(codes(base.warnings).sort()).toEqual(
      [
        `DATA_ERROR_MOVE:${ids.year1}:${values.year1}`,
        `DATA_ERROR_MOVE:${ids.year10000}:${values.year10000}`,
        `DATA_ERROR_MOVE:${ids.bc}:${values.bc}`,
        `DATA_ERROR_EVENT:${ids.event}:0999-01-01`,
      ].sort(),
    );
    expect(base.warnings.find((w: { code: string }) => w.code === 'DATA_ERROR_MOVE')).toMatchObject({ severity: 'error' });
    const scen = (await p.agent.get(`/api/state?scenario_id=${scenarioId}&warnings_limit=all`)).body;
    expect(codes(scen.warnings)).toEqual(
      expect.arrayContaining([
        `DATA_ERROR_MOVE:${ids.year202}:${values.year202}`,
        `DATA_ERROR_MOVE:${ids.nan}:${values.nan}`,
        expect.stringMatching(/^DATA_ERROR_OVERRIDE:\d+:\+010000-01$/),
      ]),
    );
    const page = await p.agent.get(`/report?scenario_id=${scenarioId}`);
    expect(page.text).toContain('Datenfehler');
    expect(page.text).toContain('0202');
  });

  it('when a scenario with such a record is adopted, then 422 DATE_OUT_OF_RANGE names it and nothing changes', async () => {
    const s = (await t.db('scenarios').where({ id: scenarioId }).first()) as { version: number };
    const res = await p.agent.post(`/api/scenarios/${scenarioId}/adopt`).set('X-CSRF-Token', p.csrf).send({ version: s.version });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('DATE_OUT_OF_RANGE');
    expect(res.body.error.records.map((r: { id: number }) => r.id)).toEqual(expect.arrayContaining([ids.year202, ids.nan]));
    expect(await t.db('scenarios').where({ id: scenarioId }).first('id')).toBeTruthy();
    expect((await t.db('moves').where({ id: ids.year202 }).first('scenario_id')).scenario_id).toBe(scenarioId);
  });
});
