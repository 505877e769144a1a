/**
 * The audit page in words (issue 27): names instead of "Standort 8", German field labels, readable
 * before/after (no raw JSON or column names), filters by user, kind and day, paging and CSV export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import type { TestUser } from '../helpers/fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
const sessions = {} as Record<TestUser, { agent: TestAgent; csrf: string }>;
let site: { id: number; name: string; version: number; capacity: number };
beforeAll(async () => {
  t = await createTestApp();
  for (const u of ['admin', 'planner'] as const) sessions[u] = await t.login(u);
  const { agent, csrf } = sessions.planner;
  const sites = (await agent.get('/api/sites')).body as (typeof site)[];
  site = sites[0];
  // a site edit, a move's status, a scenario with an override of a baseline move, adopted; a user; a calendar link
  expect(
    (
      await agent
        .patch(`/api/sites/${site.id}`)
        .set('X-CSRF-Token', csrf)
        .send({ version: site.version, capacity: site.capacity + 2 })
    ).status,
  ).toBe(200);
  const move = ((await agent.get('/api/moves')).body as { id: number; version: number; headcount: number; status: string }[]).find((m) => m.status === 'done')!;
  const sc = (await agent.post('/api/scenarios').set('X-CSRF-Token', csrf).send({ name: 'Protokoll-Szenario' })).body as { id: number };
  expect(
    (
      await agent
        .put(`/api/scenarios/${sc.id}/overrides/moves/${move.id}`)
        .set('X-CSRF-Token', csrf)
        .send({ headcount: move.headcount + 1 })
    ).status,
  ).toBe(200);
  expect((await agent.post(`/api/scenarios/${sc.id}/adopt`).set('X-CSRF-Token', csrf).send({})).status).toBe(200);
  const admin = sessions.admin;
  expect(
    (
      await admin.agent
        .post('/api/users')
        .set('X-CSRF-Token', admin.csrf)
        .send({ username: 'protokoll.hm', password: 'Ein-langes-Passwort-27', role: 'site_editor', site_ids: [site.id] })
    ).status,
  ).toBe(201);
  const me = (await admin.agent.get('/api/users')).body.find((u: { username: string }) => u.username === 'admin') as { version: number };
  expect(
    (
      await admin.agent
        .post('/account/feed')
        .type('form')
        .send({ _csrf: admin.csrf, version: String(me.version) })
    ).status,
  ).toBe(303);
});
afterAll(async () => {
  await t?.close();
});

/** The text of the audit table's cells (tags removed), one string. */
const tableText = (html: string) =>
  /<table class="data" id="audit-table">([\s\S]*?)<\/table>/
    .exec(html)![1]
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#34;|&quot;/g, '"')
    .replace(/\s+/g, ' ');

describe('the audit page in words', () => {
  it('when changes of every kind were made, then the page names records and fields in German and shows no raw data', async () => {
    const res = await sessions.admin.agent.get('/audit');
    expect(res.status).toBe(200);
    const text = tableText(res.text);
    expect(text).toContain(`Standort „${site.name}“ · geändert`);
    expect(text).toContain(`Kapazität (Arbeitsplätze): ${site.capacity} → ${site.capacity + 2}`);
    expect(text).toContain('Szenario „Protokoll-Szenario“ · übernommen');
    expect(text).toContain('Benutzer „protokoll.hm“ · angelegt');
    expect(text).toMatch(/Kalender-Link: nein → ja/);
    // the move's unit named, the override's move and scenario by name, not as ids
    expect(text).toMatch(/Änderung im Szenario \d+ \([^)]+\)/);
    expect(text).toContain('Szenario: Protokoll-Szenario');
    // no column names, no JSON, no "Standort 8"
    expect(text.match(/\b[a-z]+_[a-z_]+\b/g) ?? []).toEqual([]);
    expect(text).not.toMatch(/[{}[\]]/);
    expect(text).not.toMatch(/Standort \d+ ·/);
  });

  it('when filtered by user, kind and day, then only those entries are listed; other days list none', async () => {
    const byPlanner = tableText((await sessions.admin.agent.get('/audit?user=planner')).text);
    expect(byPlanner).toContain('Protokoll-Szenario');
    expect(byPlanner).not.toContain('protokoll.hm');
    const users = tableText((await sessions.admin.agent.get('/audit?entity=user')).text);
    expect(users).toContain('protokoll.hm');
    expect(users).not.toContain('Protokoll-Szenario');
    const today = new Date().toISOString().slice(0, 10);
    expect(tableText((await sessions.admin.agent.get(`/audit?from=${today}&to=${today}&user=planner`)).text)).toContain('Protokoll-Szenario');
    const empty = await sessions.admin.agent.get('/audit?from=2001-01-01&to=2001-01-31');
    expect(empty.text).toContain('0 Einträge');
    expect((await sessions.admin.agent.get('/audit?from=2001-13-01')).status).toBe(400);
  });

  it('when there are more entries than a page holds, then the page links the older ones, which follow without overlap', async () => {
    for (let i = 0; i < 60; i++)
      await t.repos.audit.record({ user_id: null, username: 'system', action: 'update', entity: 'dataset', entity_id: null, after: { sites: i } });
    const first = await sessions.admin.agent.get('/audit?user=system');
    const count = /(\d+) Einträge, angezeigt 1–50/.exec(first.text);
    expect(count).not.toBeNull();
    expect(first.text).toContain('href="/audit?user=system&amp;page=2"');
    const second = await sessions.admin.agent.get('/audit?user=system&page=2');
    expect(second.text).toContain(`angezeigt 51–${Math.min(Number(count![1]), 100)}`);
    expect(tableText(first.text)).toContain('Standorte: – → 59');
    expect(tableText(second.text)).not.toContain('Standorte: – → 59');
    // the links are above the list too, in its count line; a page number that is none asks for the first page, one beyond the last shows the last
    const countLine = /<p id="audit-count" class="muted">([\s\S]*?)<\/p>/.exec(first.text)?.[1] ?? '';
    expect(countLine).toContain('Seite 1 von');
    expect(countLine).toContain('<a href="/audit?user=system&amp;page=2">Ältere »</a>');
    for (const odd of ['abc', '0', '2x'])
      expect((await sessions.admin.agent.get(`/audit?user=system&page=${odd}`).expect(200)).text).toMatch(/Einträge, angezeigt 1–50/);
    const pages = Math.ceil(Number(count![1]) / 50);
    const beyond = await sessions.admin.agent.get('/audit?user=system&page=99999').expect(200);
    expect(beyond.text).toContain(`Seite ${pages} von ${pages}`);
    expect(beyond.text).not.toContain('Ältere »');
  });

  it('when exported, then the CSV holds the filtered entries in the same words, for German Excel', async () => {
    const res = await sessions.admin.agent.get('/audit.csv?entity=scenario').buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const body = res.text;
    expect(body.startsWith('\uFEFFWann;Wer;Was;Aktion;Änderungen')).toBe(true);
    expect(body).toContain('Szenario „Protokoll-Szenario“;übernommen');
    expect(body).not.toContain('protokoll.hm');
    expect((await (await t.login('viewer')).agent.get('/audit.csv')).status).toBe(403);
  });
});

describe('user administration', () => {
  it('when an admin unticks "aktiv", then a confirmation page asks first, keeping the form; only the confirmed form deactivates', async () => {
    const { agent, csrf } = sessions.admin;
    const user = ((await agent.get('/api/users')).body as { id: number; username: string; version: number; active: boolean }[]).find(
      (u) => u.username === 'protokoll.hm',
    )!;
    const asked = await agent
      .post(`/users/${user.id}`)
      .type('form')
      .send({ _csrf: csrf, version: String(user.version), role: 'site_editor', site_ids: [String(site.id)] });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('id="confirm-button"');
    expect(asked.text).toContain('„protokoll.hm“ kann sich danach nicht mehr anmelden');
    expect(asked.text).toContain(`name="site_ids" value="${site.id}"`);
    expect(((await agent.get(`/api/users/${user.id}`)).body as { active: boolean }).active).toBe(true);
    const done = await agent
      .post(`/users/${user.id}`)
      .type('form')
      .send({ _csrf: csrf, version: String(user.version), role: 'site_editor', site_ids: [String(site.id)], confirmed: '1' });
    expect(done.status).toBe(303);
    expect((await agent.get(`/api/users/${user.id}`)).body).toMatchObject({ active: false, site_ids: [site.id] });
  });

  it('when the user page is shown, then sites are checkboxes and new passwords carry their rules; a short one is still refused by the server', async () => {
    const { agent, csrf } = sessions.admin;
    const page = (await agent.get('/users')).text;
    expect(page).not.toContain('multiple');
    expect(page).toContain(`<input type="checkbox" name="site_ids" value="${site.id}"`);
    expect(page).toMatch(/id="f-password"[^>]*data-password-rules="f-password-rules"/);
    const refused = await agent.post('/users').type('form').send({ _csrf: csrf, username: 'kurz', password: 'kurz', role: 'viewer' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Mindestens 10 Zeichen.');
  });
});

describe('placement what-ifs', () => {
  const weststadt = async () =>
    ((await sessions.planner.agent.get('/api/teams')).body as { id: number; name: string }[]).find((x) => x.name === 'Sozialraumteam Weststadt')!.id;
  const siteNamed = async (name: string) =>
    ((await sessions.planner.agent.get('/api/sites')).body as { id: number; name: string }[]).find((x) => x.name === name)!.id;

  it('when a site is excluded, then no proposal uses it and its people are placed elsewhere; reasons are each given once', async () => {
    const { agent, csrf } = sessions.planner;
    const moltke = await siteNamed('Moltkestraße 20');
    const res = await agent
      .post('/api/placement')
      .set('X-CSRF-Token', csrf)
      .send({ date: '2027-01-01', team_ids: [await weststadt()], exclude_site_ids: [moltke], time_limit_s: 5 });
    expect(res.status).toBe(200);
    expect(res.body.proposals.length).toBeGreaterThan(0);
    for (const p of res.body.proposals as { sites: { site_id: number }[]; moves: { from_site_id: number | null }[] }[]) {
      expect(p.sites.map((s) => s.site_id)).not.toContain(moltke);
      expect(p.moves.some((m) => m.from_site_id === moltke)).toBe(true);
    }
    const infeasible = await agent
      .post('/api/placement')
      .set('X-CSRF-Token', csrf)
      .send({ date: '2027-01-01', team_ids: [await weststadt()], max_sites_per_team: 1, candidates: false, within_district: true });
    const messages = (infeasible.body.reasons as { message: string }[]).map((r) => r.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(new Set(messages).size).toBe(messages.length);
  });

  it('when the what-if names a later day of loss, then the page says from when the site is assumed lost, and a wrong day is named at its field', async () => {
    const { agent, csrf } = sessions.planner;
    const moltke = await siteNamed('Moltkestraße 20');
    const q = `asked=1&date=2027-01-01&team_ids=${await weststadt()}&exclude_site_ids=${moltke}&candidates=1&keep_units_whole=1&time_limit_s=5`;
    const page = await agent.get(`/placement?${q}&exclude_from=2027-06-01`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Angenommen, ab 01.06.2027 fällt weg: Moltkestraße 20.');
    const api = await agent
      .post('/api/placement')
      .set('X-CSRF-Token', csrf)
      .send({ date: '2027-01-01', team_ids: [await weststadt()], exclude_site_ids: [moltke], exclude_from: '2027-06-01', time_limit_s: 5 });
    expect(api.status).toBe(200);
    for (const p of api.body.proposals as { sites: { site_id: number }[] }[]) expect(p.sites.map((s) => s.site_id)).not.toContain(moltke);
    const bad = await agent
      .post('/api/placement')
      .set('X-CSRF-Token', csrf)
      .send({ date: '2027-01-01', team_ids: [1], exclude_from: '2027-13-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty('exclude_from');
  });

  it('when the same proposal is applied twice with the offered name, then the second scenario is named "… (2)" instead of failing', async () => {
    const { agent, csrf } = sessions.planner;
    const moltke = await siteNamed('Moltkestraße 20');
    const unit = (
      (await agent.get('/api/state?date=2027-01-01')).body as { sites: { id: number; units: { unit_id: number; headcount: number }[] }[] }
    ).sites.find((s) => s.id === moltke)!.units[0];
    const proposal = JSON.stringify({ date: '2027-01-01', moves: [{ unit_id: unit.unit_id, from_site_id: moltke, to_site_id: site.id, headcount: 1 }] });
    const name = 'Platzierung ab 01.01.2027 – Vorschlag 1';
    const apply = () =>
      agent.post('/placement/apply').type('form').send({ _csrf: csrf, index: '0', proposal, scenario_name: name, default_name: name, back: '' });
    expect((await apply()).status).toBe(303);
    expect((await apply()).status).toBe(303);
    const names = ((await agent.get('/api/scenarios')).body as { name: string }[]).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([name, `${name} (2)`]));
  });
});
