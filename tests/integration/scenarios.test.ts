import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { addDays } from '../../server/planning/dates.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let p: { agent: TestAgent; csrf: string };
beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
});
afterAll(async () => {
  await t.close();
});

const api = async (url: string) => (await p.agent.get(url)).body;
const post = (url: string, body: unknown = {}) =>
  p.agent
    .post(url)
    .set('X-CSRF-Token', p.csrf)
    .send(body as object);
const byName = async (kind: string, name: string) => ((await api(`/api/${kind}`)) as { id: number; name: string }[]).find((x) => x.name === name)!;

describe('scenarios', () => {
  it('"Kornhausplatz six months late": the comparison shows the site unavailable and the warnings that appear', async () => {
    const sc = await byName('scenarios', 'Kornhausplatz-Sanierung sechs Monate später');
    const kh = await byName('sites', 'Kornhausplatz 4/6');
    const cmp = await api(`/api/scenarios/${sc.id}/compare?date=2024-01-15`);
    expect(cmp.date).toBe('2024-01-15');
    const site = cmp.sites.find((s: { id: number }) => s.id === kh.id);
    expect(site.before).toMatchObject({ headcount: 54, capacity: 62 });
    expect(site.after).toMatchObject({ headcount: 54, capacity: 0 });
    expect(cmp.warnings.appeared.some((w: { code: string; site_id?: number }) => w.code === 'SITE_UNAVAILABLE' && w.site_id === kh.id)).toBe(true);
    const after = await api(`/api/scenarios/${sc.id}/compare?date=2024-04-01`);
    expect(after.warnings.appeared.filter((w: { code: string }) => w.code === 'SITE_UNAVAILABLE')).toEqual([]);
    // the page's change column says what changes: the same people, 62 places fewer (it said 0, counting people only)
    const page = (await p.agent.get(`/scenarios/${sc.id}?date=2024-01-15`)).text;
    expect(page).toContain('<th class="num">Δ Personen / Plätze</th>');
    const row = new RegExp(`<tr data-site-id="${kh.id}">[^]*?</tr>`).exec(page.slice(page.indexOf('id="compare-table"')))![0];
    expect(row.replace(/<span class="est"[^>]*>≈<\/span>/g, '≈')).toMatch(/<td class="num">≈?0 \/ ≈?−62<\/td>/);
  });

  it('the comparison says when the baseline changed after the scenario was last edited', async () => {
    const sc = (await post('/api/scenarios', { name: 'Frisch' })).body;
    const before = await api(`/api/scenarios/${sc.id}/compare`);
    expect(before.baseline_changed.count).toBe(0);
    const m = (await api('/api/moves?scenario_id=baseline'))[0];
    await p.agent.patch(`/api/moves/${m.id}`).set('X-CSRF-Token', p.csrf).send({ note: 'geändert', version: m.version });
    const after = await api(`/api/scenarios/${sc.id}/compare`);
    expect(after.baseline_changed.count).toBe(1);
    const page = await p.agent.get(`/scenarios/${sc.id}`);
    expect(page.text).toContain('id="baseline-changed"');
  });

  it('duplicate copies moves and events into a new scenario', async () => {
    const sc = await byName('scenarios', 'Eselsberg an der Ladenzeile Stifterweg');
    const dup = await post(`/api/scenarios/${sc.id}/duplicate`, { name: 'Variante B' });
    expect(dup.status).toBe(201);
    const moves = await api(`/api/moves?scenario_id=${dup.body.id}`);
    expect(moves).toHaveLength(4);
    expect(moves[0]).toMatchObject({ date: '2028-01-01', headcount_estimated: true, date_estimated: true });
    expect(await api(`/api/moves?scenario_id=${sc.id}`)).toHaveLength(4);
  });

  it("adopt makes the scenario's moves baseline (approved), atomically and audited", async () => {
    const src = await byName('scenarios', 'Variante B');
    const stifterweg = await byName('sites', 'Ladenzeile Stifterweg (geplant)');
    expect((await api('/api/state?date=2029-02-01')).sites.find((s: { id: number }) => s.id === stifterweg.id).headcount).toBe(0);
    const res = await post(`/api/scenarios/${src.id}/adopt`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ moves: 4, events: 1, overrides: { moves: [], events: [] } });
    expect((await api('/api/state?date=2029-02-01')).sites.find((s: { id: number }) => s.id === stifterweg.id)).toMatchObject({
      headcount: 43,
      status: 'active',
    });
    expect((await p.agent.get(`/api/scenarios/${src.id}`)).status).toBe(404);
    const audit = await api(`/api/audit?entity=scenario&entity_id=${src.id}`);
    expect(audit[0].action).toBe('adopt');
  });

  it('when adopting fails half-way (a move would make a headcount negative), then the baseline is untouched', async () => {
    const sc = (await post('/api/scenarios', { name: 'Kaputt' })).body;
    const units = (await api('/api/units')) as { id: number; name: string; team_id: number }[];
    const moltke = await byName('sites', 'Moltkestraße 20');
    const teams = (await api('/api/teams')) as { id: number; name: string }[];
    const ea = units.find((u) => u.name === 'Erstanlaufstelle' && u.team_id === teams.find((x) => x.name === 'Sozialraumteam Weststadt')!.id)!;
    // fine inside the scenario on its own: 3 Erstanlaufstelle people leave on 2030-01-01 …
    const ok = await post('/api/moves', { unit_id: ea.id, from_site_id: moltke.id, headcount: 3, date: '2030-01-01', scenario_id: sc.id });
    expect(ok.status).toBe(201);
    // … while the baseline (approved meanwhile) already moves them out in 2029
    const base = await post('/api/moves', { unit_id: ea.id, from_site_id: moltke.id, headcount: 3, date: '2029-06-01', status: 'approved' });
    expect(base.status).toBe(201);
    const movesBefore = await api('/api/moves?scenario_id=baseline');
    const res = await post(`/api/scenarios/${sc.id}/adopt`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('NEGATIVE_HEADCOUNT');
    expect(await api('/api/moves?scenario_id=baseline')).toEqual(movesBefore);
    expect(await api(`/api/moves?scenario_id=${sc.id}`)).toHaveLength(1);
    expect((await p.agent.get(`/api/scenarios/${sc.id}`)).status).toBe(200);
  });

  it("when a scenario changes only the headcount of the plan's last move, then its analyses still run a year past that move's day", async () => {
    const other = (await post('/api/scenarios', { name: 'Weniger Leute' })).body;
    const moves = (await api('/api/moves')) as {
      id: number;
      date: string;
      until: string | null;
      headcount: number;
      status: string;
      scenario_id: number | null;
    }[];
    const dayOf = (m: { date: string; until: string | null }) => m.until ?? m.date;
    const last = moves.filter((m) => m.status !== 'cancelled' && m.scenario_id === null).sort((a, b) => (dayOf(a) < dayOf(b) ? 1 : -1))[0];
    const plain = await api(`/api/scenarios/${other.id}/compare?from=2020-01-01`);
    const put = await p.agent
      .put(`/api/scenarios/${other.id}/overrides/moves/${last.id}`)
      .set('X-CSRF-Token', p.csrf)
      .send({ headcount: Math.max(1, last.headcount - 1) });
    expect(put.status).toBe(200);
    const day = dayOf(last);
    // a year from the move's day: to the day before its anniversary
    const expected = addDays(`${Number(day.slice(0, 4)) + 1}${day.slice(4)}`, -1);
    // without the change the comparison ends with the plan; with it, a year on from the move it changes
    expect(plain.to < expected).toBe(true);
    expect((await api(`/api/scenarios/${other.id}/compare?from=2020-01-01`)).to >= expected).toBe(true);
  });

  it("when a scenario's change is the last in the plan, then its analyses run a year from it by default (not to the day it happens), twelve months to the day before its anniversary", async () => {
    const sc = (await post('/api/scenarios', { name: 'Später Umzug' })).body;
    const unit = (await api('/api/units'))[0] as { id: number };
    const site = (await api('/api/sites')).find((x: { status: string }) => x.status === 'active') as { id: number };
    expect((await post('/api/moves', { unit_id: unit.id, to_site_id: site.id, headcount: 1, date: '2040-03-01', scenario_id: sc.id })).status).toBe(201);
    const over = await api(`/api/scenarios/${sc.id}/compare?from=2039-01-01`);
    expect(over.to).toBe('2041-02-28');
    // a window to the period's end counts the months it spans: 12 from 01.03.2040, not a 13th of one day
    expect(over.dates.filter((d: string) => d >= '2040-03-01')).toHaveLength(12);
    const costs = await api(`/api/scenarios/${sc.id}/costs`);
    expect(costs.to).toBe('2041-02-28');
    const page = (await p.agent.get(`/scenarios/${sc.id}?from=2039-01-01`)).text;
    expect(page).toMatch(/name="to"[^>]*value="2041-02-28"/);
  });

  it('viewers can compare but not adopt', async () => {
    const v = await t.login('viewer');
    const sc = (await api('/api/scenarios'))[0];
    expect((await v.agent.get(`/api/scenarios/${sc.id}/compare`)).status).toBe(200);
    expect((await v.agent.post(`/api/scenarios/${sc.id}/adopt`).set('X-CSRF-Token', v.csrf)).status).toBe(403);
  });
});

describe('report and timeline against the engine', () => {
  // Anlage 1 is by team now (SPEC section 16): a district sum put Zentrale Dienste and Verwaltung under Mitte/Ost
  it("the council report shows the engine's numbers per team, each site counted once in the total", async () => {
    const st = await api('/api/state?date=2021-03-01');
    const html = (await p.agent.get('/report?date=2021-03-01')).text;
    expect(html).toContain('Bericht an den Gemeinderat');
    for (const tm of st.teams.filter((x: { headcount: number }) => x.headcount > 0)) {
      expect(html).toMatch(
        new RegExp(
          `data-team-id="${tm.id}"><td>${tm.name.replace('/', '\\/')}</td><td class="num"><span class="est" title="geschätzt">≈</span>${tm.headcount}<`,
        ),
      );
    }
    expect(html).toContain('<svg class="overview"');
    expect(html).toContain('Olgastraße 152 ist zu ≈96 % belegt.');
    expect(html).toMatch(/01\.07\.2021/);
  });

  it('the timeline page marks when a site first exceeds capacity', async () => {
    const html = (await p.agent.get('/timeline?from=2019-01-01&to=2022-01-01&step=month')).text;
    const moltke = await byName('sites', 'Moltkestraße 20');
    // the date rests on estimated headcounts and capacity (GD 096/21 gives no numbers): ≈
    expect(html).toMatch(
      new RegExp(`data-site-id="${moltke.id}"><td><a[^>]*>Moltkestraße 20</a></td><td><span class="est" title="geschätzt">≈</span>01\\.09\\.2020</td>`),
    );
  });

  it("when people sit in a building under renovation (no capacity), then the timeline's table shows ▲ there, as its legend says, not „–“", async () => {
    const html = (await p.agent.get('/timeline?from=2027-01-01&to=2027-12-31&step=month')).text;
    const table = html.slice(html.indexOf('id="site-table"'));
    const row = /<tr><th scope="row">Haslacher Weg 91–95<\/th>([^]*?)<\/tr>/.exec(table)![1];
    expect(row).toContain('<td class="num over"><span aria-hidden="true">▲</span><span class="visually-hidden">belegt, aber ohne Kapazität</span></td>');
  });
});

describe('iCalendar feed', () => {
  it('lists planned moves as all-day events, with the return of temporary moves', async () => {
    const res = await p.agent
      .get('/api/moves.ics?from=2021-01-01')
      .buffer(true)
      .parse((r, cb) => {
        let d = '';
        r.setEncoding('utf8');
        r.on('data', (c) => {
          d += c;
        });
        r.on('end', () => cb(null, d));
      });
    expect(res.headers['content-type']).toMatch(/text\/calendar/);
    const text = res.body as string;
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    expect(text).toContain('DTSTART;VALUE=DATE:20210701');
    expect(text.replace(/\r\n /g, '')).toContain('Umzug Personal und Organisation: Olgastraße 152 → Schwambergerstraße 1 (8 Pers.)');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });
});

describe('scenario pages', () => {
  it('a planner renames a scenario and adds a renovation that lives only in it', async () => {
    const sc = (await post('/api/scenarios', { name: 'Umbenennen mich' })).body;
    const res = await p.agent
      .post(`/scenarios/${sc.id}/edit`)
      .type('form')
      .send({ _csrf: p.csrf, version: String(sc.version), name: 'Neuer Name', description: 'x' });
    expect(res.status).toBe(303);
    expect((await api(`/api/scenarios/${sc.id}`)).name).toBe('Neuer Name');
    const site = await byName('sites', 'Buchauer Straße 8–10');
    const ev = await p.agent
      .post(`/sites/${site.id}/events`)
      .type('form')
      .send({ _csrf: p.csrf, kind: 'closure', date: '2030-01-01', scenario_id: String(sc.id) });
    expect(ev.status).toBe(303);
    const inScenario = (await api(`/api/state?date=2030-02-01&scenario_id=${sc.id}`)).sites.find((s: { id: number }) => s.id === site.id);
    const inBaseline = (await api('/api/state?date=2030-02-01')).sites.find((s: { id: number }) => s.id === site.id);
    expect(inScenario.status).toBe('closed');
    expect(inBaseline.status).toBe('active');
  });
});
