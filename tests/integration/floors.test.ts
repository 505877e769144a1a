import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { EDITOR_SITE_NAME } from '../helpers/fixtures.js';
import { createTestApp, TEST_TODAY, type TestApp } from '../helpers/test-app.js';

type Who = { agent: TestAgent; csrf: string };
let t: TestApp;
let planner: Who;
let editor: Who;
let viewer: Who;
let unitId: number;
let publicUnitId: number;
let otherSiteId: number;

const as = (who: Who) => ({
  post: (url: string, body: object) => who.agent.post(url).set('X-CSRF-Token', who.csrf).send(body),
  patch: (url: string, body: object) => who.agent.patch(url).set('X-CSRF-Token', who.csrf).send(body),
  del: (url: string) => who.agent.delete(url).set('X-CSRF-Token', who.csrf),
});

/** A form sent as a browser sends it, with the session's CSRF token. */
const form = (who: Who, url: string, body: Record<string, string | number>) =>
  who.agent
    .post(url)
    .type('form')
    .send({ _csrf: who.csrf, ...body });

async function newSite(name: string, capacity = 10): Promise<number> {
  const res = await as(planner).post('/api/sites', { name, lat: 48.4, lon: 9.99, capacity, step_free: 'yes' });
  expect(res.status).toBe(201);
  return res.body.id;
}

beforeAll(async () => {
  t = await createTestApp();
  planner = await t.login('planner');
  editor = await t.login('editor');
  viewer = await t.login('viewer');
  const team = (await planner.agent.get('/api/teams')).body[0];
  unitId = (await as(planner).post('/api/units', { team_id: team.id, name: 'Etagen-Test', desk_ratio: 1 })).body.id;
  publicUnitId = (await as(planner).post('/api/units', { team_id: team.id, name: 'Etagen-Test Publikum', public_facing: true })).body.id;
  otherSiteId = await newSite('Anderes Haus');
});
afterAll(async () => {
  await t.close();
});

describe('floors and rooms', () => {
  it('when a planner enters two floors, then the site takes its capacity from them (read-only there) and GET lists them top floor first', async () => {
    const siteId = await newSite('Etagenhaus', 99);
    const eg = await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'Erdgeschoss', workplaces: 8, step_free_access: 'yes' });
    expect(eg.status).toBe(201);
    expect(eg.body).toMatchObject({ site_id: siteId, level: 0, workplaces: 8, step_free_access: 'yes', version: 1 });
    const og = await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: '1. OG', workplaces: 12, area_m2: 150 });
    expect(og.body.step_free_access).toBe('unknown');
    const site = (await viewer.agent.get(`/api/sites/${siteId}`)).body;
    expect(site.capacity).toBe(20);
    const floors = (await viewer.agent.get(`/api/sites/${siteId}/floors`)).body as { name: string; rooms: unknown[] }[];
    expect(floors.map((f) => f.name)).toEqual(['1. OG', 'Erdgeschoss']);
    const patch = await as(planner).patch(`/api/sites/${siteId}`, { capacity: 30, version: site.version });
    expect(patch.status).toBe(400);
    expect(patch.body.error.fields).toHaveProperty('capacity');
    const audit = (await planner.agent.get(`/api/audit?entity=floor&entity_id=${eg.body.id}`)).body;
    expect(audit[0]).toMatchObject({ action: 'create', entity: 'floor' });
  });

  it('when a level is used twice in a site, then 409 DUPLICATE names the level and nothing is added', async () => {
    const siteId = await newSite('Doppelte Ebene');
    await as(planner).post(`/api/sites/${siteId}/floors`, { level: 2, name: '2. OG', workplaces: 4 });
    const again = await as(planner).post(`/api/sites/${siteId}/floors`, { level: 2, name: 'Noch ein 2. OG', workplaces: 4 });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'DUPLICATE' });
    expect(again.body.error.fields).toHaveProperty('level');
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body).toHaveLength(1);
  });

  it("when a floor gets rooms, then its workplaces are the rooms' sum, and typing them is refused", async () => {
    const siteId = await newSite('Raumhaus');
    const floor = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 50 })).body;
    const r1 = await as(planner).post(`/api/floors/${floor.id}/rooms`, { number: '0.01', name: 'Büro', use: 'office', workplaces: 3, area_m2: 20 });
    expect(r1.status).toBe(201);
    await as(planner).post(`/api/floors/${floor.id}/rooms`, { number: '0.02', use: 'counter', workplaces: 2 });
    const floors = (await viewer.agent.get(`/api/sites/${siteId}/floors`)).body;
    expect(floors[0].workplaces).toBe(5);
    expect(floors[0].rooms.map((r: { number: string }) => r.number)).toEqual(['0.01', '0.02']);
    expect((await viewer.agent.get(`/api/sites/${siteId}`)).body.capacity).toBe(5);
    const typed = await as(planner).patch(`/api/floors/${floor.id}`, { workplaces: 9, version: floors[0].version });
    expect(typed.status).toBe(400);
    expect(typed.body.error.fields).toHaveProperty('workplaces');
    const dup = await as(planner).post(`/api/floors/${floor.id}/rooms`, { number: '0.01', workplaces: 1 });
    expect(dup.status).toBe(409);
    const bad = await as(planner).post(`/api/floors/${floor.id}/rooms`, { number: '0.03', use: 'kitchen' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty('use');
    const patched = await as(planner).patch(`/api/rooms/${r1.body.id}`, { workplaces: 6, version: 1 });
    expect(patched.status).toBe(200);
    expect((await viewer.agent.get(`/api/sites/${siteId}`)).body.capacity).toBe(8);
    expect((await as(planner).del(`/api/rooms/${r1.body.id}`)).status).toBe(204);
    expect((await viewer.agent.get(`/api/floors/${floor.id}/rooms`)).body).toHaveLength(1);
    expect((await viewer.agent.get(`/api/sites/${siteId}`)).body.capacity).toBe(2);
  });
});

describe('people on floors', () => {
  let siteId: number;
  let eg: { id: number; version: number };
  let og: { id: number; version: number };
  beforeAll(async () => {
    siteId = await newSite('Stapelhaus');
    eg = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 10, step_free_access: 'yes' })).body;
    og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'OG', workplaces: 6, step_free_access: 'no' })).body;
    const move = (body: object) => as(planner).post('/api/moves', { unit_id: unitId, status: 'approved', ...body });
    expect((await move({ to_site_id: siteId, to_floor_id: eg.id, headcount: 8, date: '2026-01-01' })).status).toBe(201);
    expect((await move({ to_site_id: siteId, headcount: 3, date: '2026-01-01' })).status).toBe(201);
    // within one site, between two floors
    expect((await move({ from_site_id: siteId, to_site_id: siteId, from_floor_id: eg.id, to_floor_id: og.id, headcount: 5, date: '2026-06-01' })).status).toBe(
      201,
    );
  });

  it('when people sit on floors, then the stack lists each floor top first with its units and who is on none', async () => {
    const before = (await viewer.agent.get(`/api/sites/${siteId}/stack?date=2026-03-01`)).body;
    expect(before.floors.map((f: { name: string; headcount: number }) => [f.name, f.headcount])).toEqual([
      ['OG', 0],
      ['EG', 8],
    ]);
    const after = (await viewer.agent.get(`/api/sites/${siteId}/stack?date=2026-07-01`)).body;
    expect(after).toMatchObject({ site_id: siteId, date: '2026-07-01', scenario_id: null });
    expect(after.floors[0]).toMatchObject({ name: 'OG', level: 1, workplaces: 6, needed: 5, headcount: 5, step_free_access: 'no' });
    expect(after.floors[0].units).toEqual([expect.objectContaining({ unit_id: unitId, headcount: 5, public_facing: false })]);
    expect(after.floors[1]).toMatchObject({ name: 'EG', headcount: 3 });
    expect(after.unassigned).toEqual([expect.objectContaining({ unit_id: unitId, headcount: 3 })]);
    // the site as a whole is unchanged by a move between its floors
    const st = (await viewer.agent.get('/api/state?date=2026-07-01')).body.sites.find((s: { id: number }) => s.id === siteId);
    expect(st.headcount).toBe(11);
  });

  it('when the map shows a site with floors, then its feature says on which floor each unit sits (and how many on none); a site without floors says nothing of floors', async () => {
    const features = (await viewer.agent.get('/api/sites.geojson?date=2026-07-01').expect(200)).body.features as {
      id: number;
      properties: { unit_floors?: Record<string, { floor_id: number | null; name: string | null; headcount: number }[]> };
    }[];
    const here = features.find((f) => f.id === siteId)!;
    expect(here.properties.unit_floors?.[unitId]).toEqual([
      { floor_id: og.id, name: 'OG', level: 1, headcount: 5 },
      { floor_id: eg.id, name: 'EG', level: 0, headcount: 3 },
      { floor_id: null, name: null, level: null, headcount: 3 },
    ]);
    // before the move between the floors, all of the floor's people are on the ground floor
    const before = (await viewer.agent.get('/api/sites.geojson?date=2026-03-01').expect(200)).body.features.find((f: { id: number }) => f.id === siteId);
    expect(before.properties.unit_floors[unitId].map((p: { name: string | null; headcount: number }) => [p.name, p.headcount])).toEqual([
      ['EG', 8],
      [null, 3],
    ]);
    expect(features.find((f) => f.id === otherSiteId)!.properties).not.toHaveProperty('unit_floors');
  });

  it('when a move names a floor of another site, then 400 VALIDATION_FAILED names the floor field and nothing is written', async () => {
    const count = (await planner.agent.get('/api/moves')).body.length;
    // both ends wrong: both named at once
    const both = await as(planner).post('/api/moves', {
      unit_id: unitId,
      from_site_id: otherSiteId,
      from_floor_id: og.id,
      to_site_id: otherSiteId,
      to_floor_id: eg.id,
      headcount: 1,
      date: '2026-02-01',
    });
    expect(both.status).toBe(400);
    expect(Object.keys(both.body.error.fields).sort()).toEqual(['from_floor_id', 'to_floor_id']);
    const res = await as(planner).post('/api/moves', { unit_id: unitId, to_site_id: otherSiteId, to_floor_id: eg.id, headcount: 1, date: '2026-02-01' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields).toHaveProperty('to_floor_id');
    const within = await as(planner).post('/api/moves', { unit_id: unitId, from_site_id: siteId, to_site_id: siteId, headcount: 1, date: '2026-02-01' });
    expect(within.status).toBe(400);
    expect(within.body.error.fields).toHaveProperty('to_site_id');
    expect((await planner.agent.get('/api/moves')).body).toHaveLength(count);
  });

  it('when a floor would get fewer workplaces than its people need, then 422 explains and the floor is unchanged', async () => {
    const res = await as(planner).patch(`/api/floors/${og.id}`, { workplaces: 4, version: og.version });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('WORKPLACES_BELOW_ASSIGNED');
    expect(res.body.error).toMatchObject({ needed: 5, date: '2026-11-24' });
    expect(res.body.error.fields.workplaces).toMatch(/5 workplaces/);
    expect(await t.db('floors').where({ id: og.id }).first()).toMatchObject({ workplaces: 6, version: og.version });
    expect((await as(planner).patch(`/api/floors/${og.id}`, { workplaces: 5, version: og.version })).status).toBe(200);
  });

  it('when people leave a site without naming the floor they sit on, then 422 NEGATIVE_HEADCOUNT asks for the floor', async () => {
    const res = await as(planner).post('/api/moves', {
      unit_id: unitId,
      from_site_id: siteId,
      to_site_id: otherSiteId,
      headcount: 6,
      date: '2027-01-01',
      status: 'approved',
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('NEGATIVE_HEADCOUNT');
    expect(res.body.error.fields).toHaveProperty('from_floor_id');
    const named = await as(planner).post('/api/moves', {
      unit_id: unitId,
      from_site_id: siteId,
      from_floor_id: og.id,
      to_site_id: otherSiteId,
      headcount: 5,
      date: '2027-01-01',
      status: 'approved',
    });
    expect(named.status).toBe(201);
  });

  it('when a floor is named by moves, then it cannot be deleted (409 IN_USE), and the page names whose moves they are', async () => {
    const res = await as(planner).del(`/api/floors/${eg.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IN_USE');
    // the page names whose moves they are; central planning hears where to change them (building
    // staff, who cannot open the moves, hear that central planning can: the API's message below)
    const current = (await viewer.agent.get(`/api/sites/${siteId}/floors`)).body.find((f: { id: number }) => f.id === eg.id);
    const fromPage = await form(planner, `/floors/${eg.id}/delete`, { version: current.version });
    const said = (await planner.agent.get(fromPage.headers.location).expect(200)).text;
    expect(said).toMatch(
      /<p class="flash error" id="flash" role="status">[^<]*Umzüge von Etagen-Test nennen dieses Geschoss: Es lässt sich löschen, wenn sie ein anderes Geschoss nennen oder gelöscht sind/,
    );
    expect(said).not.toContain('das kann die zentrale Planung');
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body.some((f: { id: number }) => f.id === eg.id)).toBe(true);
  });
});

describe('who may edit floors', () => {
  it("when a site_editor edits floors of their own site, then it works; another site's floors, then 403; a viewer reads only", async () => {
    const own = (await planner.agent.get('/api/sites')).body.find((s: { name: string }) => s.name === EDITOR_SITE_NAME).id;
    const mine = await as(editor).post(`/api/sites/${own}/floors`, { level: 3, name: 'Dachgeschoss', workplaces: 2 });
    expect(mine.status).toBe(201);
    expect((await as(editor).post(`/api/floors/${mine.body.id}/rooms`, { number: 'D1', workplaces: 2 })).status).toBe(201);
    // nobody recorded whether the new floor is reachable without steps: „Meine Standorte“ asks for it, by the floor's name
    expect((await editor.agent.get('/my-sites')).text).toContain('<li class="todo">Fehlt: Stufenloser Zugang im Geschoss „Dachgeschoss“</li>');
    const theirs = await as(editor).post(`/api/sites/${otherSiteId}/floors`, { level: 0, name: 'EG', workplaces: 2 });
    expect(theirs.status).toBe(403);
    const plannerFloor = (await as(planner).post(`/api/sites/${otherSiteId}/floors`, { level: 0, name: 'EG', workplaces: 2 })).body;
    expect((await as(editor).patch(`/api/floors/${plannerFloor.id}`, { name: 'Meins', version: 1 })).status).toBe(403);
    expect((await as(editor).del(`/api/floors/${plannerFloor.id}`)).status).toBe(403);
    expect((await as(viewer).post(`/api/sites/${own}/floors`, { level: 4, name: 'X', workplaces: 1 })).status).toBe(403);
    expect((await viewer.agent.get(`/api/sites/${own}/stack`)).status).toBe(200);
    const noCsrf = await editor.agent.post(`/api/sites/${own}/floors`).send({ level: 5, name: 'Ohne Token' });
    expect(noCsrf.status).toBe(403);
    expect(publicUnitId).toBeGreaterThan(0);
  });
});

describe('the stack plan and the floor pages', () => {
  it('when a site has floors, then its page shows a bar per floor top first with labelled units, the rest as "nicht zugeordnet", and the same as a table', async () => {
    const siteId = await newSite('Seitenhaus');
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'Obergeschoss', workplaces: 4, step_free_access: 'no' })).body;
    await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'Erdgeschoss', workplaces: 6, step_free_access: 'yes' });
    await as(planner).post('/api/moves', {
      unit_id: publicUnitId,
      to_site_id: siteId,
      to_floor_id: og.id,
      headcount: 3,
      date: '2026-01-01',
      status: 'approved',
    });
    await as(planner).post('/api/moves', { unit_id: unitId, to_site_id: siteId, headcount: 2, date: '2026-01-01', status: 'approved' });
    const page = await viewer.agent.get(`/sites/${siteId}?date=2026-02-01`);
    expect(page.status).toBe(200);
    const html = page.text;
    expect(html).toContain('id="stack-plan"');
    expect(html.indexOf('Obergeschoss')).toBeLessThan(html.indexOf('Erdgeschoss'));
    expect(html).toMatch(/Etagen-Test Publikum 3<\/span>/);
    expect(html).toContain('nicht zugeordnet');
    expect(html).toContain('id="stack-table"');
    // the floor's step-free state, as text; a viewer gets no move form
    expect(html).toMatch(/stufenlos erreichbar: <strong>nein<\/strong>/);
    expect(html).not.toContain('id="floor-move-form"');
    const warnings = (await viewer.agent.get('/api/state?date=2026-02-01&warnings_limit=all')).body.warnings.filter(
      (w: { site_id?: number }) => w.site_id === siteId,
    );
    expect(warnings.find((w: { code: string }) => w.code === 'NOT_STEP_FREE')?.message).toContain('Obergeschoss');
  });

  it('when a public-facing unit works on an upper floor without step-free access, then the accessibility report rates it not accessible and names the floor, whatever the entrance; on a floor nobody assessed, unknown', async () => {
    const siteId = await newSite('Treppenhaus');
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: '1. Obergeschoss', workplaces: 10, step_free_access: 'no' })).body;
    const dg = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 2, name: 'Dachgeschoss', workplaces: 10 })).body;
    const site = (await viewer.agent.get(`/api/sites/${siteId}`)).body;
    // the entrance and everything else meets the limits: without floors, the site would be fully accessible
    const facts = { step_free: 'yes', door_width_cm: 100, threshold_cm: 0, elevator: 'yes', accessible_toilet: 'yes', accessible_parking: 'yes' };
    expect((await as(planner).patch(`/api/sites/${siteId}`, { ...facts, version: site.version })).status).toBe(200);
    const team = (await planner.agent.get('/api/teams')).body[1];
    const upstairs = (await as(planner).post('/api/units', { team_id: team.id, name: 'Beratung oben', public_facing: true })).body.id;
    const attic = (await as(planner).post('/api/units', { team_id: team.id, name: 'Beratung unterm Dach', public_facing: true })).body.id;
    for (const [unit, floor] of [
      [upstairs, og.id],
      [attic, dg.id],
    ])
      expect(
        (await as(planner).post('/api/moves', { unit_id: unit, to_site_id: siteId, to_floor_id: floor, headcount: 2, date: '2026-01-01', status: 'approved' }))
          .status,
      ).toBe(201);
    const rows = (await viewer.agent.get('/api/accessibility?date=2026-02-01&lang=de')).body.rows as {
      unit_id: number;
      site_id: number;
      rating: string;
      reasons: { code: string; message: string }[];
    }[];
    const row = (unit: number) => rows.find((r) => r.unit_id === unit && r.site_id === siteId);
    expect(row(upstairs)?.rating).toBe('none');
    expect(row(upstairs)?.reasons).toEqual([{ code: 'FLOOR_NOT_STEP_FREE', message: '1. Obergeschoss nicht stufenlos erreichbar' }]);
    expect(row(attic)?.rating).toBe('unknown');
    expect(row(attic)?.reasons).toEqual([{ code: 'FLOOR_STEP_FREE_UNKNOWN', message: 'stufenloser Zugang zu Dachgeschoss unbekannt' }]);
    // the page says the same
    const page = (await viewer.agent.get('/accessibility?date=2026-02-01').expect(200)).text;
    expect(page).toContain('1. Obergeschoss nicht stufenlos erreichbar');
  });

  it('when an event sets the capacity of a site with floors, then the floors page and the stack plan say that it, not the sum of the floors, holds', async () => {
    const siteId = await newSite('Ereignishaus', 52);
    expect((await as(planner).post(`/api/sites/${siteId}/events`, { kind: 'capacity', date: '2020-01-01', capacity: 58 })).status).toBe(201);
    await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 20 });
    await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'OG', workplaces: 8 });
    const floorsPage = (await viewer.agent.get(`/sites/${siteId}/floors`).expect(200)).text;
    expect(floorsPage).toContain('Summe der Geschosse): 28 Arbeitsplätze');
    expect(floorsPage).toContain(
      `Am ${TEST_TODAY.split('-').reverse().join('.')} gilt für den Standort eine Kapazität von 58 Arbeitsplätzen, nicht die Summe der Geschosse (28)`,
    );
    const sitePage = (await viewer.agent.get(`/sites/${siteId}?date=2026-02-01`).expect(200)).text;
    expect(sitePage).toContain('Am 01.02.2026 gilt für den Standort eine Kapazität von 58 Arbeitsplätzen, nicht die Summe der Geschosse (28)');
    // where the floors make the capacity, nothing is said
    const plain = await newSite('Geschosshaus');
    await as(planner).post(`/api/sites/${plain}/floors`, { level: 0, name: 'EG', workplaces: 5 });
    expect((await viewer.agent.get(`/sites/${plain}/floors`)).text).not.toContain('nicht die Summe der Geschosse');
    expect((await viewer.agent.get(`/sites/${plain}?date=2026-02-01`)).text).not.toContain('nicht die Summe der Geschosse');
  });

  it('when a unit sits on two floors, then its segments in the stack plan have the same colour on both', async () => {
    const siteId = await newSite('Farbenhaus');
    const eg = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 10 })).body;
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'OG', workplaces: 10 })).body;
    const arrive = (unit: number, floor: number, headcount: number) =>
      as(planner).post('/api/moves', { unit_id: unit, to_site_id: siteId, to_floor_id: floor, headcount, date: '2026-01-01', status: 'approved' });
    // a unit listed before it on the lower floor (by name), so that positions differ from floor to floor
    const team = (await planner.agent.get('/api/teams')).body[0];
    const first = (await as(planner).post('/api/units', { team_id: team.id, name: 'Aaa Beratung' })).body.id;
    expect((await arrive(unitId, og.id, 2)).status).toBe(201);
    expect((await arrive(first, eg.id, 2)).status).toBe(201);
    expect((await arrive(unitId, eg.id, 3)).status).toBe(201);
    const html = (await planner.agent.get(`/sites/${siteId}?date=2026-02-01`).expect(200)).text;
    const colourOf = (floorId: number, unit: string) =>
      new RegExp(`data-floor-id="${floorId}"[^]*?<span class="seg (seg\\d)[^"]*" title="${unit}: `).exec(html)?.[1];
    expect(colourOf(og.id, 'Etagen-Test')).toBeDefined();
    expect(colourOf(eg.id, 'Etagen-Test')).toBe(colourOf(og.id, 'Etagen-Test'));
    expect(colourOf(eg.id, 'Aaa Beratung')).not.toBe(colourOf(eg.id, 'Etagen-Test'));
  });

  it('when a planner moves people between floors with the form, then a move names both floors; a refused one says why on the page', async () => {
    const siteId = await newSite('Formhaus');
    const eg = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 6 })).body;
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'OG', workplaces: 6 })).body;
    await as(planner).post('/api/moves', { unit_id: unitId, to_site_id: siteId, headcount: 4, date: '2026-01-01', status: 'approved' });
    expect((await planner.agent.get(`/sites/${siteId}?date=2026-02-01`)).text).toContain('id="floor-move-form"');
    const ok = await form(planner, `/sites/${siteId}/floor-move`, {
      unit_id: unitId,
      from_floor_id: '',
      to_floor_id: og.id,
      headcount: 3,
      date: '2026-02-01',
      status: 'approved',
      view_date: '2026-02-01',
    });
    expect(ok.status).toBe(303);
    // the page it returns to has the form, and no message of a refusal
    const back = await planner.agent.get(ok.headers.location);
    expect(back.text).toContain('id="floor-move-form"');
    expect(back.text).not.toMatch(/error-summary|id="floor-move-message"|aria-invalid/);
    const made = (await planner.agent.get(`/api/moves?site_id=${siteId}`)).body.find((m: { to_floor_id: number | null }) => m.to_floor_id === og.id);
    expect(made).toMatchObject({ from_site_id: siteId, to_site_id: siteId, from_floor_id: null, headcount: 3 });
    const tooMany = await form(planner, `/sites/${siteId}/floor-move`, {
      unit_id: unitId,
      from_floor_id: eg.id,
      to_floor_id: og.id,
      headcount: 2,
      date: '2026-02-01',
      status: 'approved',
    });
    // refused: the site's page again, the form as typed and the reasons next to the floor left and the headcount
    expect(tooMany.status).toBe(422);
    expect(fieldOf(tooMany.text, 'fm-headcount')).toEqual({ value: '2', invalid: true, message: 'So viele Personen hat der Dienst dort nicht.' });
    expect(fieldOf(tooMany.text, 'fm-from')).toMatchObject({ invalid: true, message: expect.stringMatching(/bitte das Geschoss angeben/) });
    expect(tooMany.text).toMatch(new RegExp(`<select id="fm-from"[^>]*>[^]*?<option value="${eg.id}" selected>`));
    expect(fieldOf(tooMany.text, 'fm-date')).toEqual({ value: '2026-02-01', invalid: false, message: null });
    expect(tooMany.text).not.toContain('class="flash error"');
    // every reason sits next to its field: no message above the form
    expect(tooMany.text).not.toContain('id="floor-move-message"');
    // a bad number is named next to its field
    const none = await form(planner, `/sites/${siteId}/floor-move`, {
      unit_id: unitId,
      from_floor_id: '',
      to_floor_id: og.id,
      headcount: 0,
      date: '2026-02-01',
      status: 'approved',
      view_date: '2026-02-01',
    });
    expect(none.status).toBe(400);
    expect(fieldOf(none.text, 'fm-headcount')).toMatchObject({ value: '0', invalid: true, message: expect.stringMatching(/mindestens 1/) });
    // the same floor twice: said next to the floor moved to, in the form's words (no field name of the API)
    const same = await form(planner, `/sites/${siteId}/floor-move`, {
      unit_id: unitId,
      from_floor_id: og.id,
      to_floor_id: og.id,
      headcount: 1,
      date: '2026-02-01',
      status: 'approved',
    });
    expect(same.status).toBe(400);
    expect(fieldOf(same.text, 'fm-to')).toMatchObject({ invalid: true, message: 'Aus- und In-Geschoss müssen verschieden sein.' });
    expect(same.text).not.toContain('move.to_site_id');
    // nothing was written by any
    const floorMoves = (await planner.agent.get(`/api/moves?site_id=${siteId}`)).body.filter((m: { to_floor_id: number | null }) => m.to_floor_id === og.id);
    expect(floorMoves).toHaveLength(1);
  });

  it('when a planner moves more people onto a floor than it has workplaces with the stack plan\'s form, then "Gespeichert." says at once what the move brings', async () => {
    const siteId = await newSite('Vollhaus');
    const eg = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 10 })).body;
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'Kleines OG', workplaces: 2 })).body;
    await as(planner).post('/api/moves', { unit_id: unitId, to_site_id: siteId, to_floor_id: eg.id, headcount: 6, date: '2026-01-01', status: 'approved' });
    const fields = { unit_id: unitId, from_floor_id: eg.id, to_floor_id: og.id, date: '2026-02-01', status: 'approved', view_date: '2026-02-01' };
    // two fit: "Gespeichert." alone
    const fits = await form(planner, `/sites/${siteId}/floor-move`, { ...fields, headcount: 2 });
    expect(fits.status).toBe(303);
    expect((await planner.agent.get(fits.headers.location)).text).toContain('<p class="flash" id="flash" role="status">Gespeichert.</p>');
    // three more do not: saved, and the page says what the move brings
    const over = await form(planner, `/sites/${siteId}/floor-move`, { ...fields, headcount: 3 });
    expect(over.status).toBe(303);
    const page = (await planner.agent.get(over.headers.location)).text;
    expect(page).toMatch(
      /<div class="flash noted" id="flash" role="status"><p>Gespeichert\.<\/p><p><strong>Bitte beachten – die Änderung bringt:<\/strong><\/p><ul id="flash-notes"><li>[^<]*Vollhaus, Geschoss Kleines OG: \S*5 Arbeitsplätze benötigt, 2 vorhanden\.<\/li>/,
    );
    // shown once
    expect((await planner.agent.get(over.headers.location)).text).not.toContain('id="flash"');
    // one back down, out of the full floor: that brings nothing (the floor was full before it)
    const relief = await form(planner, `/sites/${siteId}/floor-move`, {
      ...fields,
      from_floor_id: og.id,
      to_floor_id: eg.id,
      headcount: 1,
      date: '2026-03-01',
    });
    expect(relief.status).toBe(303);
    expect((await planner.agent.get(relief.headers.location)).text).toContain('<p class="flash" id="flash" role="status">Gespeichert.</p>');
  });

  it("when a planner plans a move into another building's upper floor with the move form, then the move names that floor; a floor of another site comes back next to its field, and editing can take the floor away", async () => {
    const siteId = await newSite('Zielhaus');
    const eg = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 6 })).body;
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'Oberes Geschoss', workplaces: 6 })).body;
    // the site's stack plan leads a planner to the form with the floor chosen (a viewer gets no link)
    const stackPage = (await planner.agent.get(`/sites/${siteId}`).expect(200)).text;
    const link = `/moves/new?to_site_id=${siteId}&amp;to_floor_id=${og.id}&amp;date=${TEST_TODAY}`;
    expect(stackPage).toContain(`<a href="${link}" class="plan-move-here">Umzug ins Geschoss „Oberes Geschoss“ planen</a>`);
    expect((await viewer.agent.get(`/sites/${siteId}`).expect(200)).text).not.toContain('plan-move-here');
    const chosen = (await planner.agent.get(link.replaceAll('&amp;', '&')).expect(200)).text;
    expect(chosen).toMatch(new RegExp(`<option value="${og.id}" selected>Oberes Geschoss – Zielhaus</option>`));
    // the form offers the floors grouped by their site, none chosen
    const page = (await planner.agent.get('/moves/new').expect(200)).text;
    expect(page).toMatch(new RegExp(`<select id="f-to_floor_id" name="to_floor_id"[^>]*>\\s*<option value="">ohne Geschoss</option>`));
    expect(page).toMatch(
      new RegExp(
        `<optgroup label="Zielhaus" data-site-id="\\d+">\\s*<option value="\\d+">EG – Zielhaus</option><option value="${og.id}">Oberes Geschoss – Zielhaus</option>`,
      ),
    );
    const body = { unit_id: unitId, to_site_id: siteId, headcount: 2, date: '2026-03-01', status: 'approved', _action: 'save' };
    // the preview says what the floor needs before and after, beside the building
    const preview = await form(planner, '/moves/new', { ...body, to_floor_id: og.id, _action: 'preview' });
    expect(preview.status).toBe(200);
    expect(preview.text).toMatch(/<table class="data" id="preview-floors"><caption>Geschosse: benötigte \/ vorhandene Arbeitsplätze<\/caption>/);
    expect(preview.text).toContain('<tr><td>Oberes Geschoss – Zielhaus</td><td class="num">0 / 6</td><td class="num"><strong>2 / 6</strong></td></tr>');
    const saved = await form(planner, '/moves/new', { ...body, to_floor_id: og.id });
    expect(saved.status).toBe(303);
    const made = (await planner.agent.get(`/api/moves?site_id=${siteId}`)).body as { id: number; to_floor_id: number | null; version: number }[];
    expect(made).toHaveLength(1);
    expect(made[0].to_floor_id).toBe(og.id);
    expect((await planner.agent.get('/moves').expect(200)).text).toMatch(
      new RegExp(`<tr data-move-id="${made[0].id}"[^]*?<small class="move-floor">Oberes Geschoss</small>`),
    );
    // within the building, one floor down: the building is listed once, both floors before and after
    const within = await form(planner, '/moves/new', {
      ...body,
      from_site_id: siteId,
      from_floor_id: og.id,
      to_floor_id: eg.id,
      headcount: 1,
      date: '2026-04-01',
      _action: 'preview',
    });
    expect(within.status).toBe(200);
    expect(within.text.match(/<tr><td>Zielhaus<\/td>/g)).toHaveLength(1);
    expect(within.text).toContain('<tr><td>Oberes Geschoss – Zielhaus</td><td class="num">2 / 6</td><td class="num"><strong>1 / 6</strong></td></tr>');
    expect(within.text).toContain('<tr><td>EG – Zielhaus</td><td class="num">0 / 6</td><td class="num"><strong>1 / 6</strong></td></tr>');
    const stack = (await viewer.agent.get(`/api/sites/${siteId}/stack?date=2026-04-01`)).body;
    expect(stack.floors.find((f: { id: number }) => f.id === og.id).headcount).toBe(2);
    // out of the building without naming the floor they leave (they all sit on a floor): the headline says which field to set
    for (const action of ['preview', 'save']) {
      const noFloor = await form(planner, '/moves/new', {
        ...body,
        to_site_id: otherSiteId,
        from_site_id: siteId,
        headcount: 2,
        date: '2026-05-01',
        _action: action,
      });
      expect(noFloor.status, action).toBe(422);
      expect(noFloor.text, action).toContain('Der Standort hat Geschosse – bitte bei „aus Geschoss“ das Geschoss wählen, das sie verlassen.');
      expect(noFloor.text, action).toMatch(/<select id="f-from_floor_id"[^>]*aria-invalid="true"/);
    }
    // a floor named, with too few people on it: the general headline, and the reason next to the floor
    const wrongFloor = await form(planner, '/moves/new', {
      ...body,
      to_site_id: otherSiteId,
      from_site_id: siteId,
      from_floor_id: eg.id,
      headcount: 2,
      date: '2026-05-01',
    });
    expect(wrongFloor.status).toBe(422);
    expect(wrongFloor.text).toContain('So viele Personen hat der Dienst am Ausgangsstandort zu diesem Datum nicht.');
    expect(wrongFloor.text).not.toContain('nicht ohne Geschoss');
    // a floor of another building: the form comes back as typed, the reason next to the floor, nothing written
    const refused = await form(planner, '/moves/new', { ...body, to_site_id: otherSiteId, to_floor_id: og.id });
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(
      new RegExp(
        `<select id="f-to_floor_id" name="to_floor_id" data-floors-of="f-to_site_id" aria-describedby="f-to_floor_id-hint f-to_floor_id-err" aria-invalid="true">`,
      ),
    );
    expect(refused.text).toMatch(new RegExp(`<option value="${og.id}" selected>Oberes Geschoss – Zielhaus</option>`));
    expect(refused.text).toContain(
      '<span class="field-error" id="f-to_floor_id-err" role="alert">Dieses Geschoss gehört nicht zu dem gewählten Standort.</span>',
    );
    expect((await planner.agent.get(`/api/moves?site_id=${otherSiteId}`)).body.filter((m: { to_floor_id: number | null }) => m.to_floor_id === og.id)).toEqual(
      [],
    );
    // the edit form shows the floor chosen; sent without one, the move names no floor any more
    const edit = (await planner.agent.get(`/moves/${made[0].id}/edit`).expect(200)).text;
    expect(edit).toMatch(new RegExp(`<option value="${og.id}" selected>Oberes Geschoss – Zielhaus</option>`));
    const cleared = await form(planner, `/moves/${made[0].id}/edit`, { ...body, to_floor_id: '', version: made[0].version });
    expect(cleared.status).toBe(303);
    expect((await planner.agent.get(`/api/moves/${made[0].id}`)).body.to_floor_id).toBeNull();
  });

  it("when a scenario sends a baseline move to another building's upper floor, then the scenario's stack has them there, the baseline does not, and adopting writes the floor; a floor of another site is refused next to its field", async () => {
    const fromId = await newSite('Altbau Szenario');
    const toId = await newSite('Neubau Szenario');
    await as(planner).post(`/api/sites/${toId}/floors`, { level: 0, name: 'EG', workplaces: 6 });
    const og = (await as(planner).post(`/api/sites/${toId}/floors`, { level: 2, name: '2. OG', workplaces: 6 })).body;
    await as(planner).post('/api/moves', { unit_id: unitId, to_site_id: fromId, headcount: 3, date: '2026-01-01', status: 'approved' });
    const move = (
      await as(planner).post('/api/moves', {
        unit_id: unitId,
        from_site_id: fromId,
        to_site_id: otherSiteId,
        headcount: 3,
        date: '2026-05-01',
        status: 'approved',
      })
    ).body;
    const sc = (await as(planner).post('/api/scenarios', { name: 'Ins Obergeschoss' })).body;
    // the override form offers the floors; a floor of the site the move leaves for is refused next to the field
    const url = `/scenarios/${sc.id}/overrides/moves/${move.id}`;
    expect((await planner.agent.get(url).expect(200)).text).toMatch(
      new RegExp(`<optgroup label="Neubau Szenario" data-site-id="\\d+">.*<option value="${og.id}">2. OG – Neubau Szenario</option>`),
    );
    expect((await planner.agent.get(url).expect(200)).text).not.toContain('field-error');
    const wrong = await form(planner, url, { to_floor_id: og.id, date: '2026-05-01', headcount: 3, from_site_id: fromId, to_site_id: otherSiteId });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain(
      '<span class="field-error" id="o-to_floor_id-err" role="alert">Dieses Geschoss gehört nicht zu dem gewählten Standort.</span>',
    );
    expect((await planner.agent.get(`/api/scenarios/${sc.id}/overrides`)).body).toEqual([]);
    // the new site and its upper floor, from the form
    const saved = await form(planner, url, { to_site_id: toId, to_floor_id: og.id, date: '2026-05-01', headcount: 3, from_site_id: fromId });
    expect(saved.status).toBe(303);
    const [o] = (await planner.agent.get(`/api/scenarios/${sc.id}/overrides`)).body;
    expect(o.changes).toEqual({ to_site_id: toId, to_floor_id: og.id });
    const stackIn = (sid: number | null) => viewer.agent.get(`/api/sites/${toId}/stack?date=2026-06-01${sid ? `&scenario_id=${sid}` : ''}`);
    expect((await stackIn(sc.id)).body.floors.find((f: { id: number }) => f.id === og.id).headcount).toBe(3);
    expect((await stackIn(null)).body.floors.find((f: { id: number }) => f.id === og.id).headcount).toBe(0);
    // the moves list in the scenario shows the floor under the site; the baseline's list does not
    const row = (html: string) => new RegExp(`<tr data-move-id="${move.id}"[^]*?</tr>`).exec(html)?.[0] ?? '';
    expect(row((await planner.agent.get(`/moves?scenario_id=${sc.id}`).expect(200)).text)).toContain('<small class="move-floor"><ins>2. OG</ins></small>');
    expect(row((await planner.agent.get('/moves').expect(200)).text)).not.toContain('move-floor');
    // the scenario page names the floor, not its number
    expect((await planner.agent.get(`/scenarios/${sc.id}`).expect(200)).text).toContain('<strong>in Geschoss: 2. OG – Neubau Szenario</strong>');
    // through the API, a floor that does not exist is 422 naming the field
    const none = await planner.agent
      .put(`/api/scenarios/${sc.id}/overrides/moves/${move.id}`)
      .set('X-CSRF-Token', planner.csrf)
      .send({ to_floor_id: 999999, version: o.version });
    expect(none.status).toBe(422);
    expect(none.body.error.fields).toHaveProperty('to_floor_id');
    const version = (await planner.agent.get(`/api/scenarios/${sc.id}`)).body.version;
    expect((await as(planner).post(`/api/scenarios/${sc.id}/adopt`, { version })).status).toBe(200);
    expect((await planner.agent.get(`/api/moves/${move.id}`)).body).toMatchObject({ to_site_id: toId, to_floor_id: og.id });
  });

  it('when a scenario names floors, then a move within one site may go upstairs there, a floor left beside a changed site is judged on the form, and the floor or site cannot be deleted meanwhile', async () => {
    const here = await newSite('Treppenhaus');
    const eg = (await as(planner).post(`/api/sites/${here}/floors`, { level: 0, name: 'EG', workplaces: 6 })).body;
    const og = (await as(planner).post(`/api/sites/${here}/floors`, { level: 1, name: 'OG', workplaces: 6 })).body;
    await as(planner).post('/api/moves', { unit_id: unitId, to_site_id: here, to_floor_id: eg.id, headcount: 4, date: '2026-01-01', status: 'approved' });
    const within = (
      await as(planner).post('/api/moves', {
        unit_id: unitId,
        from_site_id: here,
        from_floor_id: eg.id,
        to_site_id: here,
        to_floor_id: og.id,
        headcount: 2,
        date: '2026-04-01',
        status: 'approved',
      })
    ).body;
    const sc = (await as(planner).post('/api/scenarios', { name: 'Später nach oben' })).body;
    const put = (body: object) => planner.agent.put(`/api/scenarios/${sc.id}/overrides/moves/${within.id}`).set('X-CSRF-Token', planner.csrf).send(body);
    // a move between two floors of one site: its date may change in the scenario
    expect((await put({ date: '2026-09-01' })).status).toBe(200);
    // on the form, the site changed and the old floor left chosen: refused next to the floor, nothing changed
    const url = `/scenarios/${sc.id}/overrides/moves/${within.id}`;
    const left = await form(planner, url, {
      date: '2026-09-01',
      headcount: 2,
      from_site_id: here,
      from_floor_id: eg.id,
      to_site_id: otherSiteId,
      to_floor_id: og.id,
    });
    expect(left.status).toBe(400);
    expect(left.text).toContain('<span class="field-error" id="o-to_floor_id-err" role="alert">Dieses Geschoss gehört nicht zu dem gewählten Standort.</span>');
    expect((await planner.agent.get(`/api/scenarios/${sc.id}/overrides`)).body[0].changes).toEqual({ date: '2026-09-01' });
    // the floor and the site a scenario names cannot be deleted (the floor is named by the baseline move too; a floor named only by the scenario:)
    const dg = (await as(planner).post(`/api/sites/${here}/floors`, { level: 2, name: 'DG', workplaces: 6 })).body;
    const o = (await put({ date: '2026-09-01', to_floor_id: dg.id, version: 1 })).body;
    expect(o.changes).toEqual({ date: '2026-09-01', to_floor_id: dg.id });
    const del = await as(planner).del(`/api/floors/${dg.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('IN_USE');
    expect(del.body.error.message).toContain('Später nach oben');
    // from the floors page: it opens at the message that says why, naming the scenario (building staff cannot open scenarios)
    const fromPage = await form(planner, `/floors/${dg.id}/delete`, { version: dg.version });
    expect(fromPage.headers.location).toBe(`/sites/${here}/floors#flash`);
    expect((await planner.agent.get(fromPage.headers.location).expect(200)).text).toMatch(
      /<p class="flash error" id="flash" role="status">[^<]*Das Szenario „Später nach oben“ nennt dieses Geschoss/,
    );
    const lone = await newSite('Nur im Szenario');
    const move2 = (
      await as(planner).post('/api/moves', {
        unit_id: unitId,
        from_site_id: here,
        from_floor_id: eg.id,
        to_site_id: otherSiteId,
        headcount: 1,
        date: '2026-10-01',
        status: 'approved',
      })
    ).body;
    expect(
      (await planner.agent.put(`/api/scenarios/${sc.id}/overrides/moves/${move2.id}`).set('X-CSRF-Token', planner.csrf).send({ to_site_id: lone })).status,
    ).toBe(200);
    const delSite = await as(planner).del(`/api/sites/${lone}`);
    expect(delSite.status).toBe(409);
    expect(delSite.body.error.message).toContain('"Später nach oben"');
    expect((await viewer.agent.get(`/api/sites/${lone}`)).status).toBe(200);
  });

  it('when the baseline move was sent to another site after a scenario named a floor of the old one, then adopting refuses and writes nothing', async () => {
    const a = await newSite('Haus A Übernahme');
    const b = await newSite('Haus B Übernahme');
    const aOg = (await as(planner).post(`/api/sites/${a}/floors`, { level: 1, name: 'OG', workplaces: 6 })).body;
    const m = (await as(planner).post('/api/moves', { unit_id: unitId, to_site_id: a, headcount: 2, date: '2026-02-01', status: 'approved' })).body;
    const sc = (await as(planner).post('/api/scenarios', { name: 'Geschoss veraltet' })).body;
    expect(
      (await planner.agent.put(`/api/scenarios/${sc.id}/overrides/moves/${m.id}`).set('X-CSRF-Token', planner.csrf).send({ to_floor_id: aOg.id })).status,
    ).toBe(200);
    const moved = await as(planner).patch(`/api/moves/${m.id}`, { to_site_id: b, version: m.version });
    expect(moved.status).toBe(200);
    // the override form says so next to the floor before anyone adopts
    const overrideForm = (await planner.agent.get(`/scenarios/${sc.id}/overrides/moves/${m.id}`).expect(200)).text;
    expect(overrideForm).toContain(
      '<span class="field-error" id="o-to_floor_id-err" role="alert">Dieses Geschoss gehört nicht zu dem gewählten Standort.</span>',
    );
    expect(overrideForm).not.toContain('id="o-from_floor_id-err"');
    // and so does the scenario's list of moves, beside the floor
    const list = (await planner.agent.get(`/moves?scenario_id=${sc.id}`).expect(200)).text;
    const row = new RegExp(`<tr data-move-id="${m.id}"[\\s\\S]*?</tr>`).exec(list)?.[0] ?? '';
    expect(row).toMatch(/<small class="move-floor">[^<]*(?:<ins>)?OG</);
    expect(row).toContain('<span class="field-error floor-amiss">Dieses Geschoss gehört nicht zu dem gewählten Standort.</span>');
    expect(list.match(/floor-amiss/g)).toHaveLength(1);
    const version = (await planner.agent.get(`/api/scenarios/${sc.id}`)).body.version;
    // from the page: back on the scenario, told in German why (no codes, no ids)
    const page = await form(planner, `/scenarios/${sc.id}/adopt`, { confirmed: '1', version });
    expect(page.status).toBe(303);
    const told = (await planner.agent.get(page.headers.location).expect(200)).text;
    expect(told).toContain('Eine Änderung des Szenarios nennt ein Geschoss, das nicht mehr zum Standort ihres Umzugs gehört');
    expect(told).not.toMatch(/would name floor|OVERRIDE_STALE/);
    const adopt = await as(planner).post(`/api/scenarios/${sc.id}/adopt`, { version });
    expect(adopt.status).toBe(422);
    expect(adopt.body.error.code).toBe('OVERRIDE_STALE');
    expect((await planner.agent.get(`/api/moves/${m.id}`)).body).toMatchObject({ to_site_id: b, to_floor_id: null, version: moved.body.version });
    expect((await planner.agent.get(`/api/scenarios/${sc.id}`)).status).toBe(200);
  });

  it('when a planner opens the floors of a site without floors, then the page says that the first floor replaces its capacity of so far, and no longer once it has one', async () => {
    const site = await newSite('Ohne Geschosse', 1234);
    const note = (html: string) => /<p id="first-floor-note">([^<]*)<\/p>/.exec(html)?.[1];
    expect(note((await planner.agent.get(`/sites/${site}/floors`).expect(200)).text)).toBe(
      'Der Standort hat noch keine Geschosse. Mit dem ersten wird seine Kapazität (bisher 1.234 Arbeitsplätze) die Summe der Arbeitsplätze seiner Geschosse: Tragen Sie alle Geschosse ein.',
    );
    expect((await as(planner).post(`/api/sites/${site}/floors`, { level: 0, name: 'Erdgeschoss', workplaces: 30 })).status).toBe(201);
    const withFloor = (await planner.agent.get(`/sites/${site}/floors`).expect(200)).text;
    expect(note(withFloor)).toBeUndefined();
    // the page says that floors set the capacity for every date, and where a change from a day on goes
    expect(withFloor).toContain(
      'Das gilt für jedes Datum, auch zurück: Ändert sich die Kapazität erst ab einem Tag (Umbau, Erweiterung), tragen Sie das als Ereignis auf der Standortseite ein.',
    );
    // a floor without rooms: its room form says that the first room replaces the floor's workplaces (and so the site's capacity)
    expect(/<p class="first-room-note" id="first-room-\d+">([^<]*)<\/p>/.exec(withFloor)?.[1]).toBe(
      'Das Geschoss hat noch keine Räume. Mit dem ersten werden seine Arbeitsplätze (bisher 30) die Summe der Arbeitsplätze seiner Räume, und damit auch die Kapazität des Standorts: Tragen Sie alle Räume des Geschosses ein.',
    );
    // the forms leave checking to the server, whose messages stand next to the fields in the page's language
    expect(withFloor.match(/<form [^>]*class="floor-form"[^>]*>/g)?.every((f) => f.includes('novalidate'))).toBe(true);
    // the site form shows the capacity as the floors' sum, read-only, and leads to the floors; saving it unchanged works
    const edit = (await planner.agent.get(`/sites/${site}/edit`).expect(200)).text;
    expect(/<input id="f-capacity"[^>]*>/.exec(edit)?.[0]).toMatch(/value="30"[^>]* readonly/);
    expect(edit).toContain('Die Summe der Arbeitsplätze seiner Geschosse');
    expect(edit).toContain(`<a href="/sites/${site}/floors">Geschosse und Räume bearbeiten</a>`);
    const stored = (await planner.agent.get(`/api/sites/${site}`)).body;
    const saved = await form(planner, `/sites/${site}/edit`, {
      name: 'Ohne Geschosse (jetzt mit)',
      lat: stored.lat,
      lon: stored.lon,
      capacity: 30,
      version: stored.version,
    });
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    expect((await planner.agent.get(`/api/sites/${site}`)).body).toMatchObject({ name: 'Ohne Geschosse (jetzt mit)', capacity: 30 });
    // a site without floors keeps the field to type in
    const plain = (await planner.agent.get(`/sites/${await newSite('Ohne Geschosse, Formular', 5)}/edit`).expect(200)).text;
    expect(/<input id="f-capacity"[^>]*>/.exec(plain)?.[0]).not.toContain('readonly');
    const one = await newSite('Ein Arbeitsplatz', 1);
    expect(note((await planner.agent.get(`/sites/${one}/floors`).expect(200)).text)).toContain('(bisher 1 Arbeitsplatz)');
  });

  it('when a planner reads the audit log of floors, rooms and a move to a floor, then fields have German labels and the floor its name', async () => {
    const site = await newSite('Protokollhaus', 10);
    const floor = (
      await as(planner).post(`/api/sites/${site}/floors`, { level: 2, name: 'Dachgeschoss', workplaces: 12, area_m2: 200, step_free_access: 'no' })
    ).body;
    expect((await as(planner).patch(`/api/floors/${floor.id}`, { version: floor.version, workplaces: 14 })).status).toBe(200);
    expect((await as(planner).post(`/api/floors/${floor.id}/rooms`, { number: '2.01', use: 'meeting', workplaces: 14 })).status).toBe(201);
    const moved = await as(planner).post('/api/moves', {
      unit_id: unitId,
      to_site_id: site,
      to_floor_id: floor.id,
      headcount: 2,
      date: '2026-02-01',
      status: 'approved',
    });
    expect(moved.status).toBe(201);
    const words = (html: string) =>
      (/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/&[^;]+;/g, ' ')
        .replace(/\s+/g, ' ');
    const floors = words((await planner.agent.get(`/audit?entity=floor&entity_id=${floor.id}`).expect(200)).text);
    expect(floors).toContain('Geschoss');
    expect(floors).toContain('Dachgeschoss');
    expect(floors).toMatch(/Arbeitsplätze: 12 → 14/);
    expect(floors).toContain('Ebene');
    expect(floors).toContain('Stufenlos vom Eingang erreichbar');
    const rooms = words((await planner.agent.get('/audit?entity=room').expect(200)).text);
    expect(rooms).toContain('Raumnummer');
    expect(rooms).toContain('Geschoss: Dachgeschoss');
    const moves = words((await planner.agent.get(`/audit?entity=move&entity_id=${moved.body.id}`).expect(200)).text);
    expect(moves).toMatch(/Geschoss[^:]*: Dachgeschoss/);
    for (const text of [floors, rooms, moves]) expect(text).not.toMatch(/\b(workplaces|level|area_m2|step_free_access|floor_id|to_floor_id|number|use)\b/);
  });

  it('when a site_editor adds a floor with the form on a phone-sized page, then it is saved; workplaces below the people on it are refused with the reason', async () => {
    const own = (await planner.agent.get('/api/sites')).body.find((s: { name: string }) => s.name === EDITOR_SITE_NAME).id;
    const page = await editor.agent.get(`/sites/${own}/floors`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="new-floor"');
    const res = await form(editor, `/sites/${own}/floors`, { name: 'Untergeschoss', level: -1, workplaces: 3, step_free_access: 'no', area_m2: '40,5' });
    expect(res.status).toBe(303);
    const floors = (await editor.agent.get(`/api/sites/${own}/floors`)).body as { id: number; name: string; area_m2: number; version: number }[];
    const ug = floors.find((f) => f.name === 'Untergeschoss')!;
    expect(ug.area_m2).toBe(40.5);
    await as(planner).post('/api/moves', { unit_id: unitId, to_site_id: own, to_floor_id: ug.id, headcount: 3, date: '2026-01-01', status: 'approved' });
    const low = await form(editor, `/floors/${ug.id}/edit`, { name: 'Untergeschoss', level: -1, workplaces: 1, step_free_access: 'no', version: ug.version });
    // the page comes back with the message next to the workplaces of that floor's form
    expect(low.status).toBe(422);
    expect(fieldOf(low.text, `f${ug.id}-workplaces`)).toMatchObject({ value: '1', invalid: true });
    expect(fieldOf(low.text, `f${ug.id}-workplaces`).message).toMatch(
      /^Zu wenig: Die dem Geschoss zugeordneten Personen brauchen am 24\.11\.2026 3 Arbeitsplätze/,
    );
    expect((await editor.agent.get(`/api/sites/${own}/floors`)).body.find((f: { id: number }) => f.id === ug.id).workplaces).toBe(3);
    // deleting it is refused: building staff, who cannot open the moves, hear whose they are and who can change them
    const del = await form(editor, `/floors/${ug.id}/delete`, { version: ug.version });
    expect((await editor.agent.get(del.headers.location).expect(200)).text).toMatch(
      /<p class="flash error" id="flash" role="status">Geschoss: Umzüge von [^<]+ nennen dieses Geschoss: Es lässt sich löschen, wenn sie geändert sind \(das kann die zentrale Planung\)\.<\/p>/,
    );
    // another site's floors page shows no forms to this editor
    expect((await editor.agent.get(`/sites/${otherSiteId}/floors`)).text).not.toContain('id="new-floor"');
  });
});

/**
 * A form field of a page by its id: the value typed, whether it is marked invalid, and the message it
 * points to with aria-describedby (which must follow the field, not sit at the top of the page).
 */
function fieldOf(html: string, id: string): { value: string | null; invalid: boolean; message: string | null } {
  const tag = new RegExp(`<(?:input|select)\\b[^>]*\\bid="${id}"[^>]*>`).exec(html);
  if (!tag) throw new Error(`no field #${id} on the page`);
  const value = /\bvalue="([^"]*)"/.exec(tag[0])?.[1] ?? null;
  const invalid = /\baria-invalid="true"/.test(tag[0]);
  const described = (/\baria-describedby="([^"]*)"/.exec(tag[0])?.[1] ?? '').split(' ');
  if (!described.includes(`${id}-err`)) return { value, invalid, message: null };
  const err = new RegExp(`<span class="field-error" id="${id}-err">([^<]*)</span>`).exec(html);
  if (!err) throw new Error(`#${id} points to a message that is not on the page`);
  // the message sits right after its field (a select's options come between)
  const after = html.slice(tag.index + tag[0].length, err.index);
  expect(after.replace(/<option[^]*?<\/select>/, '')).not.toMatch(/<(input|select|label)\b[^>]*>/);
  return { value, invalid, message: err[1] };
}

describe('the floor forms refuse bad values next to the field', () => {
  let siteId: number;
  let eg: { id: number; version: number };
  beforeAll(async () => {
    siteId = await newSite('Formularhaus');
    eg = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 6 })).body;
  });
  const floorCount = async () => ((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body as unknown[]).length;

  it('when a level is used twice, then the page comes back with the form as typed and the message next to the level; nothing is added', async () => {
    const res = await form(planner, `/sites/${siteId}/floors`, { name: 'Zweites EG', level: 0, workplaces: 4, step_free_access: 'yes', area_m2: '30' });
    expect(res.status).toBe(409);
    expect(fieldOf(res.text, 'nf-level')).toEqual({ value: '0', invalid: true, message: 'Diese Ebene ist an diesem Standort schon vergeben.' });
    // the level's help stays announced with it; the other fields keep what was typed and are not marked
    expect(res.text).toMatch(/id="nf-level"[^>]*aria-describedby="nf-level-err level-help"/);
    expect(fieldOf(res.text, 'nf-name')).toEqual({ value: 'Zweites EG', invalid: false, message: null });
    expect(fieldOf(res.text, 'nf-workplaces')).toEqual({ value: '4', invalid: false, message: null });
    expect(res.text).toMatch(/<option value="yes" selected>/);
    // no message at the top of the page, and the floor's own form is untouched
    expect(res.text).not.toContain('class="flash error"');
    expect(fieldOf(res.text, `f${eg.id}-level`)).toEqual({ value: '0', invalid: false, message: null });
    expect(await floorCount()).toBe(1);
  });

  it('when numbers are negative, then each is refused next to its field and nothing is added or changed', async () => {
    const res = await form(planner, `/sites/${siteId}/floors`, { name: 'Keller', level: -1, workplaces: -2, area_m2: '-5' });
    expect(res.status).toBe(400);
    expect(fieldOf(res.text, 'nf-workplaces')).toMatchObject({ value: '-2', invalid: true, message: expect.stringMatching(/mindestens 0/) });
    expect(fieldOf(res.text, 'nf-area')).toMatchObject({ value: '-5', invalid: true });
    expect(fieldOf(res.text, 'nf-level')).toMatchObject({ value: '-1', invalid: false });
    expect(await floorCount()).toBe(1);
    const edit = await form(planner, `/floors/${eg.id}/edit`, { name: 'EG', level: 0, workplaces: -1, step_free_access: 'unknown', version: eg.version });
    expect(edit.status).toBe(400);
    expect(fieldOf(edit.text, `f${eg.id}-workplaces`)).toMatchObject({ value: '-1', invalid: true });
    // the new-floor form is not the one refused
    expect(fieldOf(edit.text, 'nf-workplaces')).toEqual({ value: '0', invalid: false, message: null });
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body[0]).toMatchObject({ workplaces: 6, version: eg.version });
  });

  it('when a room has negative workplaces, then its form comes back with the message next to them and no room is added', async () => {
    const res = await form(planner, `/floors/${eg.id}/rooms`, { number: '0.07', use: 'meeting', workplaces: -3 });
    expect(res.status).toBe(400);
    expect(fieldOf(res.text, `r${eg.id}-workplaces`)).toMatchObject({ value: '-3', invalid: true });
    expect(fieldOf(res.text, `r${eg.id}-number`)).toEqual({ value: '0.07', invalid: false, message: null });
    expect(res.text).toMatch(/<option value="meeting" selected>/);
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body[0].rooms).toEqual([]);
  });
});

describe('a room changed on the floors page', () => {
  it("when building staff change a room's workplaces, then the floor's total follows; bad numbers come back next to the room's field and change nothing", async () => {
    const siteId = await newSite('Raumhaus');
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'OG', workplaces: 0 })).body;
    const room = (await as(planner).post(`/api/floors/${og.id}/rooms`, { number: '1.01', use: 'office', workplaces: 4 })).body;
    // the page offers each room's values in a form of its own
    const page = (await planner.agent.get(`/sites/${siteId}/floors`)).text;
    expect(fieldOf(page, `rm${room.id}-workplaces`)).toEqual({ value: '4', invalid: false, message: null });
    expect(page).toContain(`action="/rooms/${room.id}/edit"`);
    const ok = await form(planner, `/rooms/${room.id}/edit`, {
      number: '1.01',
      name: 'Team Nord',
      use: 'office',
      workplaces: 6,
      area_m2: '24,5',
      version: room.version,
    });
    expect(ok.status).toBe(303);
    const after = (await viewer.agent.get(`/api/sites/${siteId}/floors`)).body[0];
    expect(after.workplaces).toBe(6);
    expect(after.rooms[0]).toMatchObject({ name: 'Team Nord', workplaces: 6, area_m2: 24.5 });
    const bad = await form(planner, `/rooms/${room.id}/edit`, {
      number: '1.01',
      name: 'Team Nord',
      use: 'office',
      workplaces: -2,
      area_m2: '24,5',
      version: after.rooms[0].version,
    });
    expect(bad.status).toBe(400);
    expect(fieldOf(bad.text, `rm${room.id}-workplaces`)).toMatchObject({ value: '-2', invalid: true, message: expect.stringMatching(/mindestens 0/) });
    expect(fieldOf(bad.text, `rm${room.id}-name`)).toEqual({ value: 'Team Nord', invalid: false, message: null });
    // the refused room's form is open, no message at the top of the page, nothing changed
    expect(bad.text).toMatch(new RegExp(`<details[^>]*id="room-edit-${room.id}"[^>]*open`));
    expect(bad.text).not.toContain('class="flash error"');
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body[0].rooms[0]).toMatchObject({ workplaces: 6, version: after.rooms[0].version });
  });

  it('when a room of 12.125 m² is shown in its form, then the area reads "12,125" and the form sent back as shown keeps 12.125 m² (not 12,125 m² read as thousands)', async () => {
    const siteId = await newSite('Nachkommahaus');
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'OG', workplaces: 0 })).body;
    const room = (await as(planner).post(`/api/floors/${og.id}/rooms`, { number: '1.01', use: 'office', workplaces: 2, area_m2: 12.125 })).body;
    const page = (await planner.agent.get(`/sites/${siteId}/floors`)).text;
    const shown = fieldOf(page, `rm${room.id}-area`);
    expect(shown).toEqual({ value: '12,125', invalid: false, message: null });
    const res = await form(planner, `/rooms/${room.id}/edit`, { number: '1.01', use: 'office', workplaces: 2, area_m2: shown.value!, version: room.version });
    expect(res.status).toBe(303);
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body[0].rooms[0].area_m2).toBe(12.125);
  });

  it('when a form shown in English is sent after the session switched to German (another tab), then its numbers are read as English: 12.125 stays 12.125 m²', async () => {
    const siteId = await newSite('Sprachwechselhaus');
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'OG', workplaces: 0 })).body;
    const room = (await as(planner).post(`/api/floors/${og.id}/rooms`, { number: '1.01', use: 'office', workplaces: 2, area_m2: 5 })).body;
    // the form as an English page shows it carries its language
    const english = (await planner.agent.get(`/sites/${siteId}/floors?lang=en`)).text;
    expect(english).toContain('<input type="hidden" name="_lang" value="en">');
    // meanwhile the session is German again (the form's hidden field still says en)
    expect((await planner.agent.get(`/sites/${siteId}/floors?lang=de`)).text).toContain('<input type="hidden" name="_lang" value="de">');
    const fields = { number: '1.01', use: 'office', workplaces: 2, area_m2: '12.125', version: room.version };
    expect((await form(planner, `/rooms/${room.id}/edit`, { ...fields, _lang: 'en' })).status).toBe(303);
    const saved = (await viewer.agent.get(`/api/sites/${siteId}/floors`)).body[0].rooms[0];
    expect(saved.area_m2).toBe(12.125);
    // without the form's language, the session's (German) reads 12.125 as twelve thousand
    expect((await form(planner, `/rooms/${room.id}/edit`, { ...fields, version: saved.version })).status).toBe(303);
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body[0].rooms[0].area_m2).toBe(12125);
  });
});

describe('what a saved move brings', () => {
  it('when a planner moves people out of a full site with the move form, then "Gespeichert." alone: the site was full before, the move makes it less so', async () => {
    const full = await newSite('Zu voll', 2);
    const roomy = await newSite('Geräumig', 50);
    await as(planner).post('/api/moves', { unit_id: unitId, to_site_id: full, headcount: 5, date: '2026-01-01', status: 'approved' });
    const out = await form(planner, '/moves/new', {
      unit_id: unitId,
      from_site_id: full,
      to_site_id: roomy,
      headcount: 1,
      date: '2026-03-01',
      status: 'approved',
      _action: 'save',
    });
    expect(out.status).toBe(303);
    expect((await planner.agent.get(out.headers.location)).text).toContain('<p class="flash" id="flash" role="status">Gespeichert.</p>');
    // the other way, into the full site: said with it
    const back = await form(planner, '/moves/new', {
      unit_id: unitId,
      from_site_id: roomy,
      to_site_id: full,
      headcount: 1,
      date: '2026-04-01',
      status: 'approved',
      _action: 'save',
    });
    expect((await planner.agent.get(back.headers.location)).text).toMatch(/id="flash-notes"><li>Zu voll: /);
  });
});

describe('deleting a floor or a room asks first', () => {
  it('when building staff delete a room or a floor, then the page first says what goes with it and what the capacity becomes; only the confirmed form deletes', async () => {
    const siteId = await newSite('Löschhaus');
    const eg = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 8 })).body;
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'OG', workplaces: 0 })).body;
    const r1 = (await as(planner).post(`/api/floors/${og.id}/rooms`, { number: '1.01', use: 'office', workplaces: 4 })).body;
    await as(planner).post(`/api/floors/${og.id}/rooms`, { number: '1.02', use: 'office', workplaces: 2 });
    const floorsNow = async () =>
      (await viewer.agent.get(`/api/sites/${siteId}/floors`)).body as { id: number; workplaces: number; rooms: unknown[]; version: number }[];
    // the room: a question first, nothing deleted
    const ask = await form(planner, `/rooms/${r1.id}/delete`, { version: r1.version });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('<h1>Raum 1.01 löschen?</h1>');
    expect(ask.text).toContain(
      'id="confirm-text">Das Geschoss „OG“ hat danach die Arbeitsplätze seiner anderen Räume: 2 (bisher 6); die Kapazität des Standorts folgt.</p>',
    );
    expect(ask.text).toMatch(/<form method="post" action="\/rooms\/\d+\/delete" class="actions">[^]*name="confirmed" value="1"/);
    expect((await floorsNow()).find((f) => f.id === og.id)!.rooms).toHaveLength(2);
    // the same question as a page of its own (a viewer may not ask it)
    expect((await planner.agent.get(`/rooms/${r1.id}/delete`).expect(200)).text).toContain('<h1>Raum 1.01 löschen?</h1>');
    expect((await viewer.agent.get(`/rooms/${r1.id}/delete`)).status).toBe(403);
    const done = await form(planner, `/rooms/${r1.id}/delete`, { version: r1.version, confirmed: '1' });
    expect(done.status).toBe(303);
    expect((await floorsNow()).find((f) => f.id === og.id)).toMatchObject({ workplaces: 2, rooms: [expect.anything()] });
    // the floor: its room goes with it, and the site's capacity becomes the other floor's
    const ogNow = (await floorsNow()).find((f) => f.id === og.id)!;
    const askFloor = await form(planner, `/floors/${og.id}/delete`, { version: ogNow.version });
    expect(askFloor.text).toContain(
      'id="confirm-text">Mit dem Geschoss wird sein Raum gelöscht. Die Kapazität von „Löschhaus“ ist danach an jedem Datum die Summe der anderen Geschosse: 8 (bisher 10).</p>',
    );
    expect(await floorsNow()).toHaveLength(2);
    // the floors page says the sum its floors make
    expect((await planner.agent.get(`/sites/${siteId}/floors`)).text).toContain(
      '<p id="floors-total"><strong>Kapazität des Standorts (Summe der Geschosse): 10 Arbeitsplätze</strong></p>',
    );
    expect((await form(planner, `/floors/${og.id}/delete`, { version: ogNow.version, confirmed: '1' })).status).toBe(303);
    expect((await floorsNow()).map((f) => f.id)).toEqual([eg.id]);
    // the last floor leaves the capacity as it is, and says so
    expect((await form(planner, `/floors/${eg.id}/delete`, { version: eg.version })).text).toContain(
      'Es ist das letzte Geschoss von „Löschhaus“: Die Kapazität des Standorts bleibt, wie sie ist (8)',
    );
    // a viewer gets no question, and nothing is deleted
    expect((await form(viewer, `/floors/${eg.id}/delete`, { version: eg.version })).status).toBe(403);
    expect(await floorsNow()).toHaveLength(1);
  });
});

describe('a deletion that leaves too few places', () => {
  it('when deleting a floor leaves fewer places than the people there need today, then the question says the site would be over capacity', async () => {
    const siteId = await newSite('Engerhaus');
    await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 8 });
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'OG', workplaces: 6 })).body;
    await as(planner).post('/api/moves', { unit_id: unitId, to_site_id: siteId, headcount: 10, date: '2026-01-01', status: 'approved' });
    const ask = await form(planner, `/floors/${og.id}/delete`, { version: og.version });
    expect(ask.text).toMatch(
      /id="confirm-text">[^<]*: 8 \(bisher 14\)\. Heute brauchen die Personen dort 10 Arbeitsplätze: Der Standort wäre danach überbelegt\.<\/p>/,
    );
  });
});

describe('a deletion confirmed after a change', () => {
  it('when the room changed after the page was loaded, then the question keeps the version the user saw and the confirmation is refused; the room stays', async () => {
    const siteId = await newSite('Wechselhaus');
    const og = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 1, name: 'OG', workplaces: 0 })).body;
    const room = (await as(planner).post(`/api/floors/${og.id}/rooms`, { number: '1.01', use: 'office', workplaces: 4 })).body;
    await as(planner).post(`/api/floors/${og.id}/rooms`, { number: '1.02', use: 'office', workplaces: 2 });
    // the page showed the room at its version; meanwhile someone changes it
    expect((await as(planner).patch(`/api/rooms/${room.id}`, { workplaces: 5, version: room.version })).status).toBe(200);
    const ask = await form(planner, `/rooms/${room.id}/delete`, { version: room.version });
    const version = /name="version" value="(\d+)"/.exec(ask.text.slice(ask.text.indexOf('id="confirm"')))![1];
    expect(Number(version)).toBe(room.version);
    const confirmed = await form(planner, `/rooms/${room.id}/delete`, { version, confirmed: '1' });
    expect(confirmed.status).toBe(303);
    expect((await planner.agent.get(confirmed.headers.location)).text).toContain('class="flash error"');
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body[0].rooms.map((r: { id: number }) => r.id)).toContain(room.id);
  });
});

describe('estimates in the stack plan', () => {
  it("when the people on no floor rest on an estimate, then the stack table's row for them marks its sum with ≈, as the list above it does", async () => {
    const siteId = await newSite('Schätzhaus');
    await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 10 });
    await as(planner).post('/api/moves', {
      unit_id: unitId,
      to_site_id: siteId,
      headcount: 7,
      headcount_estimated: true,
      date: '2026-01-01',
      status: 'approved',
    });
    const page = (await viewer.agent.get(`/sites/${siteId}?date=2026-02-01`)).text;
    expect(page).toMatch(
      /<tr><th scope="row">nicht zugeordnet<\/th><td class="num">–<\/td><td class="num">–<\/td><td class="num">–<\/td><td class="num"><span class="est" title="geschätzt">≈<\/span>7<\/td>/,
    );
  });
});

describe('rooms from a CAFM list', () => {
  const importCsv = (who: Who, csv: string, dry = false) =>
    who.agent
      .post(`/api/import/rooms${dry ? '?dry_run=1' : ''}`)
      .set('X-CSRF-Token', who.csrf)
      .set('Content-Type', 'text/csv')
      .send(csv);

  it('when a room list is imported, then the dry run says what would happen and writes nothing; the import creates missing floors and sums the workplaces', async () => {
    const siteId = await newSite('CAFM-Haus');
    const csv = `site_id;level;floor_name;room_number;room_name;use;workplaces;area_m2\n${siteId};0;Erdgeschoss;0.01;Empfang;counter;2;18,5\n${siteId};0;;0.02;Büro;office;3;24\n${siteId};1;1. OG;1.01;;meeting;0;30\n`;
    const dry = await importCsv(planner, csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, inserted: 3, updated: 0, floors_created: 2 });
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body).toHaveLength(0);
    const done = await importCsv(planner, csv);
    expect(done.status).toBe(201);
    const floors = (await viewer.agent.get(`/api/sites/${siteId}/floors`)).body;
    expect(floors.map((f: { name: string; workplaces: number; rooms: unknown[] }) => [f.name, f.workplaces, f.rooms.length])).toEqual([
      ['1. OG', 0, 1],
      ['Erdgeschoss', 5, 2],
    ]);
    expect(floors[1].rooms[0]).toMatchObject({ number: '0.01', use: 'counter', area_m2: 18.5 });
    expect((await viewer.agent.get(`/api/sites/${siteId}`)).body.capacity).toBe(5);
    // the same list again updates, and a bad row rejects the whole file
    expect((await importCsv(planner, csv, true)).body).toMatchObject({ inserted: 0, updated: 3, floors_created: 0 });
    const bad = await importCsv(planner, `site_id;level;room_number;use\n${siteId};0;0.03;kitchen\n${siteId};0;0.04;office\n`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.rows).toEqual([expect.objectContaining({ line: 2, field: 'use' })]);
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body[1].rooms).toHaveLength(2);
    const template = await viewer.agent.get('/api/import/rooms/template.csv');
    // the columns and one example row, as the other templates have
    expect(template.text.replace('\uFEFF', '').trim().split(/\r?\n/)).toEqual([
      'site_id;level;floor_name;room_number;room_name;use;workplaces;area_m2',
      '1;1;1. Obergeschoss;1.01;Beratung;counter;2;18,5',
    ]);
    // building staff import rooms of their own sites only
    const other = await importCsv(editor, `site_id;level;room_number\n${siteId};2;2.01\n`);
    expect(other.status).toBe(422);
    expect(other.body.error.rows[0]).toMatchObject({ field: 'site_id' });
    expect((await importCsv(viewer, `site_id;level;room_number\n${siteId};2;2.01\n`)).status).toBe(403);
  });

  it("when the import page sends a room list, then the rows' messages are in its language and the answer says how the file was read (a German spreadsheet program writes Windows-1252)", async () => {
    const siteId = await newSite('Kodierhaus');
    const send = (csv: string | Buffer, q: string) =>
      planner.agent.post(`/api/import/rooms?${q}`).set('X-CSRF-Token', planner.csrf).set('Content-Type', 'text/csv').send(csv);
    const bad = await send(
      `site_id;level;room_number;use;workplaces
${siteId};0;0.01;küche;3
${siteId};999;0.02;office;x
`,
      'lang=de&dry_run=1',
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.rows).toEqual([
      { line: 2, field: 'use', message: 'keiner der erlaubten Werte (erlaubt: office, counter, meeting, waiting, archive, other)' },
      { line: 3, field: 'level', message: 'eine ganze Zahl von -20 bis 200' },
    ]);
    const latin1 = Buffer.from(
      `site_id;level;floor_name;room_number;room_name
${siteId};0;Erdgeschoß;0.01;Büro
`,
      'latin1',
    );
    const dry = await send(latin1, 'lang=de&dry_run=1');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, inserted: 1, floors_created: 1, encoding: 'windows-1252' });
    // the import page offers room lists, with their template
    const page = (await planner.agent.get('/import')).text;
    expect(page).toContain('<option value="rooms">Räume</option>');
    expect(page).toContain('href="/api/import/rooms/template.csv"');
  });
});

describe('the addresses forms are sent to', () => {
  it('when a refused form’s address is reloaded or its language switched (a GET), then it leads to the form’s page with the query kept, not to „Seite nicht gefunden“', async () => {
    const siteId = await newSite('Adresshaus');
    const floor = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 4 })).body;
    const room = (await as(planner).post(`/api/floors/${floor.id}/rooms`, { number: '0.01', use: 'office', workplaces: 4 })).body;
    const scenario = (await planner.agent.get('/api/scenarios')).body[0];
    const expected: [string, string][] = [
      [`/sites/${siteId}/floor-move?lang=en`, `/sites/${siteId}?lang=en#stack`],
      [`/sites/${siteId}/events`, `/sites/${siteId}#events`],
      [`/floors/${floor.id}/rooms?lang=en`, `/sites/${siteId}/floors?lang=en#floor-${floor.id}`],
      [`/floors/${floor.id}/edit`, `/sites/${siteId}/floors#floor-${floor.id}`],
      [`/rooms/${room.id}/edit`, `/sites/${siteId}/floors#room-${room.id}`],
      [`/scenarios/${scenario.id}/shift`, `/scenarios/${scenario.id}`],
      ['/account/password', '/account'],
      [`/scenarios/${scenario.id}/overrides/moves/1/reset?lang=en`, `/scenarios/${scenario.id}?lang=en#overrides`],
      ['/moves/1/status', '/moves?highlight=1#move-1'],
      [`/sites/${siteId}/events/1/delete`, `/sites/${siteId}#events`],
      ['/logout', '/'],
    ];
    // a session of its own: ?lang=en lasts in the session it is asked in
    const own = await t.login('planner');
    for (const [from, to] of expected) {
      const res = await own.agent.get(from);
      expect(res.status, from).toBe(303);
      expect(res.headers.location, from).toBe(to);
    }
    // an address of a record that does not exist: 404, as its page would say
    expect((await own.agent.get('/floors/999999/rooms')).status).toBe(404);
  });
});

describe('a number left empty in a floor or room form', () => {
  it('when the workplaces of a new floor, a floor or a new room are left empty, then the form says so next to the field and saves nothing (not 0)', async () => {
    const siteId = await newSite('Leerfeldhaus');
    const none = await form(planner, `/sites/${siteId}/floors`, { level: '0', name: 'EG', workplaces: '', step_free_access: 'yes' });
    expect(none.status).toBe(400);
    expect(fieldOf(none.text, 'nf-workplaces')).toMatchObject({ invalid: true, message: 'Bitte eine Zahl eingeben (0, wenn es keine gibt).' });
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body).toEqual([]);
    const floor = (await as(planner).post(`/api/sites/${siteId}/floors`, { level: 0, name: 'EG', workplaces: 6 })).body;
    const cleared = await form(planner, `/floors/${floor.id}/edit`, {
      version: floor.version,
      level: '0',
      name: 'EG',
      workplaces: '',
      step_free_access: 'unknown',
    });
    expect(cleared.status).toBe(400);
    expect(cleared.text).toContain('Bitte eine Zahl eingeben (0, wenn es keine gibt).');
    expect((await viewer.agent.get(`/api/sites/${siteId}/floors`)).body[0]).toMatchObject({ workplaces: 6, version: floor.version });
    const room = await form(planner, `/floors/${floor.id}/rooms`, { number: '0.01', use: 'office', workplaces: '' });
    expect(room.status).toBe(400);
    expect((await viewer.agent.get(`/api/floors/${floor.id}/rooms`)).body).toEqual([]);
  });
});
