import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let admin: { agent: TestAgent; csrf: string };
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(async () => {
  await t.close();
});

const api = async (url: string) => (await admin.agent.get(url)).body;
const importCsv = (kind: string, csv: string, dry = false) =>
  admin.agent
    .post(`/api/import/${kind}${dry ? '?dry_run=1' : ''}`)
    .set('X-CSRF-Token', admin.csrf)
    .set('Content-Type', 'text/csv')
    .send(csv);

describe('CSV export', () => {
  it('is UTF-8 with BOM, ;-separated with decimal commas (German Excel), or , on request', async () => {
    const res = await admin.agent
      .get('/api/export/sites.csv')
      .buffer(true)
      .parse((r, cb) => {
        let d = '';
        r.setEncoding('utf8');
        r.on('data', (c) => {
          d += c;
        });
        r.on('end', () => cb(null, d));
      });
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const text = res.body as string;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n')[0]).toBe(
      '\uFEFFid;version;name;address;lat;lon;position_precision;capacity;capacity_estimated;office_area_m2;step_free;accessible_toilet;accessible_parking;elevator;door_width_cm;threshold_cm;accessibility_notes;status;notes;assessment;assessment_source;earmarked_until;earmarked_until_estimated;district_id;verified_at',
    );
    expect(text).toContain('48,397262');
    const comma = await admin.agent
      .get('/api/export/moves.csv?sep=,')
      .buffer(true)
      .parse((r, cb) => {
        let d = '';
        r.setEncoding('utf8');
        r.on('data', (c) => {
          d += c;
        });
        r.on('end', () => cb(null, d));
      });
    expect((comma.body as string).split('\r\n')[0]).toBe(
      '\uFEFFid,version,unit_id,from_site_id,to_site_id,from_floor_id,to_floor_id,headcount,headcount_estimated,date,date_estimated,until,status,scenario_id,reference,note,cost_eur',
    );
  });
});

describe('CSV import', () => {
  it('accepts what the export writes (an unchanged round trip updates nothing but versions)', async () => {
    const csv = (
      await admin.agent
        .get('/api/export/sites.csv')
        .buffer(true)
        .parse((r, cb) => {
          let d = '';
          r.setEncoding('utf8');
          r.on('data', (c) => {
            d += c;
          });
          r.on('end', () => cb(null, d));
        })
    ).body as string;
    const dry = await importCsv('sites', csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, inserted: 0, rejected: [] });
    expect(dry.body.updated).toBeGreaterThanOrEqual(14);
    const real = await importCsv('sites', csv);
    expect(real.status).toBe(201);
    const kh = ((await api('/api/sites')) as { name: string; lat: number; capacity: number }[]).find((s) => s.name === 'Kornhausplatz 4/6')!;
    expect(kh).toMatchObject({ lat: 48.399777, capacity: 62 });
  });

  it('when a comma-separated file writes 1.234 for an area or a threshold, then it reads 1.234 (a dot is its decimal mark), while a German file reads 1.234 as 1234', async () => {
    const head = 'name;lat;lon;capacity;office_area_m2;threshold_cm;status';
    const comma = await importCsv('sites', `${head.replaceAll(';', ',')}\nKomma-Test,48.4,9.99,12,1.234,2.5,active\n`);
    expect(comma.status).toBe(201);
    const german = await importCsv('sites', `${head}\nSemikolon-Test;48,4;9,99;12;1.234;2,5;active\n`);
    expect(german.status).toBe(201);
    const sites = (await api('/api/sites')) as { name: string; office_area_m2: number; threshold_cm: number }[];
    const byName = (n: string) => sites.find((x) => x.name === n)!;
    expect([byName('Komma-Test').office_area_m2, byName('Komma-Test').threshold_cm]).toEqual([1.234, 2.5]);
    expect([byName('Semikolon-Test').office_area_m2, byName('Semikolon-Test').threshold_cm]).toEqual([1234, 2.5]);
  });

  it('a dry run answers what would be inserted, updated and rejected, and writes nothing', async () => {
    const before = (await api('/api/sites')).length;
    const csv = 'name;lat;lon;capacity\r\nNeues Haus;48,40;9,99;12\r\nKaputt;abc;9,99;-1\r\n';
    const dry = await importCsv('sites', csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body.rejected).toEqual([
      { line: 3, field: 'lat', message: 'not a number' },
      { line: 3, field: 'capacity', message: 'Please enter a value of at least 0, at most 100,000.' },
    ]);
    expect((await api('/api/sites')).length).toBe(before);
  });

  it('is all-or-nothing: one bad row rejects the whole file with line-numbered errors (header = line 1)', async () => {
    const sitesBefore = (await api('/api/sites')).length;
    const auditBefore = (await api('/api/audit?limit=1'))[0].id;
    const csv = ['name,lat,lon,capacity,step_free', 'A,48.4,9.99,5,yes', 'B,48.4,9.99,5,vielleicht', 'C,48.4,9.99,5,no'].join('\n');
    const res = await importCsv('sites', csv);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IMPORT_FAILED');
    expect(res.body.error.rows).toEqual([
      { line: 3, field: 'step_free', message: 'not one of the allowed values (allowed: ja, nein, unbekannt, yes, no, unknown)' },
    ]);
    expect((await api('/api/sites')).length).toBe(sitesBefore);
    expect((await api('/api/audit?limit=1'))[0].id).toBe(auditBefore);
    const ok = await importCsv('sites', csv.replace('vielleicht', 'unknown'));
    expect(ok.status).toBe(201);
    expect(ok.body.inserted).toBe(3);
    expect((await api('/api/sites')).length).toBe(sitesBefore + 3);
  });

  it('when a German file says „ja“, „nein“ or „unbekannt“ for accessibility, as the pages do, then it reads them; another word names the allowed ones', async () => {
    const csv =
      'name;lat;lon;capacity;step_free;elevator;status\r\nJa-Haus;48,40;9,99;12;Ja;nicht nötig;active\r\nNein-Haus;48,40;9,99;12;nein;unbekannt;active\r\n';
    const ok = await importCsv('sites', csv);
    expect(ok.status).toBe(201);
    const sites = (await api('/api/sites')) as { name: string; step_free: string; elevator: string }[];
    expect(sites.find((x) => x.name === 'Ja-Haus')).toMatchObject({ step_free: 'yes', elevator: 'not_needed' });
    expect(sites.find((x) => x.name === 'Nein-Haus')).toMatchObject({ step_free: 'no', elevator: 'unknown' });
    const bad = await importCsv('sites', 'name;lat;lon;capacity;step_free;status\r\nX;48,40;9,99;12;vielleicht;offen\r\n', true);
    expect(bad.body.rejected).toEqual([
      { line: 2, field: 'step_free', message: 'not one of the allowed values (allowed: ja, nein, unbekannt, yes, no, unknown)' },
      { line: 2, field: 'status', message: expect.stringMatching(/^not one of the allowed values \(allowed: active, /) },
    ]);
  });

  it('moves: references and the ledger rule are checked over the whole file', async () => {
    const sites = (await api('/api/sites')) as { id: number; name: string }[];
    const moltke = sites.find((s) => s.name === 'Moltkestraße 20')!.id;
    const units = (await api('/api/units')) as { id: number; name: string; team_id: number }[];
    const unit = units[0].id;
    const bad = [
      'unit_id;from_site_id;to_site_id;headcount;date;status',
      `${unit};;${moltke};4;2030-01-01;approved`,
      `${unit};${moltke};;6;2030-02-01;approved`,
      `99999;;${moltke};1;2030-01-01;approved`,
    ].join('\n');
    const res = await importCsv('moves', bad);
    expect(res.status).toBe(422);
    expect(res.body.error.rows).toEqual([{ line: 4, field: 'unit_id', message: 'no unit with id 99999' }]);
    const negative = await importCsv('moves', bad.split('\n').slice(0, 3).join('\n'));
    expect(negative.status).toBe(422);
    expect(negative.body.error.rows[0]).toMatchObject({ line: 3, field: 'headcount' });
    expect(negative.body.error.rows[0].message).toMatch(/NEGATIVE_HEADCOUNT/);
    const fine = await importCsv('moves', bad.split('\n').slice(0, 2).join('\n'));
    expect(fine.status).toBe(201);
    expect(fine.body.inserted).toBe(1);
  });

  it('rows with an id update; a stale version rejects the file', async () => {
    const m = (await api('/api/moves'))[0];
    const stale = await importCsv('moves', `id;version;note\n${m.id};${m.version + 5};neu`);
    expect(stale.status).toBe(422);
    expect(stale.body.error.rows[0]).toMatchObject({ line: 2, field: 'version' });
    const ok = await importCsv('moves', `id;version;note\n${m.id};${m.version};geprüft`);
    expect(ok.status).toBe(201);
    expect(await api(`/api/moves/${m.id}`)).toMatchObject({ note: 'geprüft', version: m.version + 1 });
  });

  it('unknown columns, empty bodies and unreadable CSV are clear errors', async () => {
    expect((await importCsv('sites', 'name;farbe\nA;rot')).body.error.rows).toEqual([{ line: 1, field: 'farbe', message: 'unknown column' }]);
    expect((await importCsv('sites', '')).status).toBe(400);
    const broken = await importCsv('sites', 'name;lat\n"A;48');
    expect(broken.status).toBe(422);
    // a file that is no CSV of sites at all (a spreadsheet's bytes): one message that says so, not its bytes as column names
    const binary = await importCsv('sites', "PK\u0003\u0004\u0014\u0000\u0006\u0000\b\u0000;&8'ÿRg±\nxl/workbook.xml;\u0001\u0002");
    expect(binary.status).toBe(422);
    expect(binary.body.error.rows).toEqual([
      {
        line: 1,
        field: '',
        message:
          "No column of the header line is known: is it a CSV file with the template's header (such as name;address;lat;lon)? Save a spreadsheet as CSV first.",
      },
    ]);
  });

  it('only planners may import; the template downloads', async () => {
    const viewer = await t.login('viewer');
    const res = await viewer.agent
      .post('/api/import/sites')
      .set('X-CSRF-Token', viewer.csrf)
      .set('Content-Type', 'text/csv')
      .send('name;lat;lon;capacity\nA;48;9;1');
    expect(res.status).toBe(403);
    const tpl = await admin.agent
      .get('/api/import/moves/template.csv')
      .buffer(true)
      .parse((r, cb) => {
        let d = '';
        r.setEncoding('utf8');
        r.on('data', (c) => {
          d += c;
        });
        r.on('end', () => cb(null, d));
      });
    const rows = parse(tpl.body as string, { bom: true, delimiter: ';' });
    expect(rows[0]).toEqual([
      'id',
      'version',
      'unit_id',
      'from_site_id',
      'to_site_id',
      'from_floor_id',
      'to_floor_id',
      'headcount',
      'headcount_estimated',
      'date',
      'date_estimated',
      'until',
      'status',
      'scenario_id',
      'reference',
      'note',
      'cost_eur',
    ]);
  });
});
