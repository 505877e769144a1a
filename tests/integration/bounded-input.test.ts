/** SPEC section 13, text: control characters refused, broken encodings and escapes answered, never 500 (SQLite and PostgreSQL). */
import { gzipSync } from 'node:zlib';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { esc } from '../../server/services/ics.js';

let t: TestApp;
let p: { agent: TestAgent; csrf: string };
beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
});
afterAll(async () => {
  await t.close();
});

const text = (r: supertest.Response) =>
  r.text ?? (Buffer.isBuffer(r.body) ? r.body.toString('utf8') : typeof r.body === 'string' ? r.body : JSON.stringify(r.body));

describe('control characters in text', () => {
  it('when a text field holds NUL or another control character, then 400 VALIDATION_FAILED names the field and nothing is stored', async () => {
    const before = (await p.agent.get('/api/districts')).body.length;
    for (const name of ['Nord\u0000', 'Nord\u0007West', 'Nord\u001b[31m', 'Nord\u007f', 'Nord\u0085']) {
      const res = await p.agent.post('/api/districts').set('X-CSRF-Token', p.csrf).send({ name });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { name: expect.stringMatching(/control characters/) } });
    }
    const site = (await p.agent.get('/api/sites')).body[0];
    const patched = await p.agent.patch(`/api/sites/${site.id}`).set('X-CSRF-Token', p.csrf).send({ notes: 'a\u0000b', version: site.version });
    expect(patched.status).toBe(400);
    expect(Object.keys(patched.body.error.fields)).toEqual(['notes']);
    expect((await p.agent.get('/api/districts')).body.length).toBe(before);
  });

  it('when a text holds tabs and line breaks, then it is stored as typed', async () => {
    const res = await p.agent
      .post('/api/scenarios')
      .set('X-CSRF-Token', p.csrf)
      .send({ name: 'Mit Umbruch', description: 'Zeile 1\r\nZeile 2\n\tEingerückt\rEnde' });
    expect(res.status).toBe(201);
    expect(res.body.description).toBe('Zeile 1\r\nZeile 2\n\tEingerückt\rEnde');
  });

  it('when a form field holds a NUL byte, then the form comes back with the message next to the field', async () => {
    const res = await p.agent.post('/scenarios').type('form').send({ _csrf: p.csrf, name: 'Plan\u0000B' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Steuerzeichen');
  });

  it('when the login username holds a NUL byte, then API and form answer 400, never 500', async () => {
    const api = await supertest(t.app).post('/api/login').send({ username: 'plan\u0000ner', password: 'irgendwas-1234' });
    expect(api.status).toBe(400);
    expect(api.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { username: expect.any(String) } });
    const agent = supertest.agent(t.app);
    const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)![1];
    const form = await agent.post('/login').type('form').send({ _csrf: token, username: 'plan\u0000ner', password: 'irgendwas-1234' });
    expect(form.status).toBe(400);
    expect(form.text).toContain('Steuerzeichen');
  });

  it('when a query parameter holds a NUL byte, then 400 VALIDATION_FAILED names it (API and page)', async () => {
    const api = await p.agent.get('/api/moves?status=approved%00');
    expect(api.status).toBe(400);
    expect(api.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { status: expect.any(String) } });
    const page = await p.agent.get('/moves?q=%00');
    expect(page.status).toBe(400);
    expect(page.text).toContain('<html');
  });
});

describe('broken requests', () => {
  it('when a path holds a malformed percent-escape, then 400, never 500 (API and page)', async () => {
    for (const path of ['/api/sites/%zz', '/api/scenarios/%E0%A4%A', '/sites/%E0%A4%A', '/scenarios/%']) {
      const res = await p.agent.get(path);
      expect(res.status, path).toBe(400);
      if (path.startsWith('/api/')) expect(res.body.error.code).toBe('MALFORMED_PATH');
    }
  });

  it('when a body has an unknown or broken Content-Encoding, then 415 or 400, and a good gzip body still works', async () => {
    const post = (encoding: string, body: string | Buffer) =>
      p.agent
        .post('/api/scenarios')
        .set('X-CSRF-Token', p.csrf)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        // the bytes as given (the client would serialise a Buffer as JSON)
        .serialize((x: unknown) => x as string)
        .send(body);
    const unknown = await post('x-zstd-9', '{"name":"A"}');
    expect(unknown.status).toBe(415);
    expect(unknown.body.error.code).toBe('UNSUPPORTED_ENCODING');
    const broken = await post('gzip', 'this is not gzip');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('MALFORMED_BODY');
    const brokenDeflate = await post('deflate', Buffer.from([1, 2, 3, 4, 5]));
    expect(brokenDeflate.status).toBe(400);
    const good = await post('gzip', gzipSync('{"name":"Gezippt"}'));
    expect(good.status, JSON.stringify(good.body)).toBe(201);
    const csv = await p.agent
      .post('/api/import/sites?dry_run=1')
      .set('X-CSRF-Token', p.csrf)
      .set('Content-Type', 'text/csv')
      .set('Content-Encoding', 'gzip')
      .send(gzipSync('name;lat;lon;capacity\nA;48.4;9.9;3\n'));
    expect(csv.status).toBe(415);
    expect(csv.body.error.code).toBe('UNSUPPORTED_ENCODING');
  });
});

describe('iCalendar feed', () => {
  it('when a text holds CR, LF, CRLF or control characters, then each line break is escaped and controls are gone', () => {
    expect(esc('a\rb\nc\r\nd')).toBe('a\\nb\\nc\\nd');
    expect(esc('x\u0000y\u0007z\u001b\tw')).toBe('xyz w');
    expect(esc('a;b,c\\d')).toBe('a\\;b\\,c\\\\d');
  });

  it('when a unit name stored with a bare CR reaches the feed, then no false event or property appears', async () => {
    const move = await t.db('moves').whereNull('scenario_id').where('status', 'approved').first('unit_id');
    await t.db('units').where({ id: move.unit_id }).update({ name: 'Team\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Falsch\u0007' });
    const res = await p.agent
      .get('/api/moves.ics?from=2021-01-01')
      .buffer(true)
      .parse((r, cb) => {
        let d = '';
        r.setEncoding('utf8');
        r.on('data', (c) => (d += c));
        r.on('end', () => cb(null, d));
      });
    expect(res.status).toBe(200);
    const feed = text(res);
    expect(feed).not.toMatch(/\r(?!\n)/);
    expect(feed).not.toMatch(/(?<!\r)\n/);
    expect(feed).not.toContain('\u0007');
    const lines = feed.split('\r\n');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT').length).toBe(lines.filter((l) => l === 'END:VEVENT').length);
    expect(lines.some((l) => l.startsWith('SUMMARY:Falsch'))).toBe(false);
    expect(feed.replace(/\r\n /g, '')).toContain('Team\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:Falsch');
  });
});

describe('text the database cannot store', () => {
  it('when PostgreSQL refuses a NUL byte or an untranslatable character, then 400 VALIDATION_FAILED, not 500', async () => {
    const { toAppError } = await import('../../server/errors.js');
    for (const code of ['22021', '22P05'])
      expect(toAppError(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code }))).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
  });
});

describe('spreadsheet encodings', () => {
  /** A sites file as German Excel saves "CSV (Trennzeichen-getrennt)": Windows-1252 bytes, `;`, CRLF. */
  const cp1252 = Buffer.concat([
    Buffer.from('name;address;lat;lon;capacity\r\n', 'latin1'),
    Buffer.from([0x47, 0x72, 0xfc, 0x6e, 0x65, 0x72, 0x20, 0x48, 0x6f, 0x66]), // "Grüner Hof": ü = 0xFC
    Buffer.from(';', 'latin1'),
    Buffer.from([0x53, 0x74, 0x72, 0x61, 0xdf, 0x65, 0x20, 0x31, 0x20, 0x80]), // "Straße 1 €": ß = 0xDF, € = 0x80
    Buffer.from(';48,4;9,99;12\r\n', 'latin1'),
  ]);
  const send = (body: Buffer, dry: boolean) =>
    p.agent
      .post(`/api/import/sites${dry ? '?dry_run=1' : ''}`)
      .set('X-CSRF-Token', p.csrf)
      .set('Content-Type', 'text/csv')
      .serialize((x: unknown) => x as string)
      .send(body);

  it('when a file is Windows-1252, then the dry run says so and the import keeps the umlauts', async () => {
    expect(cp1252.includes(Buffer.from('ü', 'utf8'))).toBe(false);
    const dry = await send(cp1252, true);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, encoding: 'windows-1252', inserted: 1, rejected: [] });
    const saved = await send(cp1252, false);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const site = (await p.agent.get(`/api/sites/${saved.body.ids[0]}`)).body;
    expect(site.name).toBe('Grüner Hof');
    expect(site.address).toBe('Straße 1 €');
  });

  it('when a file is UTF-8, with or without BOM, then it is read as UTF-8', async () => {
    const text = 'name;address;lat;lon;capacity\r\nÖsterreicher Weg;Münsterplatz 1;48,4;9,99;3\r\n';
    for (const body of [Buffer.from(text, 'utf8'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])]) {
      const dry = await send(body, true);
      expect(dry.status, JSON.stringify(dry.body)).toBe(200);
      expect(dry.body).toMatchObject({ encoding: 'utf-8', inserted: 1, rejected: [] });
    }
  });

  it('when the Windows-1252 byte comes late, across chunks, or the file mixes both encodings, then it is read right or refused', async () => {
    const { SpreadsheetDecoder } = await import('../../server/services/csv.js');
    const late = new SpreadsheetDecoder();
    const parts = [Buffer.from('name\r\n' + 'a'.repeat(100_000) + '\r\n'), Buffer.from([0x47, 0x72, 0xfc]), Buffer.from([0x6e])];
    expect(parts.map((c) => late.decode(c)).join('') + late.end()).toBe(`name\r\n${'a'.repeat(100_000)}\r\nGrün`);
    expect(late.encoding).toBe('windows-1252');
    const split = new SpreadsheetDecoder();
    const bytes = Buffer.from('Grüner Hof', 'utf8');
    expect(split.decode(bytes.subarray(0, 3)) + split.decode(bytes.subarray(3)) + split.end()).toBe('Grüner Hof');
    expect(split.encoding).toBe('utf-8');
    const mixed = Buffer.concat([Buffer.from('name;address;lat;lon;capacity\r\nGrün;x;48,4;9,99;1\r\n', 'utf8'), Buffer.from([0x47, 0xfc, 0x0d, 0x0a])]);
    const res = await send(mixed, true);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IMPORT_FAILED');
  });
});
