/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider, in-process, with its
 * development login form), driven by a plain HTTP client that follows redirects and fills the
 * provider's forms. The app listens on a real port, as the provider's redirects need one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import pino from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, type Config } from '../../server/config.js';
import { TEST_PASSWORD } from '../helpers/fixtures.js';
import { HttpUserAgent, idTokenFrom, startIdp, type TestIdp } from '../helpers/oidc-provider.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const CLIENT_ID = 'standortplanung';
const CLIENT_SECRET = 'standortplanung-secret-0123456789';
const OTHER_ID = 'other-app';
const OTHER_SECRET = 'other-app-secret-0123456789';
const OTHER_REDIRECT = 'http://127.0.0.1:9/callback';
const ROLE_MAP = 'planner=GG-Soziales-Planung,viewer=GG-Soziales-Leitung,site_editor=GG-Hausverwaltung,admin=GG-IT-Standortplanung';

interface RunningApp {
  t: TestApp;
  url: string;
  logs: string[];
  close: () => Promise<void>;
}

let idp: TestIdp;
let app: RunningApp;
/**
 * A second app, with a login limit of 2. Both listen before the provider starts (it knows their
 * addresses): a port found free but taken only later could meanwhile be taken by another test's
 * server (EADDRINUSE, and a hook that waited for its time limit).
 */
let limited: RunningApp;

/** An HTTP server listening on a port of its own on loopback; the app is attached later. */
async function listening(): Promise<http.Server> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return server;
}
const portOf = (server: http.Server) => (server.address() as AddressInfo).port;

/** The app with single sign-on configured from environment variables, as an operator sets them. */
async function startApp(server: http.Server, env: Record<string, string> = {}, loginLimit?: number): Promise<RunningApp> {
  const url = `http://127.0.0.1:${portOf(server)}`;
  const fromEnv = loadConfig({
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_ROLE_MAP: ROLE_MAP,
    PUBLIC_URL: url,
    OIDC_ALLOW_INSECURE_HTTP: 'true',
    ...env,
  });
  const logs: string[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        logs.push(line);
      },
    },
  );
  const t = await createTestApp({ config: { oidc: fromEnv.oidc, localLogin: fromEnv.localLogin } satisfies Partial<Config>, logger, loginLimit });
  server.on('request', t.app);
  return {
    t,
    url,
    logs,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await t.close();
    },
  };
}

/** A person's whole login: the app's login page, "Mit Dienstkonto anmelden", the provider's form, back. */
async function signIn(login: string, ua = new HttpUserAgent(), opts: { viaLoginPage?: boolean } = {}) {
  let start = `${app.url}/auth/oidc`;
  if (opts.viaLoginPage ?? true) {
    const loginPage = await ua.follow(`${app.url}/`);
    expect(loginPage.url).toBe(`${app.url}/login?next=%2F`);
    const link = /<a[^>]*id="oidc-login"[^>]*href="([^"]+)"/.exec(loginPage.html);
    expect(link, 'the login page links to the single sign-on').not.toBeNull();
    start = new URL(link![1].replace(/&amp;/g, '&'), app.url).href;
  }
  const atProvider = await ua.follow(start);
  expect(atProvider.url.startsWith(idp.issuer)).toBe(true);
  const back = await ua.signInAtProvider(atProvider, login);
  return { ua, ...back };
}

async function sessionOf(ua: HttpUserAgent) {
  const res = await ua.request(`${app.url}/api/session`);
  return { status: res.status, body: (await res.json()) as { user?: { username: string; role: string; display_name: string }; csrfToken?: string } };
}

const sessionRows = async () => Number((await app.t.db('sessions').count<{ n: number }[]>({ n: '*' }))[0].n);

beforeAll(async () => {
  const [appServer, limitedServer] = [await listening(), await listening()];
  const appUrl = `http://127.0.0.1:${portOf(appServer)}`;
  idp = await startIdp([
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [`${appUrl}/auth/oidc/callback`, `http://127.0.0.1:${portOf(limitedServer)}/auth/oidc/callback`],
      post_logout_redirect_uris: [`${appUrl}/login`],
    },
    { client_id: OTHER_ID, client_secret: OTHER_SECRET, redirect_uris: [OTHER_REDIRECT, `${appUrl}/auth/oidc/callback`] },
  ]);
  idp.accounts.set('anna.planer', {
    preferred_username: 'anna.planer',
    name: 'Anna Planer',
    email: 'anna.planer@ulm.example',
    groups: ['GG-Soziales-Planung', 'GG-Alle'],
  });
  idp.accounts.set('lea.leitung', { preferred_username: 'lea.leitung', name: 'Lea Leitung', groups: ['GG-Soziales-Leitung'] });
  idp.accounts.set('hans.haus', { preferred_username: 'hans.haus', name: 'Hans Haus', groups: ['GG-Hausverwaltung'] });
  idp.accounts.set('fritz.fremd', { preferred_username: 'fritz.fremd', name: 'Fritz Fremd', groups: ['GG-Kaemmerei'] });
  idp.accounts.set('planner', { preferred_username: 'planner', name: 'Namensvetter', groups: ['GG-Soziales-Planung'] });
  app = await startApp(appServer);
  limited = await startApp(limitedServer, {}, 2);
});
afterAll(async () => {
  await app?.close();
  await limited?.close();
  await idp?.close();
});

describe('single sign-on with OpenID Connect', () => {
  it('when single sign-on is configured, then the login page offers "Mit Dienstkonto anmelden" next to the password form', async () => {
    const res = await supertest(app.t.app).get('/login?next=%2Fsites');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Mit Dienstkonto anmelden');
    expect(res.text).toContain('href="/auth/oidc?next=%2Fsites"');
    expect(res.text).toContain('name="password"');
  });

  it('when a planner signs in at the provider for the first time, then the user is created with the mapped role and lands on the map as a planner', async () => {
    const before = await sessionRows();
    const ua = new HttpUserAgent();
    // the way to the provider creates no session: the transaction rides in a short-lived cookie
    const start = await ua.request(`${app.url}/auth/oidc`);
    expect(start.status).toBe(303);
    expect(start.headers.get('location')!.startsWith(`${idp.issuer}/auth?`)).toBe(true);
    const location = new URL(start.headers.get('location')!);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(location.searchParams.get('nonce')).toBeTruthy();
    expect(location.searchParams.get('scope')).toBe('openid profile email');
    expect(location.searchParams.get('redirect_uri')).toBe(`${app.url}/auth/oidc/callback`);
    const setCookie = start.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/sp\.oidc=[^;]+; Max-Age=600; Path=\/auth\/oidc; Expires=[^;]+; HttpOnly; SameSite=Lax/);
    expect(setCookie).not.toContain('sp.sid');
    expect(await sessionRows()).toBe(before);

    const done = await signIn('anna.planer', ua);
    expect(done.url).toBe(`${app.url}/`);
    expect(done.res.status).toBe(200);
    expect(done.html).toContain('id="map"');
    expect(done.html).toContain('Anna Planer · Planung');
    expect(ua.cookie(app.url, 'sp.oidc')).toBeUndefined();

    const session = await sessionOf(ua);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ username: 'anna.planer', role: 'planner', display_name: 'Anna Planer' });
    expect(session.body.csrfToken).toBeTruthy();
    const user = await app.t.db('users').where({ username: 'anna.planer' }).first();
    expect(user).toMatchObject({ role: 'planner', oidc_issuer: idp.issuer, oidc_subject: 'anna.planer', password_hash: '!oidc' });
    const audit = await app.t.db('audit_log').where({ entity: 'user', entity_id: user.id }).orderBy('id');
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['create', 'login_oidc']);

    // the same session as after a password login: a planner's write with the CSRF token works
    const write = await ua.request(`${app.url}/api/scenarios`, {
      method: 'POST',
      json: { name: 'SSO-Szenario' },
      headers: { 'x-csrf-token': session.body.csrfToken! },
    });
    expect(write.status).toBe(201);
    const withoutToken = await ua.request(`${app.url}/api/scenarios`, { method: 'POST', json: { name: 'ohne Token' } });
    expect(withoutToken.status).toBe(403);
  });

  it('when a user signs in again, then no second user is created and the audit log says "Anmeldung über Dienstkonto"', async () => {
    // a session the browser had before (say, from the login page) is not the one it gets: a new id
    const ua = new HttpUserAgent();
    await ua.request(`${app.url}/login`);
    const anonymous = ua.cookie(app.url, 'sp.sid');
    await signIn('anna.planer', ua);
    expect(ua.cookie(app.url, 'sp.sid')).toBeTruthy();
    expect(ua.cookie(app.url, 'sp.sid')).not.toBe(anonymous);
    expect(await app.t.db('users').where({ username: 'anna.planer' }).count<{ n: number }[]>({ n: '*' })).toEqual([{ n: 1 }]);
    const admin = await app.t.login('admin');
    const page = await admin.agent.get('/audit?entity=user');
    expect(page.text).toContain('Anmeldung über Dienstkonto');
    // the user list marks the account; it has no password field to reset
    const users = await admin.agent.get('/users');
    const row = /<tr data-user="anna.planer">[\s\S]*?<\/tr>/.exec(users.text)![0];
    expect(row).toContain('Dienstkonto: die Rolle folgt bei jeder Anmeldung den Gruppen');
    expect(row).not.toContain('name="password"');
  });

  it('when the groups change at the provider, then the role follows at the next login, and a site_editor keeps the sites assigned in the tool', async () => {
    const first = await signIn('hans.haus');
    expect((await sessionOf(first.ua)).body.user!.role).toBe('site_editor');
    const hans = await app.t.db('users').where({ username: 'hans.haus' }).first();
    const site = await app.t.db('sites').first('id');
    await app.t.repos.users.setSites(hans.id, [site.id]);

    idp.accounts.get('hans.haus')!.groups = ['GG-Soziales-Leitung'];
    const second = await signIn('hans.haus');
    expect((await sessionOf(second.ua)).body.user!.role).toBe('viewer');
    expect(second.html).toContain('Hans Haus · Leitung (nur lesen)');

    idp.accounts.get('hans.haus')!.groups = ['GG-Hausverwaltung', 'GG-Soziales-Leitung'];
    const third = await signIn('hans.haus');
    expect((await sessionOf(third.ua)).body.user!.role).toBe('site_editor');
    expect(await app.t.repos.users.siteIds(hans.id)).toEqual([site.id]);
    const changes = await app.t.db('audit_log').where({ entity: 'user', entity_id: hans.id, action: 'update' }).orderBy('id');
    expect(changes.map((c: { before: string; after: string }) => [JSON.parse(c.before).role, JSON.parse(c.after).role])).toEqual([
      ['site_editor', 'viewer'],
      ['viewer', 'site_editor'],
    ]);
  });

  it('when someone is in no mapped group, then they are refused with a clear page, and neither a user nor a session is created', async () => {
    const before = await sessionRows();
    // straight to the sign-on (the login page itself is not this test's subject)
    const done = await signIn('fritz.fremd', new HttpUserAgent(), { viaLoginPage: false });
    expect(done.url).toMatch(/\/auth\/oidc\/callback\?/);
    expect(done.res.status).toBe(403);
    expect(done.html).toContain('Anmeldung nicht möglich');
    expect(done.html).toContain('Ihr Dienstkonto gehört zu keiner Gruppe, die die Standortplanung nutzen darf.');
    expect(await app.t.db('users').where({ username: 'fritz.fremd' }).first()).toBeUndefined();
    expect(await sessionRows()).toBe(before);
    expect((await sessionOf(done.ua)).status).toBe(401);
  });

  it('when a known user is removed from every mapped group, then the next login is refused and the account keeps its last role', async () => {
    await signIn('lea.leitung');
    idp.accounts.get('lea.leitung')!.groups = [];
    const refused = await signIn('lea.leitung');
    expect(refused.res.status).toBe(403);
    expect((await sessionOf(refused.ua)).status).toBe(401);
    idp.accounts.get('lea.leitung')!.groups = ['GG-Soziales-Leitung'];
  });

  it('when an admin deactivated the account in the tool, then signing in at the provider does not revive it', async () => {
    const lea = await app.t.db('users').where({ username: 'lea.leitung' }).first();
    await app.t.db('users').where({ id: lea.id }).update({ active: false });
    const refused = await signIn('lea.leitung');
    expect(refused.res.status).toBe(403);
    expect(refused.html).toContain('Ihr Zugang zur Standortplanung ist deaktiviert.');
    await app.t.db('users').where({ id: lea.id }).update({ active: true });
  });

  it("when the provider's username belongs to a local account, then it is not taken over", async () => {
    const refused = await signIn('planner');
    expect(refused.res.status).toBe(409);
    expect(refused.html).toContain('Der Benutzername „planner“ ist in der Standortplanung schon an ein anderes Konto vergeben.');
    const local = await app.t.db('users').where({ username: 'planner' }).first();
    expect(local.oidc_subject).toBeNull();
    // and the local planner still logs in with the password
    await app.t.login('planner');
  });

  it('when the token endpoint hands over an ID token issued to another client (wrong audience), then the login is refused', async () => {
    const foreign = await idTokenFrom(idp, OTHER_ID, OTHER_SECRET, OTHER_REDIRECT, 'anna.planer', client.randomNonce());
    expect(JSON.parse(Buffer.from(foreign.split('.')[1], 'base64url').toString()).aud).toBe(OTHER_ID);
    idp.substituteNextIdToken(foreign);
    const before = await sessionRows();
    const refused = await signIn('anna.planer', new HttpUserAgent(), { viaLoginPage: false });
    expect(refused.res.status).toBe(401);
    expect(refused.html).toContain('Die Antwort des Anmeldedienstes ließ sich nicht bestätigen.');
    expect((await sessionOf(refused.ua)).status).toBe(401);
    expect(await sessionRows()).toBe(before);
    expect(app.logs.filter((l) => l.includes('single sign-on refused')).at(-1)).toMatch(
      /OIDC_INVALID.*unexpected JWT .{0,4}aud.{0,4} \(audience\) claim value/,
    );
  });

  it("when the ID token carries another login's nonce (a replayed token), then the login is refused", async () => {
    const replayed = await idTokenFrom(idp, CLIENT_ID, CLIENT_SECRET, `${app.url}/auth/oidc/callback`, 'anna.planer', 'nonce-of-an-earlier-login');
    idp.substituteNextIdToken(replayed);
    const refused = await signIn('anna.planer');
    expect(refused.res.status).toBe(401);
    expect((await sessionOf(refused.ua)).status).toBe(401);
    expect(app.logs.filter((l) => l.includes('single sign-on refused')).at(-1)).toMatch(/OIDC_INVALID.*unexpected ID Token .{0,4}nonce.{0,4} claim value/);
  });

  it("when the callback is opened in another browser (login CSRF) or with another login's state, then it is refused", async () => {
    const victim = new HttpUserAgent();
    const attacker = new HttpUserAgent();
    // the attacker gets a valid callback URL for their own account…
    const atProvider = await attacker.follow(`${app.url}/auth/oidc`);
    const callback = await attacker.signInAtProvider(atProvider, 'anna.planer', `${app.url}/auth/oidc/callback`);
    expect(callback.url.startsWith(`${app.url}/auth/oidc/callback?code=`)).toBe(true);
    // …the victim's browser has no transaction for it
    const noTransaction = await victim.follow(callback.url);
    expect(noTransaction.res.status).toBe(400);
    expect(noTransaction.html).toContain('Bitte melden Sie sich erneut an.');
    // …or has one of its own, with another state
    await victim.request(`${app.url}/auth/oidc`);
    const otherState = await victim.follow(callback.url);
    expect(otherState.res.status).toBe(401);
    expect(app.logs.filter((l) => l.includes('single sign-on refused')).at(-1)).toMatch(/state/);
    expect((await sessionOf(victim)).status).toBe(401);
  });

  it('when a completed callback is replayed with its state cookie, then it is refused with 400 and no second session starts', async () => {
    const ua = new HttpUserAgent();
    const atProvider = await ua.follow(`${app.url}/auth/oidc`);
    const sealed = ua.cookie(app.url, 'sp.oidc');
    expect(sealed).toBeTruthy();
    const callback = await ua.signInAtProvider(atProvider, 'anna.planer', `${app.url}/auth/oidc/callback`);
    const first = await fetch(callback.url, { headers: { cookie: `sp.oidc=${sealed}` }, redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('set-cookie')).toContain('sp.sid=');
    const replay = await fetch(callback.url, { headers: { cookie: `sp.oidc=${sealed}` }, redirect: 'manual' });
    expect(replay.status).toBe(400);
    expect(replay.headers.get('set-cookie') ?? '').not.toContain('sp.sid=');
    expect(app.logs.filter((l) => l.includes('single sign-on refused')).at(-1)).toMatch(/replayed/);
  });

  it('when the user cancels at the provider, then a page says so', async () => {
    const ua = new HttpUserAgent();
    const start = await ua.request(`${app.url}/auth/oidc`);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const cancelled = await ua.follow(`${app.url}/auth/oidc/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(idp.issuer)}`);
    expect(cancelled.res.status).toBe(401);
    expect(cancelled.html).toContain('Die Anmeldung beim Anmeldedienst wurde abgebrochen oder abgelehnt.');
  });

  it('when a user from single sign-on logs out, then the local session ends and the provider ends its session too, then back to the login page', async () => {
    const { ua } = await signIn('anna.planer');
    const { csrfToken } = (await sessionOf(ua)).body;
    const logout = await ua.request(`${app.url}/logout`, { method: 'POST', form: { _csrf: csrfToken! } });
    expect(logout.status).toBe(303);
    const endSession = new URL(logout.headers.get('location')!);
    expect(endSession.origin + endSession.pathname).toBe(`${idp.issuer}/session/end`);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${app.url}/login`);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect((await sessionOf(ua)).status).toBe(401);
    // the provider asks to confirm, then sends the browser back
    const confirm = await ua.follow(endSession.href);
    const form = /<form[^>]*action="([^"]+)"/.exec(confirm.html)!;
    const fields: Record<string, string> = { logout: 'yes' };
    for (const m of confirm.html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]] = m[2];
    const back = await ua.follow(new URL(form[1], confirm.url).href, { method: 'POST', form: fields });
    expect(back.url).toBe(`${app.url}/login`);
    // the provider's session is gone: the next sign-in asks for the login again
    const again = await ua.follow(`${app.url}/auth/oidc`);
    expect(again.html).toContain('name="login"');
  });

  it("when a user from single sign-on logs out through the API, then the answer names the provider's end-session URL", async () => {
    const { ua } = await signIn('anna.planer');
    const { csrfToken } = (await sessionOf(ua)).body;
    const res = await ua.request(`${app.url}/api/logout`, { method: 'POST', headers: { 'x-csrf-token': csrfToken ?? '' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; endSessionUrl?: string };
    expect(body.ok).toBe(true);
    expect(body.endSessionUrl?.startsWith(`${idp.issuer}/session/end?`)).toBe(true);
    expect((await sessionOf(ua)).status).toBe(401);
    // a password login's logout names none
    const { agent, csrf } = await app.t.login('planner');
    expect((await agent.post('/api/logout').set('x-csrf-token', csrf)).body).toEqual({ ok: true });
  });

  it('when an account from single sign-on tries a password, then it has none that works', async () => {
    for (const password of ['!oidc', TEST_PASSWORD, '']) {
      const res = await supertest(app.t.app).post('/api/login').send({ username: 'anna.planer', password });
      expect(res.status).not.toBe(200);
    }
    const { ua } = await signIn('anna.planer');
    const account = await ua.follow(`${app.url}/account`);
    expect(account.html).toContain('ein eigenes Passwort für die Standortplanung gibt es dafür nicht');
    expect(account.html).not.toContain('name="current_password"');
  });
});

describe('failed sign-ins per address', () => {
  it('when callbacks fail again and again from one address, then 429 follows, and successful logins do not count', async () => {
    const main = app;
    app = limited;
    try {
      for (let i = 0; i < 3; i += 1) expect((await signIn('anna.planer')).url).toBe(`${limited.url}/`);
      // a successful sign-in gives its attempt back just after its answer went out: once that has landed, none counts
      await vi.waitFor(
        async () => {
          const rows: { hits: number | string }[] = await limited.t.db('rate_limits').where('rkey', 'like', 'oidc:%').select('hits');
          expect(rows.reduce((n, r) => n + Number(r.hits), 0)).toBe(0);
        },
        { timeout: 10_000, interval: 20 },
      );
      for (const expected of [400, 400, 429]) {
        const res = await new HttpUserAgent().request(`${limited.url}/auth/oidc/callback?code=forged&state=forged`);
        expect(res.status).toBe(expected);
      }
    } finally {
      app = main;
    }
  });
});

describe('LOCAL_LOGIN=false', () => {
  let strict: RunningApp;
  beforeAll(async () => {
    strict = await startApp(await listening(), { LOCAL_LOGIN: 'false' });
  });
  afterAll(async () => {
    await strict?.close();
  });

  it('when passwords are off, then the login page shows only "Mit Dienstkonto anmelden"', async () => {
    const res = await supertest(strict.t.app).get('/login');
    expect(res.text).toContain('Mit Dienstkonto anmelden');
    expect(res.text).not.toContain('name="password"');
    // the setup admin's form is at /login?local=1
    const local = await supertest(strict.t.app).get('/login?local=1');
    expect(local.text).toContain('name="password"');
  });

  it('when passwords are off, then a local planner cannot log in and the setup admin still can', async () => {
    const planner = await supertest(strict.t.app).post('/api/login').send({ username: 'planner', password: TEST_PASSWORD });
    expect(planner.status).toBe(401);
    expect(planner.body.error.code).toBe('INVALID_CREDENTIALS');
    const admin = await supertest(strict.t.app).post('/api/login').send({ username: 'admin', password: TEST_PASSWORD });
    expect(admin.status).toBe(200);
  });
});

describe('behind https', () => {
  it('when PUBLIC_URL is https, then the transaction cookie is Secure even if the proxy does not say so', async () => {
    const { oidc } = loadConfig({
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_ROLE_MAP: ROLE_MAP,
      PUBLIC_URL: 'https://standorte.ulm.example',
      OIDC_ALLOW_INSECURE_HTTP: 'true',
    });
    const t = await createTestApp({ config: { oidc } });
    try {
      const res = await supertest(t.app).get('/auth/oidc');
      expect(res.status).toBe(303);
      expect(new URL(res.headers.location).searchParams.get('redirect_uri')).toBe('https://standorte.ulm.example/auth/oidc/callback');
      expect(String(res.headers['set-cookie'])).toMatch(/^sp\.oidc=.*; Secure; SameSite=Lax$/);
      await t.login('planner'); // (lets the session store finish its start before the database closes)
    } finally {
      await t.close();
    }
  });
});

describe('without single sign-on', () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await createTestApp();
  });
  afterAll(async () => {
    await plain?.close();
  });

  it('when no OIDC variables are set, then the login page and local logins are as before and /auth/oidc does not exist', async () => {
    const page = await supertest(plain.app).get('/login');
    expect(page.text).not.toContain('Dienstkonto');
    expect(page.text).toContain('name="password"');
    const { agent } = await plain.login('planner');
    expect((await agent.get('/auth/oidc')).status).toBe(404);
    expect((await supertest(plain.app).get('/auth/oidc')).headers.location).toBe('/login?next=%2Fauth%2Foidc');
  });
});
