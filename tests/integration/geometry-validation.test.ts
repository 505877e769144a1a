import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { parseAreaGeometry } from '../../server/geo/index.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let planner: { agent: TestAgent; csrf: string };
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.login('planner');
});
afterAll(async () => {
  await t.close();
});

const square = (lat: number, lon: number, d = 0.01) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon - d, lat - d],
      [lon + d, lat - d],
      [lon + d, lat + d],
      [lon - d, lat + d],
      [lon - d, lat - d],
    ],
  ],
});
const BAD: Record<string, unknown> = {
  'coordinates of numbers': { type: 'Polygon', coordinates: [1, 2, 3] },
  'unclosed ring': {
    type: 'Polygon',
    coordinates: [
      [
        [9.9, 48.4],
        [10, 48.4],
        [10, 48.5],
        [9.9, 48.5],
      ],
    ],
  },
  'ring of three positions': {
    type: 'Polygon',
    coordinates: [
      [
        [9.9, 48.4],
        [10, 48.4],
        [9.9, 48.4],
      ],
    ],
  },
  'latitude 148': {
    type: 'Polygon',
    coordinates: [
      [
        [9.9, 148],
        [10, 148],
        [10, 148.1],
        [9.9, 148],
      ],
    ],
  },
  'text positions': {
    type: 'Polygon',
    coordinates: [
      [
        ['9.9', '48.4'],
        ['10', '48.4'],
        ['10', '48.5'],
        ['9.9', '48.4'],
      ],
    ],
  },
  'bow tie (self-intersecting)': {
    type: 'Polygon',
    coordinates: [
      [
        [9.9, 48.4],
        [10, 48.5],
        [10, 48.4],
        [9.9, 48.5],
        [9.9, 48.4],
      ],
    ],
  },
  'empty multipolygon': { type: 'MultiPolygon', coordinates: [] },
  'a point': { type: 'Point', coordinates: [9.9, 48.4] },
};

describe('district boundaries', () => {
  it('when a boundary is not a valid polygon, then 422 INVALID_GEOMETRY and nothing is stored', async () => {
    for (const [what, geometry] of Object.entries(BAD)) {
      const res = await planner.agent
        .post('/api/districts')
        .set('X-CSRF-Token', planner.csrf)
        .send({ name: `Kaputt ${what}`.slice(0, 100), geometry });
      expect(res.status, what).toBe(422);
      expect(res.body.error.code, what).toBe('INVALID_GEOMETRY');
      expect(res.body.error.fields.geometry, what).toBeTruthy();
    }
    const d = (await planner.agent.get('/api/districts')).body[0];
    const patch = await planner.agent
      .patch(`/api/districts/${d.id}`)
      .set('X-CSRF-Token', planner.csrf)
      .send({ geometry: BAD['bow tie (self-intersecting)'], version: d.version });
    expect(patch.status).toBe(422);
    expect(patch.body.error.code).toBe('INVALID_GEOMETRY');
    expect((await planner.agent.get('/api/districts')).body.filter((x: { name: string }) => x.name.startsWith('Kaputt'))).toEqual([]);
    const ok = await planner.agent
      .post('/api/districts')
      .set('X-CSRF-Token', planner.csrf)
      .send({ name: 'Ordentlich', geometry: square(48.2, 9.8) });
    expect(ok.status).toBe(201);
  });

  it('more than 50,000 positions are refused; a large valid ring is checked quickly', () => {
    const ring = (n: number) => {
      const pts = Array.from({ length: n }, (_, i) => [9.9 + 0.05 * Math.cos((2 * Math.PI * i) / n), 48.4 + 0.05 * Math.sin((2 * Math.PI * i) / n)]);
      return { type: 'Polygon', coordinates: [[...pts, pts[0]]] };
    };
    expect(() => parseAreaGeometry(ring(50_001))).toThrow(/50000 positions/);
    // quickly: in processor time, which a busy machine does not stretch as it does the clock (a
    // check of every pair of edges would take minutes)
    const start = process.cpuUsage();
    expect(() => parseAreaGeometry(ring(49_000))).not.toThrow();
    const used = process.cpuUsage(start);
    expect((used.user + used.system) / 1000).toBeLessThan(3000);
    // a crossing hidden in a large ring is found too
    const big = ring(20_000);
    const c = big.coordinates[0] as number[][];
    [c[100], c[10_100]] = [c[10_100], c[100]];
    expect(() => parseAreaGeometry(big)).toThrow(/crosses itself/);
  });

  it('when a bad boundary is already stored, then the map, the report and every page still work', async () => {
    const [d1, d2] = (await planner.agent.get('/api/districts')).body;
    await t
      .db('districts')
      .where({ id: d1.id })
      .update({ geometry: JSON.stringify({ type: 'Polygon', coordinates: [1, 2, 3] }) });
    await t.db('districts').where({ id: d2.id }).update({ geometry: '{"type": "Polygon", "coordinates": [[[9.9, 148' });
    await t.repos.revision.bump();
    for (const url of [
      '/api/districts.geojson',
      '/api/state?date=2026-11-24',
      '/api/sites.geojson',
      `/api/districts/${d1.id}`,
      '/api/districts?geometry=true',
      '/report?date=2026-11-24',
      '/',
      '/sites',
      '/timeline',
      `/districts/${d1.id}/edit`,
    ]) {
      const res = await planner.agent.get(url);
      expect(res.status, url).toBe(200);
    }
    const geo = (await planner.agent.get('/api/districts.geojson')).body;
    expect(geo.features.map((f: { id: number }) => f.id)).not.toContain(d1.id);
    expect(geo.features.length).toBeGreaterThan(0);
  });
});
