/**
 * SPEC section 13, bulk writes: duplicating, adopting, applying a placement, shifting and importing
 * work at 10,000 moves on SQLite and PostgreSQL (statements chunked under the engines' limits, one
 * transaction each). Before: 501 moves answered 500 on SQLite ("too many terms in compound SELECT"),
 * 5,000 moves 503 on PostgreSQL (more bound parameters than a statement may carry).
 */
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const N = 10_000;
let t: TestApp;
let p: { agent: TestAgent; csrf: string };
let unitId: number;
let siteId: number;
let big: number;
beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
  unitId = (await t.db('units').orderBy('id').first('id')).id;
  siteId = (await t.db('sites').where({ status: 'active' }).orderBy('id').first('id')).id;
  big = (await post('/api/scenarios', { name: 'Zehntausend' })).body.id;
  // 10,000 arrivals of one person each, spread over ten years (inserted directly: the setup, not the subject)
  const now = new Date().toISOString();
  const rows = Array.from({ length: N }, (_, i) => ({
    unit_id: unitId,
    from_site_id: null,
    to_site_id: siteId,
    headcount: 1,
    date: `${2030 + (i % 10)}-${String(1 + (i % 12)).padStart(2, '0')}-01`,
    status: 'proposed',
    scenario_id: big,
    version: 1,
    created_at: now,
    updated_at: now,
  }));
  for (let i = 0; i < rows.length; i += 400) await t.db('moves').insert(rows.slice(i, i + 400));
}, 120_000);
afterAll(async () => {
  await t.close();
});

const post = (url: string, body: unknown) =>
  p.agent
    .post(url)
    .set('X-CSRF-Token', p.csrf)
    .send(body as object);
const movesIn = async (scenarioId: number | null) =>
  Number(
    (await (scenarioId === null ? t.db('moves').whereNull('scenario_id') : t.db('moves').where({ scenario_id: scenarioId })).count({ n: '*' }).first())?.n,
  );

// a loaded two-core machine needs its time for 10,000 rows on PostgreSQL
describe('10,000 moves', { timeout: 90_000 }, () => {
  it('when a scenario with 10,000 moves is duplicated, then the copy holds all of them', async () => {
    const res = await post(`/api/scenarios/${big}/duplicate`, { name: 'Zehntausend (Kopie)' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await movesIn(res.body.id)).toBe(N);
  });

  it('when its 10,000 moves are asked for (read page by page), then every one comes once, by date and id, as the database holds them', async () => {
    const listed = (
      await p.agent
        .get(`/api/moves?scenario_id=${big}`)
        .expect(200)
        .expect('Content-Type', /application\/json/)
    ).body as { id: number; date: string }[];
    const held = await t
      .db('moves')
      .where({ scenario_id: big })
      .orderBy([{ column: 'date' }, { column: 'id' }])
      .select('id', 'date');
    expect(listed.map((m) => m.id)).toEqual(held.map((m: { id: number }) => m.id));
    // as of a date, each says its status then
    const asOf = (await p.agent.get(`/api/moves?scenario_id=${big}&as_of=2035-01-01`).expect(200)).body as { status_as_of: string }[];
    expect(asOf).toHaveLength(N);
    expect(asOf.every((m) => typeof m.status_as_of === 'string')).toBe(true);
    // nothing selected: an empty array
    expect((await p.agent.get('/api/moves?scenario_id=999999').expect(200)).body).toEqual([]);
    // the CSV export of every move: one header, a row per move
    const csv = (
      await p.agent
        .get('/api/export/moves.csv')
        .expect(200)
        .expect('Content-Type', /text\/csv/)
    ).text;
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFF?id;/);
    expect(lines.filter((l) => /^\uFEFF?id;/.test(l))).toHaveLength(1);
    expect(lines.length - 1).toBe(Number((await t.db('moves').count({ n: '*' }).first())?.n));
  });

  it('when 10,000 of its own moves are shifted, then every one moves by the offset', async () => {
    const ids = (await t.db('moves').where({ scenario_id: big }).select('id')).map((r: { id: number }) => r.id);
    const first = await t.db('moves').where({ id: ids[0] }).first('date');
    const res = await post(`/api/scenarios/${big}/shift`, { move_ids: ids, months: 1 });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.moves).toHaveLength(N);
    expect((await t.db('moves').where({ id: ids[0] }).first('date')).date).toBe(
      first.date.replace(/-(\d\d)-/, (_m: string, mm: string) => `-${String(Number(mm) + 1).padStart(2, '0')}-`),
    );
  });

  it('when a placement proposal of 10,000 moves is applied, then the new scenario holds them', async () => {
    const moves = Array.from({ length: N }, () => ({ unit_id: unitId, from_site_id: null, to_site_id: siteId, headcount: 1 }));
    const res = await post('/api/placement/apply', { scenario_name: 'Platzierung groß', date: '2031-01-01', moves });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    expect(await movesIn(res.body.scenario.id)).toBe(N);
  });

  it('when 10,000 moves are imported from CSV, then all arrive in one go', async () => {
    const lines = Array.from({ length: N }, (_, i) => `${unitId};;${siteId};1;2032-${String(1 + (i % 12)).padStart(2, '0')}-01;proposed;${big}`);
    const csv = `unit_id;from_site_id;to_site_id;headcount;date;status;scenario_id\n${lines.join('\n')}\n`;
    const res = await p.agent.post('/api/import/moves').set('X-CSRF-Token', p.csrf).set('Content-Type', 'text/csv').send(csv);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    expect(res.body.inserted).toBe(N);
  });

  it('when the scenario (now 20,000 moves) is adopted, then the baseline holds them all', async () => {
    const count = await movesIn(big);
    expect(count).toBe(2 * N);
    // the scenario page lists the first hundred of its moves and leads to the moves list, which shows them page by page
    const scenarioPage = (await p.agent.get(`/scenarios/${big}`).expect(200)).text;
    expect(scenarioPage.match(/<tr data-move-id=/g)).toHaveLength(100);
    expect(scenarioPage).toMatch(new RegExp(`… und 19\\.900 weitere\\. <a href="/moves\\?scenario_id=${big}">Alle Umzüge des Szenarios</a>`));
    const baselineCount = await movesIn(null);
    const list = (await p.agent.get(`/moves?scenario_id=${big}`).expect(200)).text;
    expect(list.match(/<tr data-move-id=/g)).toHaveLength(200);
    const total = baselineCount + count;
    expect(list).toContain(`${total.toLocaleString('de-DE')} Umzüge · 1–200 auf dieser Seite`);
    expect(list).toContain(`<a href="/moves?scenario_id=${big}&amp;page=2" rel="next">Nächste »</a>`);
    // the page links are above the list too, in its count line
    const countLine = /<p class="muted" id="move-count">([\s\S]*?)<\/p>/.exec(list)?.[1] ?? '';
    expect(countLine).toContain(`Seite 1 von ${Math.ceil(total / 200)}`);
    expect(countLine).toContain(`<a href="/moves?scenario_id=${big}&amp;page=2">Nächste »</a>`);
    // a page number that is none (an address cut off or typed by hand) asks for the first page
    for (const odd of ['abc', '0', '-3', '1.5', '']) {
      const oddPage = (await p.agent.get(`/moves?scenario_id=${big}&page=${odd}`).expect(200)).text;
      expect(/<p class="muted" id="move-count">([\s\S]*?)<\/p>/.exec(oddPage)?.[1].replace(/<[^>]+>/g, '')).toContain('1–200 auf dieser Seite · Seite 1 von');
    }
    // a highlighted move (after saving it) opens the page that holds it
    const lastId = (await t.db('moves').where({ scenario_id: big }).max({ id: 'id' }).first())?.id as number;
    const highlighted = (await p.agent.get(`/moves?scenario_id=${big}&highlight=${lastId}`).expect(200)).text;
    expect(highlighted).toContain(`id="move-${lastId}" class="highlight`);
    expect(highlighted.match(/<tr data-move-id=/g)!.length).toBeLessThanOrEqual(200);
    // a page beyond the last shows the last
    const beyond = (await p.agent.get(`/moves?scenario_id=${big}&page=100000`).expect(200)).text;
    expect(beyond).toContain(`<a href="/moves?scenario_id=${big}&amp;page=${Math.ceil(total / 200) - 1}" rel="prev">`);
    expect(beyond).not.toContain('rel="next"');
    // the confirmation lists the first hundred and says how many more
    const confirm = (await p.agent.get(`/scenarios/${big}/adopt`).expect(200)).text;
    expect(confirm.match(/<tr data-move-id=/g)).toHaveLength(100);
    expect(confirm).toContain('… und 19.900 weitere.');
    const before = await movesIn(null);
    const adopted = await post(`/api/scenarios/${big}/adopt`, {});
    expect(adopted.status, JSON.stringify(adopted.body).slice(0, 300)).toBe(200);
    expect(await movesIn(null)).toBe(before + count);
  });

  it('when 10,000 baseline moves are shifted in a scenario (10,000 overrides) and it is adopted, then each baseline move has its new date', async () => {
    const baselineIds = (await t.db('moves').whereNull('scenario_id').where({ unit_id: unitId, to_site_id: siteId }).whereNull('from_site_id').select('id'))
      .map((r: { id: number }) => r.id)
      .slice(0, N);
    const later = (await post('/api/scenarios', { name: 'Ein Jahr später' })).body.id;
    const shifted = await post(`/api/scenarios/${later}/shift`, { move_ids: baselineIds, months: 12 });
    expect(shifted.status, JSON.stringify(shifted.body).slice(0, 300)).toBe(200);
    expect(shifted.body.overrides).toHaveLength(N);
    const sample = await t.db('moves').where({ id: baselineIds[0] }).first('date');
    const scenarioPage = (await p.agent.get(`/scenarios/${later}`).expect(200)).text;
    expect(scenarioPage.match(/<tr data-override-id=/g)).toHaveLength(100);
    expect(scenarioPage).toContain('… und 9.900 weitere.');
    // the last of them is changed in the baseline since: the confirmation flags it among the hundred it lists
    const lastId = baselineIds[N - 1];
    const last = (await p.agent.get(`/api/moves/${lastId}`)).body;
    expect((await p.agent.patch(`/api/moves/${lastId}`).set('X-CSRF-Token', p.csrf).send({ note: 'geändert', version: last.version })).status).toBe(200);
    const confirm = (await p.agent.get(`/scenarios/${later}/adopt`).expect(200)).text;
    expect(confirm.match(/<tr data-override-id=/g)).toHaveLength(100);
    expect(confirm.match(/wurde nach dieser Änderung bearbeitet/g)).toHaveLength(1);
    expect(confirm).toContain('… und 9.900 weitere.');
    const again = await post(`/api/scenarios/${later}/adopt`, {});
    expect(again.status, JSON.stringify(again.body).slice(0, 300)).toBe(200);
    expect(again.body.overrides.moves).toHaveLength(N);
    const year = Number(sample.date.slice(0, 4)) + 1;
    expect((await t.db('moves').where({ id: baselineIds[0] }).first('date')).date).toBe(`${year}${sample.date.slice(4)}`);
  });
});
