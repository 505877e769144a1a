import { Writable } from 'node:stream';
import bcrypt from 'bcryptjs';
import pino from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app.js';
import { isCommonPassword } from '../../server/auth/common-passwords.js';
import { TEST_PASSWORD } from '../helpers/fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const sessionRows = async () => Number((await t.db('sessions').count({ n: '*' }))[0].n);

describe('login limits', () => {
  it('when a username failed 3 times, then spaces or capitals around it do not open a new window', async () => {
    const limited = await createTestApp({ loginLimit: 3, addressLoginLimit: 100 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (
            await supertest(limited.app)
              .post('/api/login')
              .send({ username: 'planner', password: `x${i}` })
          ).status,
        );
      expect(statuses).toEqual([401, 401, 401]);
      for (const variant of ['  planner  ', 'PLANNER', 'Planner ']) {
        expect((await supertest(limited.app).post('/api/login').send({ username: variant, password: TEST_PASSWORD })).status).toBe(429);
      }
      // the form counts the same attempts
      const agent = supertest.agent(limited.app);
      const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)![1];
      expect((await agent.post('/login').type('form').send({ _csrf: token, username: ' Planner', password: TEST_PASSWORD })).status).toBe(429);
      // another user is not affected
      expect((await supertest(limited.app).post('/api/login').send({ username: 'viewer', password: TEST_PASSWORD })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('when one client address tries many usernames, then it is limited on its own count', async () => {
    const limited = await createTestApp({ loginLimit: 100, addressLoginLimit: 4 });
    try {
      const statuses: number[] = [];
      for (const u of ['a1', 'b2', 'c3', 'd4', 'e5'])
        statuses.push((await supertest(limited.app).post('/api/login').send({ username: u, password: 'whatever-1' })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
      expect((await supertest(limited.app).post('/api/login').send({ username: 'viewer', password: TEST_PASSWORD })).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it("when someone fails on purpose with a user's name, then that user still logs in from a browser they used before", async () => {
    const limited = await createTestApp({ loginLimit: 3, addressLoginLimit: 100 });
    try {
      // the user logged in through the form in their browser before
      const own = supertest.agent(limited.app);
      const token = /name="_csrf" value="([^"]+)"/.exec((await own.get('/login')).text)![1];
      expect((await own.post('/login').type('form').send({ _csrf: token, username: 'planner', password: TEST_PASSWORD, next: '/' })).status).toBe(303);
      for (let i = 0; i < 4; i++)
        await supertest(limited.app)
          .post('/api/login')
          .send({ username: 'Planner', password: `rate-${i}` });
      expect((await supertest(limited.app).post('/api/login').send({ username: 'planner', password: TEST_PASSWORD })).status).toBe(429);
      expect((await own.post('/api/login').send({ username: 'planner', password: TEST_PASSWORD })).status).toBe(200);
      // the note is for that user only: it does not open another username's window
      const other = await createTestApp({ loginLimit: 1, addressLoginLimit: 100 });
      try {
        const agent = supertest.agent(other.app);
        const t2 = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)![1];
        expect((await agent.post('/login').type('form').send({ _csrf: t2, username: 'viewer', password: TEST_PASSWORD, next: '/' })).status).toBe(303);
        expect((await agent.post('/api/login').send({ username: 'admin', password: 'falsch-1' })).status).toBe(401);
        expect((await agent.post('/api/login').send({ username: 'admin', password: 'falsch-2' })).status).toBe(429);
      } finally {
        await other.close();
      }
    } finally {
      await limited.close();
    }
  });

  it('successful logins do not use up the limit', async () => {
    const limited = await createTestApp({ loginLimit: 2, addressLoginLimit: 2 });
    try {
      for (let i = 0; i < 5; i++)
        expect((await supertest(limited.app).post('/api/login').send({ username: 'viewer', password: TEST_PASSWORD })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('login timing', () => {
  it('the hash an unknown user is checked against has the cost of a real password hash', async () => {
    vi.resetModules();
    const before = process.env.BCRYPT_COST;
    process.env.BCRYPT_COST = '9';
    try {
      const m = await import('../../server/auth/passwords.js');
      expect(bcrypt.getRounds(m.DUMMY_HASH)).toBe(bcrypt.getRounds(await m.hashPassword('irgendein-passwort')));
      expect(bcrypt.getRounds(m.DUMMY_HASH)).toBe(9);
    } finally {
      process.env.BCRYPT_COST = before;
      vi.resetModules();
    }
  });

  it('when the user is unknown, then the login takes about as long as with a wrong password', async () => {
    const time = async (username: string) => {
      const start = process.hrtime.bigint();
      await supertest(t.app).post('/api/login').send({ username, password: 'wrong-password-1' });
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 9; i++) {
      known.push(await time('planner'));
      unknown.push(await time(`nobody${i}`));
    }
    // both do one bcrypt comparison at the same cost (4 in tests): neither is many times the other
    expect(median(unknown)).toBeGreaterThan(median(known) / 3);
    expect(median(known)).toBeGreaterThan(median(unknown) / 3);
  });
});

describe('login CSRF', () => {
  it('when another website posts a login, then it is refused; same-origin browsers and API clients without Origin log in', async () => {
    const cross = await supertest(t.app).post('/api/login').set('Origin', 'https://evil.example').send({ username: 'viewer', password: TEST_PASSWORD });
    expect(cross.status).toBe(403);
    expect(cross.body.error.code).toBe('CROSS_ORIGIN');
    expect(cross.headers['set-cookie']).toBeUndefined();
    expect((await supertest(t.app).post('/api/login').set('Origin', 'null').send({ username: 'viewer', password: TEST_PASSWORD })).status).toBe(403);
    expect(
      (await supertest(t.app).post('/api/login').set('Referer', 'https://evil.example/page').send({ username: 'viewer', password: TEST_PASSWORD })).status,
    ).toBe(403);
    const same = await supertest(t.app)
      .post('/api/login')
      .set('Host', 'planung.example:8080')
      .set('Origin', 'http://planung.example:8080')
      .send({ username: 'viewer', password: TEST_PASSWORD });
    expect(same.status).toBe(200);
    expect((await supertest(t.app).post('/api/login').send({ username: 'viewer', password: TEST_PASSWORD })).status).toBe(200);
    // Fetch Metadata first: a browser's own form may send `Origin: null` under a strict referrer policy
    expect((await supertest(t.app).post('/api/login').set('Sec-Fetch-Site', 'cross-site').send({ username: 'viewer', password: TEST_PASSWORD })).status).toBe(
      403,
    );
    expect(
      (
        await supertest(t.app)
          .post('/api/login')
          .set('Sec-Fetch-Site', 'same-origin')
          .set('Origin', 'null')
          .send({ username: 'viewer', password: TEST_PASSWORD })
      ).status,
    ).toBe(200);

    const agent = supertest.agent(t.app);
    const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)![1];
    const form = await agent
      .post('/login')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ _csrf: token, username: 'viewer', password: TEST_PASSWORD, next: '/' });
    expect(form.status).toBe(403);
    const ok = await agent
      .post('/login')
      .set('Host', 'planung.example')
      .set('Referer', 'http://planung.example/login')
      .type('form')
      .send({ _csrf: token, username: 'viewer', password: TEST_PASSWORD, next: '/' });
    expect(ok.status).toBe(303);
  });

  it('when the login form is opened anonymously, then no session row is stored; the language choice still holds', async () => {
    const before = await sessionRows();
    for (let i = 0; i < 5; i++) {
      const page = await supertest(t.app).get('/login');
      expect(page.status).toBe(200);
      expect(String(page.headers['set-cookie'] ?? '')).not.toContain('sp.sid');
    }
    await supertest(t.app).get('/sites');
    await supertest(t.app).get('/api/sites');
    const agent = supertest.agent(t.app);
    expect((await agent.get('/login?lang=en')).text).toContain('<html lang="en">');
    expect((await agent.get('/login')).text).toContain('<html lang="en">');
    expect(await sessionRows()).toBe(before);
    const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)![1];
    expect((await agent.post('/login').type('form').send({ _csrf: token, username: 'viewer', password: TEST_PASSWORD, next: '/sites' })).status).toBe(303);
    expect(await sessionRows()).toBe(before + 1);
    expect((await agent.get('/sites')).text).toContain('<html lang="en">');
  });
});

describe('sessions end with the credentials', () => {
  const versionOf = async (agent: ReturnType<typeof supertest.agent>) => /name="version" value="(\d+)"/.exec((await agent.get('/account')).text)![1];
  const userId = async (username: string) => (await t.db('users').where({ username }).first('id')).id as number;
  const userVersion = async (id: number) => (await t.db('users').where({ id }).first('version')).version as number;

  it('when a user changes their password, then their other sessions end and this one goes on', async () => {
    const t2 = await createTestApp();
    try {
      const phone = await t2.login('editor');
      const desk = await t2.login('editor');
      expect((await phone.agent.get('/api/session')).status).toBe(200);
      const res = await desk.agent
        .post('/account/password')
        .type('form')
        .send({ _csrf: desk.csrf, version: await versionOf(desk.agent), current_password: TEST_PASSWORD, new_password: 'ein-anderes-passwort' });
      expect(res.status).toBe(303);
      expect((await desk.agent.get('/api/session')).status).toBe(200);
      expect((await phone.agent.get('/api/session')).status).toBe(401);
      expect((await phone.agent.get('/sites')).status).toBe(302);
    } finally {
      await t2.close();
    }
  });

  it('when an admin resets a password, then every session of the user ends and the calendar link dies', async () => {
    const t2 = await createTestApp();
    try {
      const victim = await t2.login('planner');
      await victim.agent
        .post('/account/feed')
        .type('form')
        .send({ _csrf: victim.csrf, version: await versionOf(victim.agent) })
        .expect(303);
      const token = (await t2.db('users').where({ username: 'planner' }).first('feed_token')).feed_token as string;
      expect((await supertest(t2.app).get(`/api/moves.ics?token=${token}`)).status).toBe(200);
      const admin = await t2.login('admin');
      const id = (await t2.db('users').where({ username: 'planner' }).first('id')).id as number;
      const version = (await t2.db('users').where({ id }).first('version')).version as number;
      await admin.agent.patch(`/api/users/${id}`).set('X-CSRF-Token', admin.csrf).send({ password: 'neues-start-passwort', version }).expect(200);
      expect((await victim.agent.get('/api/session')).status).toBe(401);
      expect([401, 403]).toContain((await victim.agent.post('/api/moves').set('X-CSRF-Token', victim.csrf).send({})).status);
      expect((await supertest(t2.app).get(`/api/moves.ics?token=${token}`)).status).toBe(401);
      // the admin's own session is untouched
      expect((await admin.agent.get('/api/session')).status).toBe(200);
    } finally {
      await t2.close();
    }
  });

  it('when a user is deactivated and reactivated, then the old sessions and the old calendar link stay dead', async () => {
    const viewer = await t.login('viewer');
    await viewer.agent
      .post('/account/feed')
      .type('form')
      .send({ _csrf: viewer.csrf, version: await versionOf(viewer.agent) })
      .expect(303);
    const token = (await t.db('users').where({ username: 'viewer' }).first('feed_token')).feed_token as string;
    const admin = await t.login('admin');
    const id = await userId('viewer');
    await admin.agent
      .patch(`/api/users/${id}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ active: false, version: await userVersion(id) })
      .expect(200);
    expect((await viewer.agent.get('/api/session')).status).toBe(401);
    await admin.agent
      .patch(`/api/users/${id}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ active: true, version: await userVersion(id) })
      .expect(200);
    expect((await viewer.agent.get('/api/session')).status).toBe(401);
    expect((await viewer.agent.get('/api/sites')).status).toBe(401);
    expect((await supertest(t.app).get(`/api/moves.ics?token=${token}`)).status).toBe(401);
    // a fresh login works again
    expect((await supertest(t.app).post('/api/login').send({ username: 'viewer', password: TEST_PASSWORD })).status).toBe(200);
  });
});

describe('passwords', () => {
  it('common passwords and simple sequences of 10+ characters are refused, with the message next to the field', async () => {
    for (const p of ['1234567890', 'qwertzuiop', 'Passwort123', 'aaaaaaaaaaaa', 'abcdefghijkl', '9876543210']) expect(isCommonPassword(p)).toBe(true);
    for (const p of ['ein-neues-passwort', TEST_PASSWORD, 'Kornhaus-Platz-4']) expect(isCommonPassword(p)).toBe(false);
    const admin = await t.login('admin');
    const res = await admin.agent.post('/api/users').set('X-CSRF-Token', admin.csrf).send({ username: 'schwach', password: '1234567890', role: 'viewer' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.password).toMatch(/too easy to guess/);
    const { agent, csrf } = await t.login('planner');
    const own = await agent
      .post('/account/password')
      .type('form')
      .send({
        _csrf: csrf,
        version: /name="version" value="(\d+)"/.exec((await agent.get('/account')).text)![1],
        current_password: TEST_PASSWORD,
        new_password: '1234567890',
      });
    expect(own.status).toBe(400);
    expect(own.text).toContain('zu leicht zu erraten');
  });
});

describe('request logs', () => {
  it('session cookies and CSRF tokens never appear in the request log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const app = buildApp(t.ctx, { logger: pino({ level: 'info' }, sink), loginLimit: 1000, addressLoginLimit: 1000 });
    const agent = supertest.agent(app);
    const login = await agent.post('/api/login').send({ username: 'viewer', password: TEST_PASSWORD });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const sid = cookie.split('=')[1];
    await agent.get('/api/sites').set('X-CSRF-Token', login.body.csrfToken).expect(200);
    await agent.get('/sites').expect(200);
    const log = lines.join('');
    expect(log).toContain('/api/sites');
    expect(log).not.toContain(sid);
    expect(log).not.toContain(decodeURIComponent(sid));
    expect(log).not.toContain(login.body.csrfToken);
    expect(log).toContain('[redacted]');
  });
});
