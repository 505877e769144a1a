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

const send = (who: { agent: TestAgent; csrf: string }, method: 'post' | 'patch' | 'delete', url: string, body: unknown = {}) =>
  who.agent[method](url)
    .set('X-CSRF-Token', who.csrf)
    .send(body as object);

describe('projects (Vorhaben)', () => {
  it('when a planner creates a project and assigns a move and an event, then GET one lists them', async () => {
    const created = await send(p, 'post', '/api/projects', { name: 'Sanierung Testhaus', description: 'Probe' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Sanierung Testhaus', description: 'Probe', version: 1 });
    const id = created.body.id as number;
    const move = (await p.agent.get('/api/moves?scenario_id=baseline')).body[3];
    const patched = await send(p, 'patch', `/api/moves/${move.id}`, { project_id: id, version: move.version });
    expect(patched.status).toBe(200);
    expect(patched.body.project_id).toBe(id);
    const site = (await p.agent.get('/api/sites')).body[0];
    const ev = await send(p, 'post', `/api/sites/${site.id}/events`, { kind: 'capacity', date: '2030-01-01', capacity: 10, project_id: id });
    expect(ev.status).toBe(201);
    const one = await p.agent.get(`/api/projects/${id}`);
    expect(one.status).toBe(200);
    expect(one.body.moves.map((m: { id: number }) => m.id)).toEqual([move.id]);
    expect(one.body.events.map((e: { id: number }) => e.id)).toEqual([ev.body.id]);
    expect((await p.agent.get(`/api/moves?project_id=${id}`)).body).toHaveLength(1);
    const list = (await v.agent.get('/api/projects')).body as { id: number; moves: number; events: number }[];
    expect(list.find((x) => x.id === id)).toMatchObject({ moves: 1, events: 1 });
  });

  it('when a move names a project that does not exist, then 422 names the field', async () => {
    const move = (await p.agent.get('/api/moves?scenario_id=baseline')).body[0];
    const res = await send(p, 'patch', `/api/moves/${move.id}`, { project_id: 99999, version: move.version });
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toHaveProperty('project_id');
  });

  it('when a viewer tries to write, then 403; without CSRF, then 403 CSRF', async () => {
    expect((await send(v, 'post', '/api/projects', { name: 'Nein' })).status).toBe(403);
    const res = await p.agent.post('/api/projects').send({ name: 'Ohne Token' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF');
  });

  it('when two planners edit the same version, then the second gets 409 with the current record', async () => {
    const pr = (await send(p, 'post', '/api/projects', { name: 'Konflikt' })).body;
    expect((await send(p, 'patch', `/api/projects/${pr.id}`, { description: 'eins', version: 1 })).status).toBe(200);
    const second = await send(p, 'patch', `/api/projects/${pr.id}`, { description: 'zwei', version: 1 });
    expect(second.status).toBe(409);
    expect(second.body.error.current.description).toBe('eins');
  });

  it('when a project is deleted, then its moves stay and lose the project; the deletion is audited', async () => {
    const pr = (await send(p, 'post', '/api/projects', { name: 'Wegwerf' })).body;
    const move = (await p.agent.get('/api/moves?scenario_id=baseline')).body[5];
    await send(p, 'patch', `/api/moves/${move.id}`, { project_id: pr.id, version: move.version });
    expect((await send(p, 'delete', `/api/projects/${pr.id}`)).status).toBe(204);
    expect((await p.agent.get(`/api/projects/${pr.id}`)).status).toBe(404);
    expect((await p.agent.get(`/api/moves/${move.id}`)).body.project_id).toBeNull();
    const audit = (await p.agent.get(`/api/audit?entity=project&entity_id=${pr.id}`)).body as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['delete', 'create']);
  });

  it('when the name is missing or taken, then 400 / 409 name the field', async () => {
    expect((await send(p, 'post', '/api/projects', { name: '' })).body.error.fields).toHaveProperty('name');
    await send(p, 'post', '/api/projects', { name: 'Doppelt' });
    const dup = await send(p, 'post', '/api/projects', { name: 'Doppelt' });
    expect(dup.status).toBe(409);
  });

  it('when a planner uses the pages, then the list, the form and the project page with its timeline work', async () => {
    const form = await p.agent.post('/projects/new').type('form').send({ _csrf: p.csrf, name: 'Seitenprojekt', description: '<b>fett</b>' });
    expect(form.status).toBe(303);
    const url = form.headers.location as string;
    const page = await p.agent.get(url);
    expect(page.status).toBe(200);
    expect(page.text).toContain('&lt;b&gt;fett&lt;/b&gt;');
    expect(page.text).toContain('id="project-timeline"');
    expect((await p.agent.get('/projects')).text).toContain('Seitenprojekt');
    const invalid = await p.agent.post('/projects/new').type('form').send({ _csrf: p.csrf, name: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('field-error');
    const moveForm = await p.agent.get(`/moves/new?project_id=${url.split('/').pop()}`);
    expect(moveForm.text).toContain('name="project_id"');
    expect((await v.agent.get('/projects/new')).status).toBe(403);
  });

  it('when a viewer opens, saves or deletes a project through its forms, then 403 and the project is unchanged', async () => {
    const created = await send(p, 'post', '/api/projects', { name: 'Nur für Planende' });
    const { id, version } = created.body as { id: number; version: number };
    const form = (url: string, fields: Record<string, string>) =>
      v.agent
        .post(url)
        .type('form')
        .send({ _csrf: v.csrf, ...fields });
    expect((await v.agent.get(`/projects/${id}/edit`)).status).toBe(403);
    expect((await form('/projects/new', { name: 'Nein' })).status).toBe(403);
    expect((await form(`/projects/${id}/edit`, { version: String(version), name: 'Geändert' })).status).toBe(403);
    expect((await form(`/projects/${id}/delete`, { version: String(version) })).status).toBe(403);
    expect((await p.agent.get(`/api/projects/${id}`)).body).toMatchObject({ name: 'Nur für Planende', version });
  });
});
