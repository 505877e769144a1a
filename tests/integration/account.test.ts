import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../helpers/fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const versionOf = async (agent: ReturnType<typeof supertest.agent>) => {
  const page = (await agent.get('/account')).text;
  return /name="version" value="(\d+)"/.exec(page)![1];
};

describe('my account', () => {
  it('when a site editor changes their password with a wrong current one, then the message is next to the field and the old password still works', async () => {
    const { agent, csrf } = await t.login('editor');
    const version = await versionOf(agent);
    const bad = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrf, version, current_password: 'falsch', new_password: 'ein-neues-passwort' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-current_password-err"[^>]*>Das bisherige Passwort stimmt nicht\./);
    // the summary names the field as the form does, not by its name in the request
    expect(bad.text).toContain('<a href="#f-current_password">Bisheriges Passwort: Das bisherige Passwort stimmt nicht.</a>');
    // the same password again is no change
    const same = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrf, version, current_password: TEST_PASSWORD, new_password: TEST_PASSWORD });
    expect(same.status).toBe(400);
    expect(same.text).toMatch(/id="f-new_password-err"[^>]*>Das neue Passwort muss sich vom bisherigen unterscheiden\./);
    const short = await agent.post('/account/password').type('form').send({ _csrf: csrf, version, current_password: TEST_PASSWORD, new_password: 'kurz' });
    expect(short.status).toBe(400);
    expect(short.text).toMatch(/id="f-new_password-err"[^>]*>Mindestens 10 Zeichen\./);
    const ok = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrf, version, current_password: TEST_PASSWORD, new_password: 'ein-neues-passwort' });
    expect(ok.status).toBe(303);
    expect((await supertest(t.app).post('/api/login').send({ username: 'editor', password: TEST_PASSWORD })).status).toBe(401);
    expect((await supertest(t.app).post('/api/login').send({ username: 'editor', password: 'ein-neues-passwort' })).status).toBe(200);
    // audited, without the hash
    const admin = await t.login('admin');
    const audit = (await admin.agent.get('/api/audit?entity=user')).body as { action: string; username: string; before: unknown; after: unknown }[];
    const entry = audit.find((a) => a.action === 'change_password' && a.username === 'editor')!;
    expect(entry).toBeDefined();
    expect(JSON.stringify(entry)).not.toMatch(/password_hash|\$2[aby]\$/);
  });

  it('without the CSRF token the password cannot be changed', async () => {
    const { agent } = await t.login('viewer');
    const res = await agent
      .post('/account/password')
      .type('form')
      .send({ version: await versionOf(agent), current_password: TEST_PASSWORD, new_password: 'noch-ein-passwort' });
    expect(res.status).toBe(403);
  });
});

describe('calendar subscription', () => {
  it('the account page promises what the feed carries: the planned moves, not the renovations (they are in the timeline)', async () => {
    const { agent } = await t.login('planner');
    const page = (await agent.get('/account')).text;
    expect(page).not.toContain('Umzüge und Renovierungen');
    expect(page).toContain('die geplanten Umzüge (Tag, Dienst, von und nach, Personen)');
  });

  it('a calendar program subscribes with the personal link; a new link makes the old one fail; a deleted link fails', async () => {
    const { agent, csrf } = await t.login('planner');
    // a planned move for the feed to carry (the Ulm dataset plans none after the test's today)
    const units = (await agent.get('/api/units')).body as { id: number }[];
    const site = ((await agent.get('/api/sites')).body as { id: number; name: string }[]).find((x) => x.name === 'Buchauer Straße 8–10')!;
    expect(
      (
        await agent
          .post('/api/moves')
          .set('X-CSRF-Token', csrf)
          .send({ unit_id: units[0].id, to_site_id: site.id, headcount: 1, date: '2027-03-01', status: 'approved' })
      ).status,
    ).toBe(201);
    expect((await supertest(t.app).get('/api/moves.ics')).status).toBe(401);
    expect((await supertest(t.app).get('/api/moves.ics?token=not-a-real-token-at-all')).status).toBe(401);

    expect(
      (
        await agent
          .post('/account/feed')
          .type('form')
          .send({ _csrf: csrf, version: await versionOf(agent) })
      ).status,
    ).toBe(303);
    const page = (await agent.get('/account')).text;
    const link = /id="feed-url" type="text" readonly value="([^"]+)"/.exec(page)![1];
    const url = new URL(link.replace(/&amp;/g, '&'));
    const feed = await supertest(t.app).get(url.pathname + url.search);
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    expect(feed.text).toContain('BEGIN:VCALENDAR');
    expect(feed.text).toContain('BEGIN:VEVENT');
    // the token opens the feed only, nothing else
    expect((await supertest(t.app).get(`/api/sites${url.search}`)).status).toBe(401);
    // the token never shows in the API's user list
    const admin = await t.login('admin');
    expect(JSON.stringify((await admin.agent.get('/api/users')).body)).not.toContain(url.searchParams.get('token')!);

    expect(
      (
        await agent
          .post('/account/feed')
          .type('form')
          .send({ _csrf: csrf, version: await versionOf(agent) })
      ).status,
    ).toBe(303);
    expect((await supertest(t.app).get(url.pathname + url.search)).status).toBe(401);
    const renewed = /id="feed-url" type="text" readonly value="([^"]+)"/.exec((await agent.get('/account')).text)![1];
    const url2 = new URL(renewed.replace(/&amp;/g, '&'));
    expect((await supertest(t.app).get(url2.pathname + url2.search)).status).toBe(200);

    expect(
      (
        await agent
          .post('/account/feed/delete')
          .type('form')
          .send({ _csrf: csrf, version: await versionOf(agent) })
      ).status,
    ).toBe(303);
    expect((await supertest(t.app).get(url2.pathname + url2.search)).status).toBe(401);
  });

  it('the link of a deactivated user stops working', async () => {
    const { agent, csrf } = await t.login('viewer');
    await agent
      .post('/account/feed')
      .type('form')
      .send({ _csrf: csrf, version: await versionOf(agent) })
      .expect(303);
    const link = new URL(/id="feed-url" type="text" readonly value="([^"]+)"/.exec((await agent.get('/account')).text)![1].replace(/&amp;/g, '&'));
    expect((await supertest(t.app).get(link.pathname + link.search)).status).toBe(200);
    const admin = await t.login('admin');
    const viewer = ((await admin.agent.get('/api/users')).body as { id: number; username: string; version: number }[]).find((u) => u.username === 'viewer')!;
    await admin.agent.patch(`/api/users/${viewer.id}`).set('X-CSRF-Token', admin.csrf).send({ active: false, version: viewer.version }).expect(200);
    expect((await supertest(t.app).get(link.pathname + link.search)).status).toBe(401);
  });
});
