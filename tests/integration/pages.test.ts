import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import supertest from 'supertest';
import { EDITOR_SITE_NAME, type TestUser } from '../helpers/fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
const sessions = {} as Record<TestUser, { agent: TestAgent; csrf: string }>;
beforeAll(async () => {
  t = await createTestApp();
  for (const u of ['admin', 'planner', 'editor', 'viewer'] as const) sessions[u] = await t.login(u);
});
afterAll(async () => {
  await t.close();
});

const api = async (url: string) => (await sessions.admin.agent.get(url)).body;
const siteId = async (name: string) => ((await api('/api/sites')) as { id: number; name: string }[]).find((s) => s.name === name)!.id;
const form = (user: TestUser, url: string, fields: Record<string, string | string[]>) =>
  sessions[user].agent
    .post(url)
    .type('form')
    .send({ _csrf: sessions[user].csrf, ...fields });
/** A JSON write to the API as the user, with its CSRF header. */
const send = (user: TestUser, method: 'post' | 'patch', url: string, body: object) =>
  sessions[user].agent[method](url).set('X-CSRF-Token', sessions[user].csrf).send(body);

/** Logs in through the login form (as a browser does) and returns the response of the POST. */
async function formLogin(username: string, password: string) {
  const agent = supertest.agent(t.app);
  const page = await agent.get('/login');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const res = await agent.post('/login').type('form').send({ _csrf: csrf, username, password, next: '/' });
  return { agent, res };
}

describe('"Neuer Benutzer"', () => {
  it('when the admin creates a user with the form as shown (active box ticked by default), then the user is active and can log in', async () => {
    const page = await sessions.admin.agent.get('/users');
    expect(page.text).toMatch(/<input[^>]*id="f-active"[^>]*checked/);
    const res = await form('admin', '/users', {
      username: 'neu.aktiv',
      password: 'ein-langes-passwort',
      role: 'viewer',
      lang: 'de',
      active: 'on',
      active_shown: '1',
    });
    expect(res.status).toBe(303);
    expect((await api('/api/users')).find((u: { username: string }) => u.username === 'neu.aktiv').active).toBe(true);
    const { res: login } = await formLogin('neu.aktiv', 'ein-langes-passwort');
    expect(login.status).toBe(303);
  });

  it('when the form is sent without any "active" field, then the new user is active (a missing box is not "unticked")', async () => {
    const res = await form('admin', '/users', { username: 'neu.ohne', password: 'ein-langes-passwort', role: 'viewer', lang: 'de' });
    expect(res.status).toBe(303);
    expect((await api('/api/users')).find((u: { username: string }) => u.username === 'neu.ohne').active).toBe(true);
  });

  it('when the admin unticks "aktiv", then the user is saved inactive and their login says the account is deactivated', async () => {
    const res = await form('admin', '/users', { username: 'neu.inaktiv', password: 'ein-langes-passwort', role: 'viewer', lang: 'de', active_shown: '1' });
    expect(res.status).toBe(303);
    expect((await api('/api/users')).find((u: { username: string }) => u.username === 'neu.inaktiv').active).toBe(false);
    const { res: login } = await formLogin('neu.inaktiv', 'ein-langes-passwort');
    expect(login.status).toBe(401);
    expect(login.text).toContain('Ihr Konto ist deaktiviert');
    // a wrong password does not reveal that the account exists
    const { res: wrong } = await formLogin('neu.inaktiv', 'falsches-passwort');
    expect(wrong.text).toContain('Benutzername oder Passwort ist falsch.');
    expect(wrong.text).not.toContain('deaktiviert');
  });
});

describe('pages tell the user what is wrong, in German', () => {
  it('when a role may not open a page, then the 403 page says so in German without raw codes', async () => {
    const res = await sessions.viewer.agent.get('/users');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Dafür fehlt Ihnen die Berechtigung.');
    expect(res.text).not.toContain('FORBIDDEN');
    const missing = await sessions.viewer.agent.get('/nirgendwo');
    expect(missing.status).toBe(404);
    expect(missing.text).not.toContain('NOT_FOUND');
  });

  it('when an address names no page (a word or a typo where an id goes), then the page is not found (404), as for an id that does not exist', async () => {
    const notFound = await sessions.planner.agent.get('/scenarios/999999');
    expect(notFound.status).toBe(404);
    for (const url of ['/scenarios/new', '/sites/abc', '/teams/1x', '/moves/abc/edit', '/floors/neu/edit', '/projects/0']) {
      const res = await sessions.planner.agent.get(url);
      expect(res.status, url).toBe(404);
      expect(res.text, url).toContain('<h1');
      expect(res.text, url).not.toContain('VALIDATION_FAILED');
    }
    // the pages that are words stay where they are
    for (const url of ['/sites/new', '/moves/new', '/projects/new', '/teams/new']) expect((await sessions.planner.agent.get(url)).status, url).toBe(200);
  });

  it('when a number is out of range, then the message states the range; an error summary links to the fields', async () => {
    const id = await siteId(EDITOR_SITE_NAME);
    const site = await api(`/api/sites/${id}`);
    const res = await form('editor', `/sites/${id}/edit`, {
      version: String(site.version),
      name: site.name,
      lat: '48.4',
      lon: '9.99',
      capacity: '-1',
      door_width_cm: '-3',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="f-capacity-err"[^>]*>[^<]*mindestens 0, höchstens 100\.000/);
    expect(res.text).toMatch(/id="f-door_width_cm-err"[^>]*>[^<]*mindestens 1, höchstens 999/);
    expect(res.text).toMatch(/<div[^>]*class="[^"]*error-summary[^"]*"[^>]*>[\s\S]*href="#f-capacity"/);
    // the API keeps its English message with the range
    const apiRes = await send('editor', 'patch', `/api/sites/${id}`, { capacity: -1, version: site.version });
    expect(apiRes.status).toBe(400);
    expect(apiRes.body.error.fields.capacity).toMatch(/at least 0, at most 100,000/);
  });

  it('when a filter of the moves list leaves one move, then the count says „1 Umzug“, not „1 Umzüge“', async () => {
    const site = await send('planner', 'post', '/api/sites', { name: 'Ein-Umzug-Haus', lat: 48.4, lon: 9.99, capacity: 10 });
    const unit = ((await api('/api/units')) as { id: number }[])[0].id;
    const count = async () => /<p class="muted" id="move-count">([^<]*)/.exec((await sessions.viewer.agent.get(`/moves?site_id=${site.body.id}`)).text)![1];
    expect(await count()).toBe('0 Umzüge');
    expect(
      (await send('planner', 'post', '/api/moves', { unit_id: unit, to_site_id: site.body.id, headcount: 2, date: '2027-01-01', status: 'proposed' })).status,
    ).toBe(201);
    expect(await count()).toBe('1 Umzug');
  });

  it('when people are planned into a building on offer before it is on offer, then the map shows it without „Angebotene Gebäude zeigen“ (the warning names it, the map must too)', async () => {
    const offer = await send('planner', 'post', '/api/sites', {
      name: 'Zu früh bezogen',
      lat: 48.4,
      lon: 9.99,
      capacity: 20,
      status: 'candidate',
      available_from: '2028-01-01',
    });
    expect(offer.status).toBe(201);
    const unit = ((await api('/api/units')) as { id: number }[])[0].id;
    const shown = async () =>
      ((await sessions.viewer.agent.get('/api/sites.geojson?date=2027-06-01')).body.features as { id: number }[]).some((f) => f.id === offer.body.id);
    expect(await shown()).toBe(false);
    expect(
      (await send('planner', 'post', '/api/moves', { unit_id: unit, to_site_id: offer.body.id, headcount: 3, date: '2027-03-01', status: 'approved' })).status,
    ).toBe(201);
    expect(await shown()).toBe(true);
  });

  it('when the site list is sorted by name, then umlauts sort as German readers expect („Käßbohrerstraße“ before „Kornhausplatz“)', async () => {
    const page = (await sessions.viewer.agent.get('/sites?sort=name')).text;
    const k = page.indexOf('Käßbohrerstraße');
    expect(k).toBeGreaterThan(0);
    expect(k).toBeLessThan(page.indexOf('Kornhausplatz 4/6'));
  });

  it("when a site form is refused for its „Angeboten ab“, then the summary names the field by its label, and the site page's history says what happened in words", async () => {
    const id = await siteId(EDITOR_SITE_NAME);
    const site = await api(`/api/sites/${id}`);
    const res = await form('planner', `/sites/${id}/edit`, {
      version: String(site.version),
      name: site.name,
      capacity: String(site.capacity),
      status: site.status,
      available_from: '0202-01-01',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<li><a href="#f-available_from">Angeboten ab: /);
    expect(res.text).not.toContain('>available_from:');
    // „Daten geprüft“: the site's history says so in words (it said „verify“)
    const now = await api(`/api/sites/${id}`);
    expect((await form('editor', `/sites/${id}/verify`, { version: String(now.version) })).status).toBe(303);
    const history = (await sessions.viewer.agent.get(`/sites/${id}`)).text;
    const i = history.indexOf('Historie der Änderungen');
    expect(i).toBeGreaterThan(0);
    const section = history.slice(i, history.indexOf('</section>', i));
    expect(section).toContain(' · als geprüft bestätigt</li>');
    expect(section).not.toMatch(/ · (update|create|verify)</);
  });

  it('when a site is over capacity, then its page says how many places are missing (not „-3 frei“)', async () => {
    const id = await siteId('Moltkestraße 20');
    const page = (await sessions.viewer.agent.get(`/sites/${id}?date=2021-03-01`)).text;
    expect(page).toMatch(/<span class="est" title="geschätzt">≈<\/span>3 fehlen ·/);
    expect(page).not.toMatch(/-\d+ frei/);
    // the workplace standard's minimum area rests on the same estimate
    expect(page).toMatch(/id="asr-note">ASR A1\.2: mindestens ≈[\d.]+ m² für ≈\d+ Arbeitsplätze/);
  });

  it('when a building on offer is opened, then its page says from when and how many places it offers (not only „angeboten“)', async () => {
    const offer = ((await api('/api/sites')) as { id: number; status: string; capacity: number }[]).find((x) => x.status === 'candidate')!;
    const page = (await sessions.viewer.agent.get(`/sites/${offer.id}`)).text;
    expect(page).toMatch(
      new RegExp(
        `<p class="muted" id="available-from">Angeboten ab: [\\d.]+ · angebotene Arbeitsplätze: (<span class="est"[^>]*>≈</span>)?${offer.capacity}</p>`,
      ),
    );
  });

  it('when a building on offer is listed or drawn, then the places it offers are shown, not the 0 of a building not taken up', async () => {
    const offer = ((await api('/api/sites')) as { id: number; name: string; status: string; capacity: number }[]).find((x) => x.status === 'candidate')!;
    const list = (await sessions.viewer.agent.get('/sites?date=2026-12-01')).text;
    const row = list.slice(list.indexOf(`<tr data-site-id="${offer.id}">`));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(
      new RegExp(`<td class="num">(<span class="est"[^>]*>≈</span>)?${offer.capacity}<br><small class="muted">angebotene Arbeitsplätze</small></td>`),
    );
    // sorted by capacity, it stands among the others by the places it shows
    const sorted = (await sessions.viewer.agent.get('/sites?date=2026-12-01&sort=capacity&dir=asc')).text;
    const shown = [
      ...sorted.matchAll(/<tr data-site-id="\d+">[\s\S]*?<\/td>\s*<td>[^<]*<\/td>\s*<td class="num">(?:<span class="est"[^>]*>≈<\/span>)?([\d.]+)?/g),
    ]
      .map((m) => m[1])
      .filter((x): x is string => x !== undefined)
      .map((x) => Number(x.replace(/\./g, '')));
    expect(shown).toContain(offer.capacity);
    expect(shown).toEqual([...shown].sort((x, y) => x - y));
    const geo = (await sessions.viewer.agent.get('/api/sites.geojson?candidates=1&date=2026-12-01')).body as {
      features: { id: number; properties: { capacity: number; offer: { capacity: number; from: string | null } | null } }[];
    };
    const feature = geo.features.find((f) => f.id === offer.id)!;
    expect(feature.properties.capacity).toBe(0);
    expect(feature.properties.offer).toMatchObject({ capacity: offer.capacity });
    // a site in use offers nothing beyond its state
    expect(geo.features.find((f) => f.id !== offer.id && f.properties.capacity > 0)!.properties.offer).toBeNull();
  });

  it('when management opens „Meine Standorte“, then 403: it keeps no sites current, and gets no list of buttons it may not use', async () => {
    const res = await sessions.viewer.agent.get('/my-sites');
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('/verify');
    expect((await sessions.editor.agent.get('/my-sites')).status).toBe(200);
    expect((await sessions.planner.agent.get('/my-sites')).status).toBe(200);
  });

  it('when a site editor opens their site form, then it shows the effective capacity today and the events that set it', async () => {
    const id = await siteId(EDITOR_SITE_NAME);
    const c = await send('planner', 'post', `/api/sites/${id}/events`, { kind: 'capacity', date: '2020-01-01', capacity: 33, note: 'Umbau 2020' });
    expect(c.status).toBe(201);
    const res = await sessions.editor.agent.get(`/sites/${id}/edit`);
    expect(res.text).toContain('id="effective-capacity"');
    expect(res.text).toMatch(/id="effective-capacity"[\s\S]*33[\s\S]*01\.01\.2020/);
  });

  it('when a site opened before today and no event changes its capacity, then its form says the value it has holds for every day, backwards too, and lists no event as setting it', async () => {
    const site = await send('planner', 'post', '/api/sites', { name: 'Grundwert-Haus', lat: 48.4, lon: 9.99, capacity: 52 });
    expect(site.status).toBe(201);
    expect((await send('planner', 'post', `/api/sites/${site.body.id}/events`, { kind: 'opening', date: '2018-04-01' })).status).toBe(201);
    const box = /id="effective-capacity">([\s\S]*?)<\/div>/.exec((await sessions.planner.agent.get(`/sites/${site.body.id}/edit`)).text)![1];
    expect(box).not.toContain('Festgelegt durch');
    expect(box).not.toContain('Eröffnung');
    expect(box).toContain('gilt für alle Tage, auch rückwirkend');
    expect(box).toContain('als Ereignis „Kapazitätsänderung“');
  });

  it('when a site form is opened, then its position is written as the page writes numbers (48,39… in German, 48.39… in English), and either sent back unchanged keeps the position', async () => {
    const id = await siteId(EDITOR_SITE_NAME);
    const site = await api(`/api/sites/${id}`);
    const valueOf = (html: string, name: string) => new RegExp(`<input id="f-${name}" name="${name}" type="text" value="([^"]*)"`).exec(html)?.[1];
    const de = (await sessions.editor.agent.get(`/sites/${id}/edit`)).text;
    expect(valueOf(de, 'lat')).toBe(String(site.lat).replace('.', ','));
    expect(valueOf(de, 'lon')).toBe(String(site.lon).replace('.', ','));
    const en = (await sessions.editor.agent.get(`/sites/${id}/edit?lang=en`)).text;
    expect(valueOf(en, 'lat')).toBe(String(site.lat));
    for (const [lang, html] of [
      ['de', de],
      ['en', en],
    ] as const) {
      const now = await api(`/api/sites/${id}`);
      const fields = {
        version: String(now.version),
        name: now.name,
        lat: valueOf(html, 'lat')!,
        lon: valueOf(html, 'lon')!,
        capacity: String(now.capacity),
        status: now.status,
      };
      const res = await form('editor', `/sites/${id}/edit?lang=${lang}`, fields);
      expect(res.status, lang).toBe(303);
      expect(await api(`/api/sites/${id}`), lang).toMatchObject({ lat: site.lat, lon: site.lon, position_source: site.position_source });
    }
    // moved (a click on the small map): the old position's source note no longer describes it
    expect(site.position_source).toBeTruthy();
    const now = await api(`/api/sites/${id}`);
    const moved = await form('editor', `/sites/${id}/edit`, {
      version: String(now.version),
      name: now.name,
      lat: '48,401234',
      lon: valueOf(de, 'lon')!,
      capacity: String(now.capacity),
      status: now.status,
    });
    expect(moved.status).toBe(303);
    expect(await api(`/api/sites/${id}`)).toMatchObject({ lat: 48.401234, position_source: null });
    await sessions.editor.agent.get('/sites?lang=de');
  });

  it("when coordinates lie far outside the city's districts, then the form asks for confirmation before saving; confirmed, it saves", async () => {
    const id = await siteId(EDITOR_SITE_NAME);
    const site = await api(`/api/sites/${id}`);
    const fields = { version: String(site.version), name: site.name, lat: '52.52', lon: '13.405', capacity: String(site.capacity), status: site.status };
    const res = await form('editor', `/sites/${id}/edit`, fields);
    expect(res.status).toBe(422);
    expect(res.text).toContain('name="confirm_far"');
    expect((await api(`/api/sites/${id}`)).lat).toBe(site.lat);
    const ok = await form('editor', `/sites/${id}/edit`, { ...fields, confirm_far: '1' });
    expect(ok.status).toBe(303);
    expect((await api(`/api/sites/${id}`)).lat).toBe(52.52);
    // back to where it was (other tests use the site)
    const now = await api(`/api/sites/${id}`);
    await send('planner', 'patch', `/api/sites/${id}`, { lat: site.lat, lon: site.lon, version: now.version });
  });

  it("when a site page is opened, then the paper's verdict on the site is quoted once, beside the figures, with its source", async () => {
    const sites = (await api('/api/sites')) as { id: number; name: string; assessment: string | null; assessment_source: string | null }[];
    const site = sites.find((s) => s.assessment && s.assessment_source)!;
    const page = (await sessions.viewer.agent.get(`/sites/${site.id}`)).text;
    const escaped = (x: string) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
    expect(page.split(escaped(site.assessment!)).length - 1).toBe(1);
    expect(page).toMatch(new RegExp(`id="site-assessment"[^]*${escaped(site.assessment_source!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('when a site_editor logs in, then they land on "Meine Standorte"', async () => {
    const { res } = await formLogin('editor', 'test-password-1');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/my-sites');
  });
});

describe('what the city must publish', () => {
  it('when nobody is logged in, then the accessibility statement names the conformance status, known gaps, the feedback contact and the enforcement body', async () => {
    const config = t.ctx.config as { accessibilityContact: string | null; privacyContact: string | null; auditRetentionDays: number };
    const saved = { ...config };
    Object.assign(config, { accessibilityContact: 'barrierefreiheit@ulm.example', privacyContact: 'datenschutz@ulm.example', auditRetentionDays: 90 });
    const c = t;
    try {
      const res = await supertest(c.app).get('/barrierefreiheit');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Erklärung zur Barrierefreiheit');
      expect(res.text).toMatch(/id="conformance"[^>]*>[^<]*teilweise vereinbar/);
      expect(res.text).toMatch(/id="known-gaps"/);
      expect(res.text).toContain('href="mailto:barrierefreiheit@ulm.example"');
      expect(res.text).toMatch(/id="enforcement"[^>]*>[^<]*Ombudsstelle[^<]*Schlichtungsstelle nach § 16/);
      const privacy = await supertest(c.app).get('/datenschutz');
      expect(privacy.status).toBe(200);
      expect(privacy.text).toContain('zusammengefasste Kopfzahlen');
      expect(privacy.text).toMatch(/id="retention"[^>]*>[^<]*nach 90 Tagen/);
      expect(privacy.text).toContain('href="mailto:datenschutz@ulm.example"');
      // no session is created for an anonymous visitor
      expect(res.headers['set-cookie']).toBeUndefined();
    } finally {
      Object.assign(config, saved);
    }
  });

  it('every page links the accessibility statement and the privacy page in its footer', async () => {
    for (const url of ['/', '/sites', '/users']) {
      const res = await sessions.admin.agent.get(url);
      expect(res.text).toMatch(/<footer[\s\S]*href="\/barrierefreiheit"[\s\S]*href="\/datenschutz"/);
    }
    const login = await supertest(t.app).get('/login');
    expect(login.text).toMatch(/<footer[\s\S]*href="\/barrierefreiheit"/);
  });

  it('when AUDIT_RETENTION_DAYS is set, then older audit entries and login-attempt counters are pruned and the pruning is recorded', async () => {
    const { RetentionService } = await import('../../server/services/retention.js');
    const now = new Date('2026-11-24T12:00:00Z');
    const old = new Date(now.getTime() - 40 * 86400_000);
    await t
      .db('audit_log')
      .insert({ at: old.toISOString(), user_id: null, username: 'alt', action: 'update', entity: 'site', entity_id: 1, before: null, after: null });
    await t.db('audit_log').insert({
      at: new Date(now.getTime() - 5 * 86400_000).toISOString(),
      user_id: null,
      username: 'neu',
      action: 'update',
      entity: 'site',
      entity_id: 1,
      before: null,
      after: null,
    });
    await t.db('rate_limits').insert({ rkey: 'old|x', hits: 3, reset_at: old.getTime() });
    await t.db('rate_limits').insert({ rkey: 'new|x', hits: 3, reset_at: now.getTime() + 60_000 });
    const r = await new RetentionService(t.repos.audit, t.repos.rateLimits, 30).prune(now);
    expect(r!.audit).toBeGreaterThanOrEqual(1);
    expect(Number((await t.db('audit_log').where({ username: 'alt' }).count({ n: '*' }).first())!.n)).toBe(0);
    expect(Number((await t.db('audit_log').where({ username: 'neu' }).count({ n: '*' }).first())!.n)).toBe(1);
    const keys = (await t.db('rate_limits').select('rkey')).map((x: { rkey: string }) => x.rkey);
    expect(keys).toContain('new|x');
    expect(keys).not.toContain('old|x');
    expect(await t.db('audit_log').where({ action: 'prune' }).first()).toBeTruthy();
    // 0 keeps everything
    expect(await new RetentionService(t.repos.audit, t.repos.rateLimits, 0).prune(now)).toBeNull();
  });
});
