/** /accessibility for the inclusion officer, its API and CSV export (SPEC section 9). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let agent: TestAgent;
beforeAll(async () => {
  t = await createTestApp();
  agent = (await t.login('viewer')).agent;
});
afterAll(async () => {
  await t.close();
});

interface Row {
  unit: string;
  team: string;
  site: string;
  site_id: number;
  public_facing: boolean;
  headcount: number;
  rating: string;
  reasons: { code: string; message: string }[];
  nearest_accessible_stop_m: number | null;
}

describe('GET /api/accessibility', () => {
  it('when asked for 01.03.2021, then every public-facing service is listed with its site rating, German reasons and the nearest accessible stop', async () => {
    const res = await agent.get('/api/accessibility?date=2021-03-01');
    expect(res.status).toBe(200);
    expect(res.body.date).toBe('2021-03-01');
    const rows = res.body.rows as Row[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.public_facing && r.headcount > 0)).toBe(true);
    const boef = rows.find((r) => r.team === 'Sozialraumteam Böfingen' && r.site === 'Haslacher Weg 91–95')!;
    expect(boef.rating).toBe('none');
    expect(boef.reasons).toContainEqual({ code: 'ENTRANCE_NOT_STEP_FREE', message: 'Eingang nicht stufenlos' });
    expect(typeof boef.nearest_accessible_stop_m).toBe('number');
    // Haslacher Weg 91–95 is placed at its nearest stop: the distance from there is a placeholder's (≈), on the page too
    expect((boef as Row & { nearest_accessible_stop_estimated: boolean }).nearest_accessible_stop_estimated).toBe(true);
    const page = (await agent.get('/accessibility?date=2021-03-01')).text;
    const tr = page.slice(page.indexOf('Haslacher Weg 91–95'));
    expect(tr.slice(0, tr.indexOf('</tr>'))).toMatch(/<td class="num"><span class="est" title="geschätzt">≈<\/span>\d+ m<\/td>\s*$/);
    // the Zentrale Verwaltung receives no citizens
    expect(rows.some((r) => r.team === 'Zentrale Verwaltung')).toBe(false);
  });

  it('when the Kornhausplatz is renovated, then the Pflegestützpunkt there has a step-free entrance; gaps name the facts still missing', async () => {
    const res = await agent.get('/api/accessibility?date=2024-01-01');
    const psp = (res.body.rows as Row[]).find((r) => r.unit === 'Pflegestützpunkt')!;
    expect(psp.site).toBe('Kornhausplatz 4/6');
    expect(psp.reasons.map((r) => r.code)).not.toContain('ENTRANCE_NOT_STEP_FREE');
    expect(psp.reasons.map((r) => r.code)).not.toContain('STEP_FREE_UNKNOWN');
    const gap = (res.body.gaps as { site: string; missing: string[] }[]).find((g) => g.site === 'Kornhausplatz 4/6')!;
    expect(gap.missing).toContain('door_width_cm');
    expect(gap.missing).not.toContain('step_free');
  });

  it('when the date is malformed, then 400 in the SPEC format', async () => {
    const res = await agent.get('/api/accessibility?date=2021-02-30');
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty('date');
  });
});

describe('the accessibility page and CSV export', () => {
  it('when the inclusion officer opens /accessibility, then the page lists the services in German with the gaps', async () => {
    const html = (await agent.get('/accessibility?date=2021-03-01')).text;
    expect(html).toContain('Barrierefreiheit der Dienste mit Publikumsverkehr');
    expect(html).toContain('id="accessibility-table"');
    expect(html).toContain('Eingang nicht stufenlos');
    expect(html).toContain('Standorte mit fehlenden Angaben');
    // several facts missing: „… fehlen“, one: „… fehlt“
    const gaps = [...html.matchAll(/<li data-site-id="\d+"><a [^>]*>[^<]*<\/a>: ([^<]*)<\/li>/g)].map((m) => m[1].trim());
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) expect(g).toMatch(g.includes(',') ? / fehlen$/ : / fehlt$/);
    expect(gaps.some((g) => g.includes(','))).toBe(true);
  });

  it('when the CSV is downloaded, then it is UTF-8 with BOM, ;-separated, one line per service', async () => {
    const res = await agent
      .get('/api/export/accessibility.csv?date=2021-03-01')
      .buffer(true)
      .parse((r, cb) => {
        let d = '';
        r.setEncoding('utf8');
        r.on('data', (c) => {
          d += c;
        });
        r.on('end', () => cb(null, d));
      });
    expect(res.status).toBe(200);
    const lines = (res.body as string).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      '\uFEFFdate;unit_id;unit;team_id;team;site_id;site;public_facing;headcount;headcount_estimated;rating;reasons;known_facts;verdict;verdict_source;nearest_accessible_stop_m;nearest_accessible_stop_estimated',
    );
    const api = (await agent.get('/api/accessibility?date=2021-03-01')).body;
    expect(lines).toHaveLength(api.rows.length + 1);
  });

  // SPEC section 16: beside each rating the known facts and the source's verdict, on the page and in its CSV
  it('when the Pflegestützpunkt sits in the renovated Kornhausplatz, then its row says "stufenlos: ja" and quotes "barrierefreien zentralen Lage" with GD 096/21', async () => {
    const html = (await agent.get('/accessibility?date=2024-01-01')).text;
    const row = html.slice(html.indexOf('<tr', html.indexOf('>Pflegestützpunkt<') - 200), html.indexOf('</tr>', html.indexOf('>Pflegestützpunkt<')));
    expect(row).toContain('Kornhausplatz 4/6');
    expect(row).toContain('stufenlos: ja');
    expect(row).toContain('aufgrund der barrierefreien zentralen Lage');
    expect(row).toContain('GD 096/21, Abschnitt 3.2 (Zentrale Dienste)');
    const csv = (
      await agent
        .get('/api/export/accessibility.csv?date=2024-01-01')
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
    const line = csv.split('\r\n').find((l) => l.includes(';Pflegestützpunkt;'))!;
    expect(line).toContain('stufenlos: ja');
    expect(line).toContain('aufgrund der barrierefreien zentralen Lage');
    // where nothing is known, the row says so instead of listing guesses
    const before = (await agent.get('/api/accessibility?date=2021-03-01')).body as { rows: { site: string; known_facts: string; verdict: string | null }[] };
    expect(before.rows.find((r) => r.site === 'Grüner Hof')).toMatchObject({ known_facts: '', verdict: null });
    expect(before.rows.find((r) => r.site === 'Haslacher Weg 91–95')?.known_facts).toBe('stufenlos: nein');
  });
});
