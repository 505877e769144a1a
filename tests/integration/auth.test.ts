import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_PASSWORD } from '../helpers/fixtures.js';
import pino from 'pino';
import { buildApp } from '../../server/app.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('login and sessions', () => {
  it('when nobody is logged in, then the API answers 401 in the SPEC error format and pages redirect to /login', async () => {
    const api = await supertest(t.app).get('/api/sites');
    expect(api.status).toBe(401);
    expect(api.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    const page = await supertest(t.app).get('/sites?date=2021-03-01');
    expect(page.status).toBe(302);
    expect(page.headers.location).toBe('/login?next=%2Fsites%3Fdate%3D2021-03-01');
    expect((await supertest(t.app).get('/healthz')).body).toEqual({ status: 'ok' });
  });

  it('when the password is wrong, then 401 INVALID_CREDENTIALS and no session', async () => {
    const res = await supertest(t.app).post('/api/login').send({ username: 'admin', password: 'nope' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('when the login body is malformed, then 400 with the fields named', async () => {
    const res = await supertest(t.app).post('/api/login').send({ username: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['password', 'username']);
    const bad = await supertest(t.app).post('/api/login').set('content-type', 'application/json').send('{"username":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('MALFORMED_JSON');
  });

  it('when a user logs in, then the cookie is HttpOnly and SameSite, and /api/session returns user and CSRF token', async () => {
    const agent = supertest.agent(t.app);
    const res = await agent.post('/api/login').send({ username: 'planner', password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ id: expect.any(Number), username: 'planner', role: 'planner', display_name: 'planner' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const s = await agent.get('/api/session');
    expect(s.body).toEqual({ user: res.body.user, csrfToken: res.body.csrfToken });
  });

  it('when logging out without the CSRF token, then 403 CSRF; with it, the session ends', async () => {
    const { agent, csrf } = await t.login('viewer');
    const denied = await agent.post('/api/logout');
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('CSRF');
    expect((await agent.post('/api/logout').set('X-CSRF-Token', csrf)).status).toBe(200);
    expect((await agent.get('/api/session')).status).toBe(401);
  });

  it('while a user keeps working, the 8-hour idle timeout moves forward (renewed at most once a minute); the session then ends 8 hours after the last use', async () => {
    const agent = supertest.agent(t.app);
    await agent.post('/api/login').send({ username: 'planner', password: TEST_PASSWORD }).expect(200);
    const expiresOf = (res: supertest.Response) => {
      const c = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((x) => x.startsWith('sp.sid='));
      return c ? Date.parse(/Expires=([^;]+)/.exec(c)![1]) : null;
    };
    const t0 = Date.now();
    // within the same minute: no new cookie (nothing to renew)
    await agent.get('/api/session').expect(200);
    const now = vi.spyOn(Date, 'now');
    try {
      const later = Math.ceil(t0 / 60_000) * 60_000 + 3 * 60 * 60 * 1000 + 1000; // three hours later, at the start of a minute
      now.mockReturnValue(later);
      const renewed = await agent.get('/api/sites').expect(200);
      const expires = expiresOf(renewed);
      expect(expires).not.toBeNull();
      expect(expires! - later).toBeGreaterThan(8 * 60 * 60 * 1000 - 2000);
      now.mockReturnValue(later + 10_000); // ten seconds later, same minute: not renewed again
      expect(expiresOf(await agent.get('/api/sites').expect(200))).toBeNull();
      now.mockReturnValue(t0 + 10 * 60 * 60 * 1000); // 7 hours after the last use: still logged in
      await agent.get('/api/session').expect(200);
      now.mockReturnValue(t0 + 19 * 60 * 60 * 1000); // 9 hours idle: the session has expired
      expect((await agent.get('/api/sites')).status).toBe(401);
    } finally {
      now.mockRestore();
    }
  });

  it('when a session exists, then a new login gets a new session id (no fixation)', async () => {
    const agent = supertest.agent(t.app);
    await agent.get('/login');
    const first = await agent.post('/api/login').send({ username: 'viewer', password: TEST_PASSWORD });
    const second = await agent.post('/api/login').send({ username: 'viewer', password: TEST_PASSWORD });
    const sid = (r: supertest.Response) => /sp\.sid=([^;]+)/.exec(String(r.headers['set-cookie']))?.[1];
    expect(sid(first)).toBeTruthy();
    expect(sid(second)).toBeTruthy();
    expect(sid(second)).not.toBe(sid(first));
  });

  it('when someone guesses passwords, then the login is rate-limited with 429', async () => {
    const limited = await createTestApp({ loginLimit: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (
            await supertest(limited.app)
              .post('/api/login')
              .send({ username: 'admin', password: `x${i}` })
          ).status,
        );
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('when two app processes share the database, then they share one login limit; after the window it starts again', async () => {
    const first = await createTestApp({ loginLimit: 3 });
    try {
      const second = buildApp(first.ctx, { logger: pino({ level: 'silent' }), loginLimit: 3 });
      const attempt = (app: typeof second, i: number) =>
        supertest(app)
          .post('/api/login')
          .send({ username: 'planner', password: `guess${i}` });
      const statuses = [
        (await attempt(first.app, 1)).status,
        (await attempt(second, 2)).status,
        (await attempt(first.app, 3)).status,
        (await attempt(second, 4)).status,
      ];
      expect(statuses).toEqual([401, 401, 401, 429]);
      // the right password does not get through either while the window lasts
      expect((await supertest(first.app).post('/api/login').send({ username: 'planner', password: TEST_PASSWORD })).status).toBe(429);
      const now = vi.spyOn(Date, 'now');
      try {
        now.mockReturnValue(Date.now() + 16 * 60 * 1000);
        expect((await supertest(second).post('/api/login').send({ username: 'planner', password: TEST_PASSWORD })).status).toBe(200);
      } finally {
        now.mockRestore();
      }
    } finally {
      await first.close();
    }
  });

  it('the login form logs in with the form CSRF token and redirects to the page asked for', async () => {
    const agent = supertest.agent(t.app);
    const page = await agent.get('/login?next=%2Fteams');
    expect(page.text).toContain('<html lang="de">');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const noToken = await agent.post('/login').type('form').send({ username: 'viewer', password: TEST_PASSWORD, next: '/teams' });
    expect(noToken.status).toBe(403);
    const wrong = await agent.post('/login').type('form').send({ _csrf: token, username: 'viewer', password: 'bad', next: '/teams' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Benutzername oder Passwort ist falsch.');
    expect(wrong.text).toContain('value="viewer"');
    const ok = await agent.post('/login').type('form').send({ _csrf: token, username: 'viewer', password: TEST_PASSWORD, next: '/teams' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/teams');
    const evil = await agent.get('/login?next=//evil.example');
    expect(evil.headers.location).toBe('/');
  });
});

describe('roles on read routes', () => {
  it('when a non-admin asks for users, then 403; the admin gets the list without password hashes', async () => {
    for (const u of ['planner', 'editor', 'viewer'] as const) {
      const { agent } = await t.login(u);
      const res = await agent.get('/api/users');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    const { agent } = await t.login('admin');
    const res = await agent.get('/api/users');
    expect(res.status).toBe(200);
    expect(res.body.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['admin', 'planner', 'editor', 'viewer']));
    expect(JSON.stringify(res.body)).not.toContain('password');
    expect(res.body.find((u: { username: string }) => u.username === 'editor').site_ids).toHaveLength(1);
  });

  it('when any role reads the state, then it is allowed', async () => {
    for (const u of ['admin', 'planner', 'editor', 'viewer'] as const) {
      const { agent } = await t.login(u);
      expect((await agent.get('/api/state?date=2021-03-01')).status).toBe(200);
    }
  });
});
