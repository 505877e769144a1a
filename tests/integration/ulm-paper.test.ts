/**
 * The shipped Ulm dataset tells the story of GD 096/21 (sections 3.1, 3.2) on its Stichtag 01.03.2021.
 * These facts come from the paper; a change to data/ulm/* that breaks one contradicts the paper.
 */
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

interface SiteState {
  id: number;
  name: string;
  capacity: number;
  headcount: number;
  free: number;
  utilization: number | null;
  status: string;
  available: boolean;
  capacity_estimated: boolean;
  headcount_estimated: boolean;
  step_free: string;
  units: { team: string; headcount: number }[];
}
interface TeamState {
  id: number;
  name: string;
  site_ids: number[];
  split: boolean;
  locations: number;
}
interface Warning {
  code: string;
  site_id?: number;
  team_id?: number;
}
interface State {
  sites: SiteState[];
  teams: TeamState[];
  warnings: Warning[];
}

const stateAt = async (date: string): Promise<State> => (await agent.get(`/api/state?date=${date}&warnings_limit=all`)).body as State;
const site = (st: State, name: string) => st.sites.find((s) => s.name === name)!;
const team = (st: State, name: string) => st.teams.find((s) => s.name === name)!;
const warned = (st: State, code: string, siteName: string) => st.warnings.some((w) => w.code === code && w.site_id === site(st, siteName).id);

describe('the state on 01.03.2021 matches GD 096/21', () => {
  let st: State;
  beforeAll(async () => {
    st = await stateAt('2021-03-01');
  });

  it('when the Stichtag is 01.03.2021, then Moltkestraße 20 ("zu klein") is over capacity and Olgastraße 152 ("eng") near it, not over', () => {
    expect(warned(st, 'OVER_CAPACITY', 'Moltkestraße 20')).toBe(true);
    // "eng" is tight, not "zu klein": an error there would rank the Olgastraße worse than Böfingen's "sehr angespannt"
    expect(warned(st, 'NEAR_CAPACITY', 'Olgastraße 152')).toBe(true);
    expect(warned(st, 'OVER_CAPACITY', 'Olgastraße 152')).toBe(false);
  });

  it('then NOT_STEP_FREE rests on facts: only the Haslacher Weg 91–95 (known not step-free) has it; unknown entrances are data gaps', () => {
    const notStepFree = st.warnings.filter((w) => w.code === 'NOT_STEP_FREE');
    expect(new Set(notStepFree.map((w) => st.sites.find((s) => s.id === w.site_id)!.name))).toEqual(new Set(['Haslacher Weg 91–95']));
    // and its text says what is known: the entrance is not step-free (not "not proven step-free", which reads as unknown)
    for (const w of notStepFree as unknown as { message: string }[]) {
      expect(w.message).toMatch(/; der Eingang ist nicht stufenlos\.$/);
      expect(w.message).not.toContain('nachweislich');
    }
    const gaps = st.warnings.filter((w) => w.code === 'STEP_FREE_UNKNOWN');
    // the 2018 Neubau Moltkestraße 20: nobody recorded its entrance; a gap, not a warning
    expect(gaps.some((w) => w.site_id === site(st, 'Moltkestraße 20').id)).toBe(true);
    expect(gaps.every((w) => site(st, st.sites.find((s) => s.id === w.site_id)!.name).step_free === 'unknown')).toBe(true);
  });

  it('then every warning has a severity and says whether it rests on an estimate; estimated texts carry ≈', () => {
    for (const w of st.warnings as (Warning & { severity: string; estimated: boolean; message: string })[]) {
      expect(['error', 'warning', 'info']).toContain(w.severity);
      expect(typeof w.estimated).toBe('boolean');
      if (w.estimated) expect(w.message).toContain('≈');
    }
    const moltke = st.warnings.find((w) => w.code === 'OVER_CAPACITY' && w.site_id === site(st, 'Moltkestraße 20').id) as unknown as { message: string };
    expect(moltke.message).toBe('Moltkestraße 20: ≈55 Arbeitsplätze benötigt, Kapazität ≈52.');
  });

  it('then Haslacher Weg is tight ("sehr angespannt", "beengt") but not over', () => {
    for (const name of ['Haslacher Weg 89', 'Haslacher Weg 91–95']) {
      expect(warned(st, 'NEAR_CAPACITY', name)).toBe(true);
      expect(warned(st, 'OVER_CAPACITY', name)).toBe(false);
    }
  });

  it('then Mitte/Ost is split between Grüner Hof and the Sattlergasse, Böfingen in two buildings at one location is not', () => {
    const mo = team(st, 'Sozialraumteam Mitte/Ost');
    expect(mo.split).toBe(true);
    expect(mo.site_ids.map((id) => st.sites.find((s) => s.id === id)!.name).sort()).toEqual(['Grüner Hof', 'Sattlergasse (Übergangsquartier)']);
    const bf = team(st, 'Sozialraumteam Böfingen');
    expect(bf).toMatchObject({ split: false, locations: 1 });
    expect(bf.site_ids).toHaveLength(2);
    expect(st.warnings.some((w) => w.code === 'TEAM_SPLIT' && w.team_id === bf.id)).toBe(false);
  });

  it('then Zentrale Dienste sit in Grüner Hof and Schwambergerstraße 3–5, and Zentrale Verwaltung is its own team in the Olgastraße', () => {
    const zd = team(st, 'Zentrale Dienste');
    expect(zd.site_ids.map((id) => st.sites.find((s) => s.id === id)!.name).sort()).toEqual(['Grüner Hof', 'Schwambergerstraße 3–5']);
    expect(site(st, 'Olgastraße 152').units.every((u) => u.team === 'Zentrale Verwaltung')).toBe(true);
  });

  it('then Wiblingen has room ("kein weiterer Raumbedarf") and Eselsberg carries no warning the paper does not make', () => {
    const wb = site(st, 'Buchauer Straße 8–10');
    expect(wb.free).toBeGreaterThan(0);
    expect(wb.utilization!).toBeLessThan(0.9);
    const es = site(st, 'Bürgerzentrum Eselsberg (Obergeschoss)');
    expect(warned(st, 'NEAR_CAPACITY', es.name) || warned(st, 'OVER_CAPACITY', es.name)).toBe(false);
  });

  it('then nothing is free that the department did not have: Kornhausplatz (renovation), Schwambergerstraße 1, Magirusstraße 17, Stifterweg and the Käßbohrerstraße offer 0', () => {
    expect(site(st, 'Kornhausplatz 4/6')).toMatchObject({ capacity: 0, free: 0, status: 'renovation' });
    for (const name of ['Schwambergerstraße 1', 'Magirusstraße 17', 'Ladenzeile Stifterweg (geplant)'])
      expect(site(st, name)).toMatchObject({ capacity: 0, free: 0, status: 'planned' });
    expect(site(st, 'Käßbohrerstraße (ehemaliger Standort)')).toMatchObject({ capacity: 0, status: 'closed' });
    expect(st.sites.filter((s) => !s.available).every((s) => s.headcount === 0)).toBe(true);
  });

  it('then every headcount and capacity rests on an estimate and says so', () => {
    for (const s of st.sites.filter((x) => x.headcount > 0)) expect([s.name, s.headcount_estimated, s.capacity_estimated]).toEqual([s.name, true, true]);
  });
});

describe('the plans of the paper, through time', () => {
  it('when Wiblingen is looked at in any year since 2016, then it is never over capacity (no invented problem)', async () => {
    for (const d of ['2016-06-01', '2017-06-01', '2019-01-01', '2021-03-01', '2025-01-01']) {
      const st = await stateAt(d);
      expect(warned(st, 'OVER_CAPACITY', 'Buchauer Straße 8–10')).toBe(false);
    }
  });

  it('when Magirusstraße 17 opens in spring 2021, then Weststadt works at two locations and Moltkestraße 20 is no longer over', async () => {
    const st = await stateAt('2021-06-01');
    expect(site(st, 'Magirusstraße 17')).toMatchObject({ status: 'active', headcount: 16 });
    expect(team(st, 'Sozialraumteam Weststadt').split).toBe(true);
    expect(warned(st, 'OVER_CAPACITY', 'Moltkestraße 20')).toBe(false);
  });

  it('when the Kornhausplatz renovation is done, then Mitte/Ost and the Pflegestützpunkt sit there together, step-free', async () => {
    const st = await stateAt('2024-01-01');
    const kh = site(st, 'Kornhausplatz 4/6');
    expect(kh).toMatchObject({ status: 'active', step_free: 'yes' });
    expect(team(st, 'Sozialraumteam Mitte/Ost').site_ids).toEqual([kh.id]);
    expect(st.warnings.some((w) => w.code === 'NOT_STEP_FREE' && w.site_id === kh.id)).toBe(false);
  });

  it('when the Haslacher Weg is renovated, then it is step-free afterwards and not before', async () => {
    expect(site(await stateAt('2026-01-01'), 'Haslacher Weg 91–95').step_free).toBe('no');
    expect(site(await stateAt('2029-01-01'), 'Haslacher Weg 91–95').step_free).toBe('yes');
  });

  it('when the moves the paper plans are listed, then they are planned (approved), not done; the 1.10.2020 reorganisation has an exact date and estimated headcounts', async () => {
    const moves = (await agent.get('/api/moves?scenario_id=baseline')).body as {
      date: string;
      status: string;
      reference: string | null;
      headcount_estimated: boolean;
      date_estimated: boolean;
    }[];
    expect(moves.filter((m) => m.date > '2021-02-23').every((m) => m.status === 'approved')).toBe(true);
    const reorg = moves.filter((m) => m.date === '2020-10-01');
    expect(reorg.length).toBeGreaterThan(0);
    expect(reorg.every((m) => m.date_estimated === false && m.headcount_estimated === true)).toBe(true);
  });

  it('when the sites are listed, then the verdicts are quoted with their source', async () => {
    const sites = (await agent.get('/api/sites')).body as { name: string; assessment: string | null; assessment_source: string | null }[];
    const a = (n: string) => sites.find((s) => s.name === n)!;
    expect(a('Haslacher Weg 91–95').assessment).toContain('sehr angespannt');
    expect(a('Moltkestraße 20').assessment).toContain('zu klein');
    expect(a('Buchauer Straße 8–10').assessment).toContain('kein weiterer Raumbedarf');
    expect(a('Olgastraße 152').assessment).toContain('eng');
    expect(a('Haslacher Weg 91–95').assessment_source).toBe('GD 096/21, Abschnitt 3.2 (Böfingen)');
  });
});

describe('the paper on the pages', () => {
  it('when the Böfingen team page is shown, then it says "2 Gebäude an einem Standort" and not split', async () => {
    const teams = (await agent.get('/api/teams')).body as { id: number; name: string }[];
    const bf = teams.find((x) => x.name === 'Sozialraumteam Böfingen')!;
    const html = (await agent.get(`/teams/${bf.id}?date=2021-03-01`)).text;
    expect(html).toContain('2 Gebäude an einem Standort');
    expect(html).not.toContain('class="pill split"');
  });

  it('when the Haslacher Weg 91–95 page is shown, then it quotes the verdict with its source and marks the estimated numbers', async () => {
    const sites = (await agent.get('/api/sites')).body as { id: number; name: string }[];
    const id = sites.find((s) => s.name === 'Haslacher Weg 91–95')!.id;
    const html = (await agent.get(`/sites/${id}?date=2021-03-01`)).text;
    expect(html).toContain('Die räumliche Situation ist sehr angespannt.');
    expect(html).toContain('GD 096/21, Abschnitt 3.2 (Böfingen)');
    expect(html).toMatch(/id="site-figures"><span class="est" title="geschätzt">≈<\/span>33 \/ <span class="est" title="geschätzt">≈<\/span>34/);
  });

  it('when the map asks for the sites on 01.03.2021, then each feature carries its estimate flags and Kornhausplatz is under renovation', async () => {
    const geo = (await agent.get('/api/sites.geojson?date=2021-03-01')).body as {
      features: { properties: { name: string; headcount_estimated: boolean; capacity_estimated: boolean; status: string } }[];
    };
    const moltke = geo.features.find((f) => f.properties.name === 'Moltkestraße 20')!.properties;
    expect(moltke).toMatchObject({ headcount_estimated: true, capacity_estimated: true });
    expect(geo.features.find((f) => f.properties.name === 'Kornhausplatz 4/6')!.properties.status).toBe('renovation');
  });

  it('when the projects are listed, then the dataset groups its moves and events into the Vorhaben of the paper', async () => {
    const projects = (await agent.get('/api/projects')).body as { id: number; name: string }[];
    const names = projects.map((p) => p.name);
    for (const n of [
      'Sanierung Kornhausplatz 4/6',
      'Umzug Zentrale Verwaltung nach Schwambergerstraße 1',
      'Sanierung Haslacher Weg',
      'Auslagerung Weststadt in die Magirusstraße',
      'Stifterweg',
    ])
      expect(names).toContain(n);
    const kh = (await agent.get(`/api/projects/${projects.find((p) => p.name === 'Sanierung Kornhausplatz 4/6')!.id}`)).body as {
      moves: unknown[];
      events: { kind: string }[];
    };
    expect(kh.moves).toHaveLength(7);
    expect(kh.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['renovation', 'opening', 'closure']));
  });
});

describe('what /teams states and what it assumes', () => {
  it('when /teams is opened, then the paper\'s "28 Dienststellen" is shown as the source\'s number and the split into units as our assumption, and distances from the Sattlergasse placeholder carry ≈', async () => {
    const html = (await agent.get('/teams?date=2021-03-01')).text;
    const note = html.slice(html.indexOf('id="organisation-note"'), html.indexOf('</p>', html.indexOf('id="organisation-note"')));
    expect(note).toContain('28 Dienststellen');
    expect(note).toContain('Annahme');
    expect(note).toContain('GD 096/21');
    const st = await stateAt('2021-03-01');
    const mo = team(st, 'Sozialraumteam Mitte/Ost');
    const row = html.slice(html.indexOf(`data-team-id="${mo.id}"`), html.indexOf('</tr>', html.indexOf(`data-team-id="${mo.id}"`)));
    expect(row).toMatch(/≈<\/span>\d+ m/);
  });

  it("when /teams is opened after 30.09.2020, then the units column counts the services working then: the paper's 28 (5 × 4 + 5 + 3), not the central services that left Mitte/Ost", async () => {
    const html = (await agent.get('/teams?date=2021-03-01')).text;
    const counts = [
      ...html.matchAll(/<tr data-team-id="\d+">[\s\S]*?<td class="num">[^<]*(?:<[^>]+>[^<]*)*?<\/td>\s*<td class="num" data-units>(\d+)<\/td>/g),
    ].map((m) => Number(m[1]));
    expect(counts).toHaveLength(7);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(28);
    const mo = team(await stateAt('2021-03-01'), 'Sozialraumteam Mitte/Ost');
    const row = html.slice(html.indexOf(`data-team-id="${mo.id}"`), html.indexOf('</tr>', html.indexOf(`data-team-id="${mo.id}"`)));
    expect(row).toContain('<td class="num" data-units>4</td>');
  });
});
