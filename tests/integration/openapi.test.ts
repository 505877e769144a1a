import SwaggerParser from '@apidevtools/swagger-parser';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountedRoutes, openApiPath } from '../../server/openapi/document.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
// a login first, as in the other suites: the session store has finished starting before the database closes
beforeAll(async () => {
  t = await createTestApp();
  await t.login('viewer');
});
afterAll(async () => {
  await t.close();
});

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown; responses: Record<string, unknown> }>>;
};

describe('the OpenAPI document', () => {
  it('when fetched without a login, then it is a valid OpenAPI 3.1 document', async () => {
    const res = await supertest(t.app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(res.body))).resolves.toBeTruthy();
  });

  it('describes every mounted API route, with its parameters, body and error responses', async () => {
    const document = (await supertest(t.app).get('/api/openapi.json')).body as Doc;
    const api = mountedRoutes(t.app).filter((r) => r.path.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(40);
    const undocumented = [...new Set(api.map((r) => `${r.method.toUpperCase()} ${r.path}`))].filter(
      (key) => !api.some((r) => `${r.method.toUpperCase()} ${r.path}` === key && r.doc),
    );
    expect(undocumented, 'every API route needs doc({...}) — see README "Describing an API route"').toEqual([]);
    for (const r of api) {
      const op = document.paths[openApiPath(r.path)]?.[r.method];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      for (const name of r.path.match(/:[A-Za-z_]\w*/g) ?? []) {
        expect(
          op.parameters?.some((p) => p.in === 'path' && p.name === name.slice(1)),
          `${r.path} declares ${name}`,
        ).toBe(true);
      }
      if (r.doc?.auth !== 'public') expect(op.responses['401'], `${r.method} ${r.path} documents 401`).toBeDefined();
    }
    const createSite = document.paths['/api/sites'].post;
    expect(createSite.requestBody).toBeDefined();
    expect(document.paths['/api/state'].get.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['date', 'scenario_id']));
    expect(createSite.responses['400']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  });

  it('when the docs page is opened without a login, then every operation of the document is on it, server-rendered, in German or English chrome', async () => {
    const document = (await supertest(t.app).get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const res = await supertest(t.app).get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<h1>API-Dokumentation</h1>');
    for (const [path, item] of Object.entries(document.paths))
      for (const method of Object.keys(item)) expect(res.text, `${method} ${path}`).toContain(`${method.toUpperCase()}</span> <code>${path}</code>`);
    // one page per group in detail; the schemas a body or answer names are linked to their page
    const sites = await supertest(t.app).get('/api/docs/sites');
    expect(sites.text).toContain('id="op-getSitesId"');
    expect(sites.text).toContain('href="/api/docs/schemas#schema-Site"');
    expect((await supertest(t.app).get('/api/docs/schemas')).text).toContain('id="schema-Site"');
    expect((await supertest(t.app).get('/api/docs/nothing')).status).toBe(404);
    // nothing from the former Swagger UI is served any more
    expect((await supertest(t.app).get('/vendor/swagger-ui/swagger-ui.css')).status).not.toBe(200);
    const english = await supertest(t.app).get('/api/docs?lang=en');
    expect(english.text).toContain('<h1>API documentation</h1>');
    expect(english.text).toContain('<html lang="en">');
  });
});
