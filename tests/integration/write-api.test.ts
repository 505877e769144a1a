import fc from 'fast-check';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { EDITOR_SITE_NAME, TEST_USERS, type TestUser } from '../helpers/fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
const agents = {} as Record<TestUser, { agent: TestAgent; csrf: string }>;
beforeAll(async () => {
  t = await createTestApp();
  for (const u of TEST_USERS) agents[u] = await t.login(u);
});
afterAll(async () => {
  await t.close();
});

type Method = 'post' | 'patch' | 'delete';
const call = (user: TestUser, method: Method, url: string, body?: unknown) => {
  const { agent, csrf } = agents[user];
  const req = agent[method](url).set('X-CSRF-Token', csrf);
  return body === undefined ? req : req.send(body as object);
};
const admin = (method: Method, url: string, body?: unknown) => call('admin', method, url, body);
const get = async (url: string) => (await agents.admin.agent.get(url)).body;

let seq = 0;
const uniq = (p: string) => `${p} ${++seq}`;
const sites = async () => (await get('/api/sites')) as { id: number; name: string; version: number }[];
const siteByName = async (n: string) => (await sites()).find((s) => s.name === n)!;
const aUnit = async () => ((await get('/api/units')) as { id: number; name: string; team_id: number }[])[0];
async function newSite(capacity = 10) {
  const r = await admin('post', '/api/sites', { name: uniq('Testhaus'), lat: 48.4, lon: 9.99, capacity });
  expect(r.status).toBe(201);
  return r.body as { id: number; version: number };
}
async function newMove(body: Record<string, unknown>) {
  const r = await admin('post', '/api/moves', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: number; version: number; status: string };
}

describe('authorization: every write route × every role', () => {
  type Case = { name: string; allowed: TestUser[]; make: () => Promise<{ method: Method; url: string; body?: unknown }> };
  const planners: TestUser[] = ['admin', 'planner'];
  const cases: Case[] = [
    { name: 'POST /api/districts', allowed: planners, make: async () => ({ method: 'post', url: '/api/districts', body: { name: uniq('Bezirk') } }) },
    {
      name: 'PATCH /api/districts/:id',
      allowed: planners,
      make: async () => {
        const d = (await admin('post', '/api/districts', { name: uniq('B') })).body;
        return { method: 'patch', url: `/api/districts/${d.id}`, body: { name: uniq('B2'), version: d.version } };
      },
    },
    {
      name: 'DELETE /api/districts/:id',
      allowed: planners,
      make: async () => {
        const d = (await admin('post', '/api/districts', { name: uniq('B') })).body;
        return { method: 'delete', url: `/api/districts/${d.id}` };
      },
    },
    { name: 'POST /api/teams', allowed: planners, make: async () => ({ method: 'post', url: '/api/teams', body: { name: uniq('Team'), kind: 'central' } }) },
    {
      name: 'PATCH /api/teams/:id',
      allowed: planners,
      make: async () => {
        const x = (await admin('post', '/api/teams', { name: uniq('T'), kind: 'central' })).body;
        return { method: 'patch', url: `/api/teams/${x.id}`, body: { name: uniq('T2'), version: x.version } };
      },
    },
    {
      name: 'DELETE /api/teams/:id',
      allowed: planners,
      make: async () => {
        const x = (await admin('post', '/api/teams', { name: uniq('T'), kind: 'central' })).body;
        return { method: 'delete', url: `/api/teams/${x.id}` };
      },
    },
    {
      name: 'POST /api/units',
      allowed: planners,
      make: async () => ({ method: 'post', url: '/api/units', body: { team_id: (await aUnit()).team_id, name: uniq('Dienst') } }),
    },
    {
      name: 'PATCH /api/units/:id',
      allowed: planners,
      make: async () => {
        const x = (await admin('post', '/api/units', { team_id: (await aUnit()).team_id, name: uniq('D') })).body;
        return { method: 'patch', url: `/api/units/${x.id}`, body: { desk_ratio: 0.8, version: x.version } };
      },
    },
    {
      name: 'DELETE /api/units/:id',
      allowed: planners,
      make: async () => {
        const x = (await admin('post', '/api/units', { team_id: (await aUnit()).team_id, name: uniq('D') })).body;
        return { method: 'delete', url: `/api/units/${x.id}` };
      },
    },
    {
      name: 'POST /api/sites',
      allowed: planners,
      make: async () => ({ method: 'post', url: '/api/sites', body: { name: uniq('Haus'), lat: 48.4, lon: 9.99, capacity: 5 } }),
    },
    {
      name: 'PATCH /api/sites/:id (not assigned to the editor)',
      allowed: planners,
      make: async () => {
        const s = await newSite();
        return { method: 'patch', url: `/api/sites/${s.id}`, body: { capacity: 12, version: s.version } };
      },
    },
    {
      name: "PATCH /api/sites/:id (the editor's own site)",
      allowed: ['admin', 'planner', 'editor'],
      make: async () => {
        const s = await siteByName(EDITOR_SITE_NAME);
        return { method: 'patch', url: `/api/sites/${s.id}`, body: { notes: uniq('checked'), version: s.version } };
      },
    },
    {
      name: 'DELETE /api/sites/:id',
      allowed: planners,
      make: async () => {
        const s = await newSite();
        return { method: 'delete', url: `/api/sites/${s.id}` };
      },
    },
    {
      name: 'POST /api/sites/:id/verify (own site)',
      allowed: ['admin', 'planner', 'editor'],
      make: async () => {
        const s = await siteByName(EDITOR_SITE_NAME);
        return { method: 'post', url: `/api/sites/${s.id}/verify`, body: { version: s.version } };
      },
    },
    {
      name: 'POST /api/sites/:id/verify (other site)',
      allowed: planners,
      make: async () => {
        const s = await newSite();
        return { method: 'post', url: `/api/sites/${s.id}/verify`, body: { version: s.version } };
      },
    },
    {
      name: 'POST /api/sites/:id/events (own site)',
      allowed: ['admin', 'planner', 'editor'],
      make: async () => {
        const s = await siteByName(EDITOR_SITE_NAME);
        return { method: 'post', url: `/api/sites/${s.id}/events`, body: { kind: 'renovation', date: '2030-01-01', end_date: '2030-02-01', capacity: 40 } };
      },
    },
    {
      name: 'POST /api/sites/:id/events (other site)',
      allowed: planners,
      make: async () => {
        const s = await newSite();
        return { method: 'post', url: `/api/sites/${s.id}/events`, body: { kind: 'capacity', date: '2030-01-01', capacity: 3 } };
      },
    },
    {
      name: 'PATCH /api/sites/:id/events/:id',
      allowed: planners,
      make: async () => {
        const s = await newSite();
        const e = (await admin('post', `/api/sites/${s.id}/events`, { kind: 'closure', date: '2031-01-01' })).body;
        return { method: 'patch', url: `/api/sites/${s.id}/events/${e.id}`, body: { date: '2031-02-01', version: e.version } };
      },
    },
    {
      name: 'DELETE /api/sites/:id/events/:id',
      allowed: planners,
      make: async () => {
        const s = await newSite();
        const e = (await admin('post', `/api/sites/${s.id}/events`, { kind: 'closure', date: '2031-01-01' })).body;
        return { method: 'delete', url: `/api/sites/${s.id}/events/${e.id}` };
      },
    },
    {
      name: 'POST /api/moves',
      allowed: planners,
      make: async () => {
        const s = await newSite();
        return { method: 'post', url: '/api/moves', body: { unit_id: (await aUnit()).id, to_site_id: s.id, headcount: 1, date: '2030-01-01' } };
      },
    },
    {
      name: 'PATCH /api/moves/:id',
      allowed: planners,
      make: async () => {
        const s = await newSite();
        const m = await newMove({ unit_id: (await aUnit()).id, to_site_id: s.id, headcount: 1, date: '2030-01-01' });
        return { method: 'patch', url: `/api/moves/${m.id}`, body: { headcount: 2, version: m.version } };
      },
    },
    {
      name: 'DELETE /api/moves/:id',
      allowed: planners,
      make: async () => {
        const s = await newSite();
        const m = await newMove({ unit_id: (await aUnit()).id, to_site_id: s.id, headcount: 1, date: '2030-01-01' });
        return { method: 'delete', url: `/api/moves/${m.id}` };
      },
    },
    {
      name: 'POST /api/moves/:id/status',
      allowed: planners,
      make: async () => {
        const s = await newSite();
        const m = await newMove({ unit_id: (await aUnit()).id, to_site_id: s.id, headcount: 1, date: '2030-01-01' });
        return { method: 'post', url: `/api/moves/${m.id}/status`, body: { status: 'approved', version: m.version } };
      },
    },
    {
      name: 'POST /api/places',
      allowed: planners,
      make: async () => ({ method: 'post', url: '/api/places', body: { name: uniq('Treff'), kind: 'meeting_place', lat: 48.4, lon: 9.99 } }),
    },
    {
      name: 'PATCH /api/places/:id',
      allowed: planners,
      make: async () => {
        const p = (await admin('post', '/api/places', { name: uniq('P'), kind: 'library', lat: 48.4, lon: 9.99 })).body;
        return { method: 'patch', url: `/api/places/${p.id}`, body: { name: uniq('P2'), version: p.version } };
      },
    },
    {
      name: 'DELETE /api/places/:id',
      allowed: planners,
      make: async () => {
        const p = (await admin('post', '/api/places', { name: uniq('P'), kind: 'library', lat: 48.4, lon: 9.99 })).body;
        return { method: 'delete', url: `/api/places/${p.id}` };
      },
    },
    { name: 'POST /api/scenarios', allowed: planners, make: async () => ({ method: 'post', url: '/api/scenarios', body: { name: uniq('Szenario') } }) },
    {
      name: 'PATCH /api/scenarios/:id',
      allowed: planners,
      make: async () => {
        const s = (await admin('post', '/api/scenarios', { name: uniq('S') })).body;
        return { method: 'patch', url: `/api/scenarios/${s.id}`, body: { description: 'x', version: s.version } };
      },
    },
    {
      name: 'DELETE /api/scenarios/:id',
      allowed: planners,
      make: async () => {
        const s = (await admin('post', '/api/scenarios', { name: uniq('S') })).body;
        return { method: 'delete', url: `/api/scenarios/${s.id}` };
      },
    },
    {
      name: 'POST /api/users',
      allowed: ['admin'],
      make: async () => ({ method: 'post', url: '/api/users', body: { username: `u${++seq}`, password: 'long-enough-password', role: 'viewer' } }),
    },
    {
      name: 'PATCH /api/users/:id',
      allowed: ['admin'],
      make: async () => {
        const u = (await admin('post', '/api/users', { username: `u${++seq}`, password: 'long-enough-password', role: 'viewer' })).body;
        return { method: 'patch', url: `/api/users/${u.id}`, body: { role: 'planner', version: u.version } };
      },
    },
    {
      name: 'DELETE /api/users/:id',
      allowed: ['admin'],
      make: async () => {
        const u = (await admin('post', '/api/users', { username: `u${++seq}`, password: 'long-enough-password', role: 'viewer' })).body;
        return { method: 'delete', url: `/api/users/${u.id}` };
      },
    },
  ];

  for (const c of cases) {
    it(`${c.name}: allowed for ${c.allowed.join(', ')}, 403 for the others`, async () => {
      for (const user of TEST_USERS) {
        const { method, url, body } = await c.make();
        const auditBefore = (await get('/api/audit?limit=1'))[0]?.id;
        const res = await call(user, method, url, body);
        if (c.allowed.includes(user)) {
          expect(res.status, `${user}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(200);
          expect(res.status, `${user}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
          expect((await get('/api/audit?limit=1'))[0].id).toBeGreaterThan(auditBefore);
        } else {
          expect(res.status, `${user} on ${url}`).toBe(403);
          expect(res.body.error.code).toBe('FORBIDDEN');
          expect((await get('/api/audit?limit=1'))[0].id).toBe(auditBefore);
        }
      }
    });
  }
});

describe('CSRF', () => {
  it('when a cookie-authenticated write has no or a wrong token, then 403 CSRF and nothing changes', async () => {
    const s = await siteByName(EDITOR_SITE_NAME);
    const none = await agents.admin.agent.patch(`/api/sites/${s.id}`).send({ capacity: 1, version: s.version });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('CSRF');
    const wrong = await agents.admin.agent.patch(`/api/sites/${s.id}`).set('X-CSRF-Token', 'x'.repeat(32)).send({ capacity: 1, version: s.version });
    expect(wrong.body.error.code).toBe('CSRF');
    expect((await get(`/api/sites/${s.id}`)).capacity).not.toBe(1);
  });
});

describe('optimistic locking', () => {
  it('when two planners edit the same move from the same version, then one wins and the other gets 409 with the current record', async () => {
    const s = await newSite(20);
    const m = await newMove({ unit_id: (await aUnit()).id, to_site_id: s.id, headcount: 3, date: '2030-01-01' });
    const first = await call('planner', 'patch', `/api/moves/${m.id}`, { headcount: 4, version: m.version });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(m.version + 1);
    const second = await call('admin', 'patch', `/api/moves/${m.id}`, { headcount: 9, version: m.version });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('VERSION_CONFLICT');
    expect(second.body.error.current).toMatchObject({ id: m.id, headcount: 4, version: m.version + 1 });
    expect((await get(`/api/moves/${m.id}`)).headcount).toBe(4);
  });

  it('when a PATCH has no version, then 400 naming the field', async () => {
    const s = await newSite();
    const r = await admin('patch', `/api/sites/${s.id}`, { capacity: 3 });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toHaveProperty('version');
  });
});

describe('rules', () => {
  it('when a move takes more people out of a site than the unit has there, then 422 NEGATIVE_HEADCOUNT and nothing is written', async () => {
    const s = await newSite(20);
    const u = await aUnit();
    await newMove({ unit_id: u.id, to_site_id: s.id, headcount: 3, date: '2030-01-01', status: 'approved' });
    const before = (await get('/api/moves')).length;
    const r = await admin('post', '/api/moves', { unit_id: u.id, from_site_id: s.id, headcount: 5, date: '2030-02-01' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('NEGATIVE_HEADCOUNT');
    expect(r.body.error.violations[0]).toMatchObject({ site_id: s.id, unit_id: u.id, headcount: -2 });
    expect((await get('/api/moves')).length).toBe(before);
    expect((await admin('post', '/api/moves', { unit_id: u.id, from_site_id: s.id, headcount: 3, date: '2030-02-01' })).status).toBe(201);
  });

  it('when a planner moves 5 people into a full site, then the state shows OVER_CAPACITY at that date', async () => {
    const full = await newSite(5);
    const other = await newSite(10);
    const u = await aUnit();
    await newMove({ unit_id: u.id, to_site_id: full.id, headcount: 5, date: '2030-01-01', status: 'approved' });
    await newMove({ unit_id: u.id, to_site_id: other.id, headcount: 5, date: '2030-01-01', status: 'approved' });
    await newMove({ unit_id: u.id, from_site_id: other.id, to_site_id: full.id, headcount: 5, date: '2030-03-01', status: 'approved' });
    const st = await get('/api/state?date=2030-03-01');
    expect(st.warnings.some((w: { code: string; site_id?: number }) => w.code === 'OVER_CAPACITY' && w.site_id === full.id)).toBe(true);
    expect(st.sites.find((s: { id: number }) => s.id === full.id)).toMatchObject({ headcount: 10, capacity: 5, free: -5 });
  });

  it('move status: proposed → approved → done; any → cancelled; other transitions are 422', async () => {
    const s = await newSite();
    let m = await newMove({ unit_id: (await aUnit()).id, to_site_id: s.id, headcount: 1, date: '2030-01-01' });
    const skip = await admin('post', `/api/moves/${m.id}/status`, { status: 'done', version: m.version });
    expect(skip.status).toBe(422);
    expect(skip.body.error.code).toBe('ILLEGAL_TRANSITION');
    for (const status of ['approved', 'done', 'cancelled']) {
      const r = await admin('post', `/api/moves/${m.id}/status`, { status, version: m.version });
      expect(r.status).toBe(200);
      m = r.body;
      expect(m.status).toBe(status);
    }
    expect((await admin('post', `/api/moves/${m.id}/status`, { status: 'approved', version: m.version })).status).toBe(422);
  });

  it('when a site or unit is still used by the ledger, then deleting it is refused with 409 IN_USE', async () => {
    const s = await newSite();
    const u = (await admin('post', '/api/units', { team_id: (await aUnit()).team_id, name: uniq('Dienst') })).body;
    await newMove({ unit_id: u.id, to_site_id: s.id, headcount: 1, date: '2030-01-01' });
    const ds = await admin('delete', `/api/sites/${s.id}`);
    expect(ds.status).toBe(409);
    expect(ds.body.error.code).toBe('IN_USE');
    const du = await admin('delete', `/api/units/${u.id}`);
    expect(du.body.error.code).toBe('IN_USE');
    expect((await agents.admin.agent.get(`/api/sites/${s.id}`)).status).toBe(200);
  });

  it('the district of a site is derived from its position, never typed in', async () => {
    const districts = (await get('/api/districts')) as { id: number; name: string }[];
    const west = districts.find((d) => d.name === 'Weststadt')!;
    const r = await admin('post', '/api/sites', { name: uniq('West'), lat: 48.392, lon: 9.967, capacity: 3 });
    expect(r.body.district_id).toBe(west.id);
    const moved = await admin('patch', `/api/sites/${r.body.id}`, { lat: 48.351, lon: 9.973, version: r.body.version });
    expect(moved.body.district_id).toBe(districts.find((d) => d.name === 'Wiblingen')!.id);
    const typed = await admin('patch', `/api/sites/${r.body.id}`, { district_id: west.id, version: moved.body.version });
    expect(typed.status).toBe(400);
    expect(typed.body.error.fields).toHaveProperty('district_id');
  });

  it('bad input gets 400 with the fields named, in the SPEC format', async () => {
    const r = await admin('post', '/api/sites', { name: '', lat: 123, lon: 'x', capacity: -1, step_free: 'maybe' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(r.body.error.fields).sort()).toEqual(['capacity', 'lat', 'lon', 'name', 'step_free']);
    const mv = await admin('post', '/api/moves', { unit_id: (await aUnit()).id, headcount: 0, date: '2021-02-30', until: '2020-01-01' });
    expect(mv.status).toBe(400);
    expect(Object.keys(mv.body.error.fields)).toEqual(expect.arrayContaining(['headcount', 'date']));
    const ref = await admin('post', '/api/moves', { unit_id: 999999, to_site_id: 1, headcount: 1, date: '2030-01-01' });
    expect(ref.status).toBe(422);
    expect(ref.body.error.fields).toHaveProperty('unit_id');
  });
});

describe('audit log', () => {
  it('every write makes an entry with user, time, action, before and after', async () => {
    const s = await newSite(7);
    await call('planner', 'patch', `/api/sites/${s.id}`, { capacity: 9, version: s.version });
    const entries = await get(`/api/audit?entity=site&entity_id=${s.id}`);
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
    expect(entries[0]).toMatchObject({ username: 'planner', entity: 'site', entity_id: s.id, before: { capacity: 7 }, after: { capacity: 9 } });
    expect(entries[0].at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const u = (await admin('post', '/api/users', { username: `audit${++seq}`, password: 'long-enough-password', role: 'viewer' })).body;
    const ue = await get(`/api/audit?entity=user&entity_id=${u.id}`);
    expect(JSON.stringify(ue)).not.toContain('password_hash');
  });

  it('a viewer may not read the audit log', async () => {
    expect((await agents.viewer.agent.get('/api/audit')).status).toBe(403);
  });
});

describe('hostile strings', () => {
  const hostile = ['<script>alert(1)</script>', "Robert'); DROP TABLE sites;--", 'Ümläut 🏢 emoji', '"><img src=x onerror=alert(1)>'];
  it('are stored literally and escaped on every page', async () => {
    for (const h of hostile) {
      const r = await admin('post', '/api/sites', { name: h, lat: 48.4, lon: 9.99, capacity: 3, notes: h });
      expect(r.status).toBe(201);
      expect((await get(`/api/sites/${r.body.id}`)).name).toBe(h);
      for (const page of ['/sites', `/sites/${r.body.id}`, '/report']) {
        const html = (await agents.admin.agent.get(page)).text;
        expect(html).not.toContain(h.includes('<') ? h : '\u0000');
        if (h.includes('<script>')) expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      }
    }
    expect((await sites()).length).toBeGreaterThan(14);
  });

  it('a 20 000-character note is stored literally; a 20 000-character name is refused clearly', async () => {
    const long = 'ä'.repeat(20_000);
    const ok = await admin('post', '/api/sites', { name: 'Lang', lat: 48.4, lon: 9.99, capacity: 1, notes: long });
    expect(ok.status).toBe(201);
    expect((await get(`/api/sites/${ok.body.id}`)).notes).toBe(long);
    const bad = await admin('post', '/api/sites', { name: long, lat: 48.4, lon: 9.99, capacity: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.name).toBe('The text is too long.');
  });
});

describe('random bodies never produce a 5xx', () => {
  const routes: [Method, string][] = [
    ['post', '/api/sites'],
    ['patch', '/api/sites/1'],
    ['post', '/api/moves'],
    ['patch', '/api/moves/1'],
    ['post', '/api/moves/1/status'],
    ['post', '/api/units'],
    ['post', '/api/teams'],
    ['post', '/api/districts'],
    ['post', '/api/places'],
    ['post', '/api/scenarios'],
    ['post', '/api/users'],
    ['post', '/api/sites/1/events'],
    ['post', '/api/sites/1/verify'],
    ['patch', '/api/users/2'],
  ];
  const value = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    fc.array(fc.integer(), { maxLength: 3 }),
  );
  const body = fc.oneof(
    fc.dictionary(
      fc.constantFrom(
        'name',
        'lat',
        'lon',
        'capacity',
        'version',
        'unit_id',
        'to_site_id',
        'from_site_id',
        'headcount',
        'date',
        'until',
        'status',
        'kind',
        'team_id',
        'username',
        'password',
        'role',
        'site_ids',
        'geometry',
        'end_date',
        'scenario_id',
      ),
      value,
    ),
    fc.object(),
    fc.array(fc.anything(), { maxLength: 3 }),
  );
  it('for admin and editor alike', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, fc.constantFrom<TestUser>('admin', 'editor'), async ([method, url], b, user) => {
        const res = await call(user, method, url, b);
        expect(res.status, `${method} ${url} ${JSON.stringify(b)} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it('for the HTML forms too (any text in any field)', async () => {
    const forms = [
      '/sites/new',
      '/sites/1/edit',
      '/sites/1/verify',
      '/sites/1/events',
      '/moves/new',
      '/moves/1/edit',
      '/moves/1/status',
      '/units/new',
      '/units/1/edit',
      '/units/1/delete',
      '/teams/new',
      '/teams/1/edit',
      '/districts/new',
      '/districts/1/edit',
      '/places/new',
      '/scenarios/1/edit',
      '/account/password',
      '/account/feed',
      '/users',
    ];
    const text = fc.oneof(
      fc.string(),
      fc.integer().map(String),
      fc.double().map(String),
      fc.constantFrom('', 'on', '1,5', '2026-13-40', '{"type":"Polygon"}', '[]'),
    );
    const fields = fc.dictionary(
      fc.constantFrom(
        'name',
        'lat',
        'lon',
        'capacity',
        'version',
        'unit_id',
        'to_site_id',
        'headcount',
        'date',
        'until',
        'status',
        'kind',
        'team_id',
        'district_id',
        'desk_ratio',
        'public_facing',
        'geometry',
        'wheelchair_boarding',
        'current_password',
        'new_password',
        'username',
        'password',
        'role',
        'site_ids',
        'end_date',
        'scenario_id',
        'preview',
      ),
      text,
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...forms), fields, fc.constantFrom<TestUser>('admin', 'planner', 'editor', 'viewer'), async (url, b, user) => {
        const { agent, csrf } = agents[user];
        const res = await agent
          .post(url)
          .type('form')
          .send({ ...b, _csrf: csrf });
        expect(res.status, `${user} POST ${url} ${JSON.stringify(b)} → ${res.text.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });

  it('malformed JSON is a 400, not a 500', async () => {
    const r = await supertest(t.app).post('/api/sites').set('content-type', 'application/json').send('{"name":');
    expect(r.status).toBe(400);
  });
});
