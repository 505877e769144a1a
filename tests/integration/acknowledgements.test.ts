/**
 * Acknowledged warnings (SPEC section 16): a planner acknowledges a warning for its subject with a
 * reason; the warning stays listed with `acknowledged`, leaves the at-a-glance count, and the
 * change is audited. The Ulm data acknowledges the Zentrale Dienste split in the paper's words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let p: { agent: TestAgent; csrf: string };
let v: { agent: TestAgent; csrf: string };
beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
  v = await t.login('viewer');
});
afterAll(async () => {
  await t.close();
});

interface Warning {
  code: string;
  severity: string;
  team_id?: number;
  site_id?: number;
  unit_id?: number;
  acknowledged?: { id: number; reason: string; until: string | null };
}
interface State {
  warnings: Warning[];
  warnings_open: number;
  warnings_acknowledged: number;
  teams: { id: number; name: string; split: boolean }[];
  sites: { id: number; name: string }[];
}
const stateAt = async (date: string) => (await v.agent.get(`/api/state?date=${date}&warnings_limit=all`)).body as State;
const send = (who: { agent: TestAgent; csrf: string }, method: 'post' | 'delete', url: string, body: unknown = {}) =>
  who.agent[method](url)
    .set('X-CSRF-Token', who.csrf)
    .send(body as object);

describe('acknowledged warnings', () => {
  it('when the Ulm data is loaded, then the Zentrale Dienste split is acknowledged with the words of GD 096/21 and not counted', async () => {
    const st = await stateAt('2021-03-01');
    const zd = st.teams.find((x) => x.name === 'Zentrale Dienste')!;
    expect(zd.split).toBe(true);
    const split = st.warnings.find((w) => w.code === 'TEAM_SPLIT' && w.team_id === zd.id)!;
    expect(split.acknowledged?.reason).toContain('bleiben weiterhin auf mehrere Standorte verteilt');
    expect(split.acknowledged?.reason).toContain('GD 096/21');
    // the Mitte/Ost split is not acknowledged: the paper wants the team reunited
    const mo = st.teams.find((x) => x.name === 'Sozialraumteam Mitte/Ost')!;
    expect(st.warnings.find((w) => w.code === 'TEAM_SPLIT' && w.team_id === mo.id)?.acknowledged).toBeUndefined();
    const open = st.warnings.filter((w) => !w.acknowledged && w.code !== 'STEP_FREE_UNKNOWN').length;
    expect(st.warnings_open).toBe(open);
    expect(st.warnings_acknowledged).toBeGreaterThanOrEqual(1);
    const list = (await v.agent.get('/api/acknowledgements')).body as { code: string; team: string; reason: string }[];
    expect(list).toEqual([expect.objectContaining({ code: 'TEAM_SPLIT', team: 'Zentrale Dienste' })]);
    // the team list marks the acknowledged split as the map and the report do; Mitte/Ost's stays unmarked
    const teams = (await v.agent.get('/teams?date=2021-03-01')).text;
    const row = (id: number) => new RegExp(`<tr data-team-id="${id}">[^]*?</tr>`).exec(teams)![0];
    expect(row(zd.id)).toContain('<span class="pill split">');
    expect(row(zd.id)).toContain('<span class="badge sev-info">bestätigt</span>');
    expect(row(mo.id)).toContain('<span class="pill split">');
    expect(row(mo.id)).not.toContain('bestätigt');
  });

  it('when a planner acknowledges a site warning until a date, then it is marked up to that date only, audited, and withdrawn again', async () => {
    const st = await stateAt('2021-03-01');
    const moltke = st.sites.find((s) => s.name === 'Moltkestraße 20')!;
    const before = st.warnings.find((w) => w.code === 'OVER_CAPACITY' && w.site_id === moltke.id)!;
    expect(before.acknowledged).toBeUndefined();
    const res = await send(p, 'post', '/api/acknowledgements', {
      code: 'OVER_CAPACITY',
      site_id: moltke.id,
      reason: 'Umzug in die Magirusstraße 17 folgt',
      until: '2021-03-31',
    });
    expect(res.status).toBe(201);
    const after = await stateAt('2021-03-01');
    expect(after.warnings.find((w) => w.code === 'OVER_CAPACITY' && w.site_id === moltke.id)?.acknowledged).toEqual({
      id: res.body.id,
      reason: 'Umzug in die Magirusstraße 17 folgt',
      until: '2021-03-31',
    });
    expect(after.warnings_open).toBe(st.warnings_open - 1);
    // the map leaves its colour and its at-a-glance count: the site says its load is acknowledged
    const feature = async (date: string) =>
      (
        (await v.agent.get(`/api/sites.geojson?date=${date}`)).body.features as {
          id: number;
          properties: { load_level: string; load_acknowledged: boolean; map_level: string };
        }[]
      ).find((f) => f.id === moltke.id)!.properties;
    expect(await feature('2021-03-01')).toMatchObject({ load_level: 'over', load_acknowledged: true, map_level: 'ok' });
    expect(await feature('2021-04-01')).toMatchObject({ load_acknowledged: false });
    // after its end date the warning counts again
    const later = await stateAt('2021-03-31');
    const laterStill = (await v.agent.get('/api/state?date=2021-04-01&warnings_limit=all')).body as State;
    expect(later.warnings.find((w) => w.code === 'OVER_CAPACITY' && w.site_id === moltke.id)?.acknowledged).toBeDefined();
    expect(laterStill.warnings.some((w) => w.acknowledged?.id === res.body.id)).toBe(false);
    const audit = (await t.login('admin')).agent;
    const entries = (await audit.get(`/api/audit?entity=acknowledgement&entity_id=${res.body.id}`)).body as { action: string }[];
    expect(entries.map((e) => e.action)).toEqual(['create']);
    expect((await send(p, 'delete', `/api/acknowledgements/${res.body.id}`)).status).toBe(204);
    const again = await stateAt('2021-03-01');
    expect(again.warnings.find((w) => w.code === 'OVER_CAPACITY' && w.site_id === moltke.id)?.acknowledged).toBeUndefined();
    const entries2 = (await audit.get(`/api/audit?entity=acknowledgement&entity_id=${res.body.id}`)).body as { action: string }[];
    expect(entries2.map((e) => e.action).sort()).toEqual(['create', 'delete']);
  });

  it('when the input is bad, then 400 names the field; a viewer gets 403; without CSRF 403', async () => {
    const noSubject = await send(p, 'post', '/api/acknowledgements', { code: 'TEAM_SPLIT', reason: 'x' });
    expect(noSubject.status).toBe(400);
    expect(noSubject.body.error.fields).toHaveProperty('team_id');
    const badCode = await send(p, 'post', '/api/acknowledgements', { code: 'NOPE', team_id: 1, reason: 'x' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.fields).toHaveProperty('code');
    const noReason = await send(p, 'post', '/api/acknowledgements', { code: 'TEAM_SPLIT', team_id: 1, reason: '  ' });
    expect(noReason.body.error.fields).toHaveProperty('reason');
    const unknown = await send(p, 'post', '/api/acknowledgements', { code: 'TEAM_SPLIT', team_id: 99999, reason: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toHaveProperty('team_id');
    const badDate = await send(p, 'post', '/api/acknowledgements', { code: 'TEAM_SPLIT', team_id: 1, reason: 'x', until: '2021-02-30' });
    expect(badDate.body.error.fields).toHaveProperty('until');
    expect((await send(v, 'post', '/api/acknowledgements', { code: 'TEAM_SPLIT', team_id: 1, reason: 'x' })).status).toBe(403);
    const noCsrf = await p.agent.post('/api/acknowledgements').send({ code: 'TEAM_SPLIT', team_id: 1, reason: 'x' });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('CSRF');
    expect((await send(p, 'delete', '/api/acknowledgements/99999')).status).toBe(404);
  });
});

describe('acknowledging from the page that lists the warning', () => {
  const form = (who: { agent: TestAgent; csrf: string }, url: string, body: Record<string, string>, csrf = true) =>
    who.agent
      .post(url)
      .type('form')
      .send({ ...(csrf ? { _csrf: who.csrf } : {}), ...body });
  const ackLink = (html: string) => /<a class="ack-action small" href="([^"]+)">Bestätigen<span class="visually-hidden">: ([^<]+)<\/span><\/a>/.exec(html);

  it('when a planner acknowledges a warning on the site page with a reason, then it is listed as bestätigt there, audited, and can be withdrawn', async () => {
    const moltke = (await stateAt('2021-03-01')).sites.find((s) => s.name === 'Moltkestraße 20')!;
    const page = `/sites/${moltke.id}?date=2021-03-01`;
    const link = ackLink((await p.agent.get(page)).text)!;
    expect(link[2]).toBe('Moltkestraße 20: ≈55 Arbeitsplätze benötigt, Kapazität ≈52.');
    const href = link[1].replace(/&amp;/g, '&');
    const shown = await p.agent.get(href);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Moltkestraße 20: ≈55 Arbeitsplätze benötigt, Kapazität ≈52.');
    expect(shown.text).toContain('<label for="f-reason">Grund</label>');
    const action = /<form method="post" action="([^"]+)"[^>]*id="ack-form">/.exec(shown.text)![1];
    const hidden = Object.fromEntries(
      [...shown.text.matchAll(/<input type="hidden" name="(code|site_id|team_id|unit_id|back)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]),
    );
    expect(hidden).toEqual({ back: page, code: 'OVER_CAPACITY', site_id: String(moltke.id) });

    // an empty reason: the form again, the message next to the field, nothing written
    const before = ((await v.agent.get('/api/acknowledgements')).body as unknown[]).length;
    const empty = await form(p, action, { ...hidden, reason: '  ', until: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(/<textarea id="f-reason" name="reason" rows="3" aria-invalid="true" aria-describedby="f-reason-err">/);
    expect(empty.text).toMatch(/<span class="field-error" id="f-reason-err" role="alert">[^<]+<\/span>/);
    expect(empty.text).toContain('Moltkestraße 20: ≈55 Arbeitsplätze benötigt');
    expect(((await v.agent.get('/api/acknowledgements')).body as unknown[]).length).toBe(before);
    // without the form's token: refused
    expect((await form(p, action, { ...hidden, reason: 'Umzug folgt' }, false)).status).toBe(403);

    const saved = await form(p, action, { ...hidden, reason: 'Umzug in die Magirusstraße 17 folgt', until: '' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(page);
    const after = (await p.agent.get(page)).text;
    expect(after).toContain('Hinweis bestätigt.');
    expect(after).toContain('Grund: Umzug in die Magirusstraße 17 folgt');
    const ack = (await stateAt('2021-03-01')).warnings.find((w) => w.code === 'OVER_CAPACITY' && w.site_id === moltke.id)!.acknowledged!;
    expect(ack).toMatchObject({ reason: 'Umzug in die Magirusstraße 17 folgt', until: null });
    const admin = (await t.login('admin')).agent;
    expect(((await admin.get(`/api/audit?entity=acknowledgement&entity_id=${ack.id}`)).body as { action: string }[]).map((e) => e.action)).toEqual(['create']);

    // withdrawn from the same list: the warning counts again
    expect(after).toContain(`action="/acknowledgements/${ack.id}/delete"`);
    const withdrawn = await form(p, `/acknowledgements/${ack.id}/delete`, { back: page });
    expect(withdrawn.status).toBe(303);
    expect(withdrawn.headers.location).toBe(page);
    expect((await stateAt('2021-03-01')).warnings.find((w) => w.code === 'OVER_CAPACITY' && w.site_id === moltke.id)?.acknowledged).toBeUndefined();
    expect((await p.agent.get(page)).text).toContain('Bestätigung zurückgenommen; der Hinweis zählt wieder.');
  });

  it('when a viewer looks at the same list, then there is no form to acknowledge or withdraw, and the form routes refuse', async () => {
    const st = await stateAt('2021-03-01');
    const moltke = st.sites.find((s) => s.name === 'Moltkestraße 20')!;
    const zd = st.teams.find((x) => x.name === 'Zentrale Dienste')!;
    expect(ackLink((await v.agent.get(`/sites/${moltke.id}?date=2021-03-01`)).text)).toBeNull();
    const team = (await v.agent.get(`/teams/${zd.id}?date=2021-03-01`)).text;
    expect(team).toContain('bleiben weiterhin auf mehrere Standorte verteilt');
    expect(team).not.toContain('ack-withdraw');
    expect((await p.agent.get(`/teams/${zd.id}?date=2021-03-01`)).text).toContain('ack-withdraw');
    expect((await v.agent.get(`/acknowledgements/new?code=OVER_CAPACITY&site_id=${moltke.id}&date=2021-03-01`)).status).toBe(403);
    expect((await form(v, '/acknowledgements/new', { code: 'OVER_CAPACITY', site_id: String(moltke.id), reason: 'x' })).status).toBe(403);
    expect(((await v.agent.get('/api/acknowledgements')).body as unknown[]).length).toBe(1);
    // a warning the state does not have: 404, and a foreign back address is not followed
    expect((await p.agent.get(`/acknowledgements/new?code=OVER_CAPACITY&site_id=${moltke.id}&date=2024-06-01`)).status).toBe(404);
    const en = await p.agent.get(`/acknowledgements/new?code=OVER_CAPACITY&site_id=${moltke.id}&date=2021-03-01&back=https://example.org/&lang=en`);
    expect(en.text).toContain('<h1>Acknowledge a warning</h1>');
    expect(en.text).toContain('<p><a href="/">← Back</a></p>');
    await p.agent.get('/?lang=de');
  });
});
