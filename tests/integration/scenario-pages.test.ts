import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { addDays } from '../../server/planning/dates.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let p: { agent: TestAgent; csrf: string };
beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
});
afterAll(async () => {
  await t.close();
});

interface Move {
  id: number;
  unit_id: number;
  from_site_id: number | null;
  to_site_id: number | null;
  headcount: number;
  date: string;
  until: string | null;
  status: string;
  version: number;
  scenario_id: number | null;
}
const get = async (url: string) => (await p.agent.get(url)).body;
const send = (method: 'post' | 'put' | 'patch', url: string, body: unknown = {}) =>
  p.agent[method](url)
    .set('X-CSRF-Token', p.csrf)
    .send(body as object);
const form = (url: string, body: Record<string, string>) =>
  p.agent
    .post(url)
    .type('form')
    .send({ _csrf: p.csrf, ...body });
const site = async (name: string) => ((await get('/api/sites')) as { id: number; name: string }[]).find((s) => s.name === name)!;

async function kornhausScenario(name: string) {
  const kh = await site('Kornhausplatz 4/6');
  const renovation = (
    (await get(`/api/sites/${kh.id}/events`)) as { id: number; kind: string; end_date: string; version: number; scenario_id: number | null }[]
  ).find((e) => e.kind === 'renovation' && e.scenario_id === null)!;
  const reopening = addDays(renovation.end_date, 1);
  let moves = ((await get(`/api/moves?scenario_id=baseline&site_id=${kh.id}`)) as Move[]).filter((m) => m.to_site_id === kh.id && m.date === reopening);
  let project = ((await get('/api/projects')) as { id: number; name: string }[]).find((x) => x.name === 'Sanierung Kornhausplatz 4/6');
  if (project) moves = (await get(`/api/projects/${project.id}`)).moves;
  else {
    project = (await send('post', '/api/projects', { name: 'Sanierung Kornhausplatz 4/6' })).body as { id: number; name: string };
    for (const m of moves) await send('patch', `/api/moves/${m.id}`, { project_id: project.id, version: m.version });
    await send('patch', `/api/sites/${kh.id}/events/${renovation.id}`, { project_id: project.id, version: renovation.version });
  }
  const sc = (await send('post', '/api/scenarios', { name })).body as { id: number };
  return { kh, renovation, moves, project, sc };
}

describe('the scenario page', () => {
  it('when a planner shifts the Kornhausplatz project by six months on the page, then the page leads with what changes, where and for how long, in German with dd.mm.yyyy', async () => {
    const { sc, project } = await kornhausScenario('Kornhausplatz sechs Monate später (Seite)');
    const res = await form(`/scenarios/${sc.id}/shift`, { project_id: String(project.id), amount: '6', unit: 'months' });
    expect(res.status).toBe(303);
    const page = await p.agent.get(`/scenarios/${sc.id}?from=2023-01-01&to=2024-12-31`);
    expect(page.status).toBe(200);
    const summary = page.text.match(/<ul class="summary" id="summary-lines">([\s\S]*?)<\/ul>/)![1];
    // the issue's own sentence: the team waits six months longer, split across its two interim sites
    expect(summary).toContain('Mitte/Ost bleibt 6 Monate länger auf zwei Standorte verteilt, 01.10.2023–31.03.2024.');
    expect(summary).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(page.text).toContain('id="overrides"');
    expect(page.text).toContain('data-override-id=');
    // no raw warning codes as text, the scenario's name instead of its number
    expect(page.text).not.toMatch(/>(OVER_CAPACITY|SITE_UNAVAILABLE|TEAM_SPLIT)</);
    expect(page.text).toContain('Kornhausplatz sechs Monate später (Seite)</th>');
    // adopt is not the primary action and leads to a confirmation
    expect(page.text).toMatch(/<a class="button" href="\/scenarios\/\d+\/adopt" id="adopt-button">/);
  });

  it('when the shift form is refused (an offset beyond 600 months, a project with nothing to shift), then the scenario page shows it as typed with the reason next to its field, once, and nothing changes', async () => {
    const { sc, project } = await kornhausScenario('Verschiebung mit Fehlern');
    const big = await form(`/scenarios/${sc.id}/shift`, { project_id: String(project.id), amount: '99999', unit: 'months' });
    expect(big.status).toBe(400);
    expect(big.text).toMatch(/<input id="shift-amount" type="number" name="amount" value="99999"[^>]*aria-invalid="true"/);
    expect(big.text).toContain('<span class="field-error" id="shift-amount-err">Bitte einen Wert von mindestens -600, höchstens 600 eingeben.</span>');
    expect(big.text).toMatch(new RegExp(`<option value="${project.id}" selected>`));
    const empty = (await send('post', '/api/projects', { name: 'Leeres Vorhaben' })).body as { id: number };
    // the form offers only projects with something to shift
    expect((await p.agent.get(`/scenarios/${sc.id}`)).text).not.toMatch(new RegExp(`<option value="${empty.id}"[^>]*>Leeres Vorhaben<`));
    const nothing = await form(`/scenarios/${sc.id}/shift`, { project_id: String(empty.id), amount: '3', unit: 'months' });
    expect(nothing.status).toBe(422);
    const said = nothing.text.match(/Zu diese[rm] (Auswahl|Vorhaben) gehören keine Umzüge oder Ereignisse/g) ?? [];
    expect(said).toHaveLength(1);
    expect(nothing.text).toMatch(/<select id="shift-project" name="project_id" required aria-describedby="shift-project-err" aria-invalid="true"/);
    expect((await get(`/api/scenarios/${sc.id}/overrides`)).length ?? 0).toBe(0);
  });

  it('when the compared period begins while a site is over its capacity in the scenario, then its „erstmals über“ says „schon zu Beginn des Zeitraums“, not that the first day was the first', async () => {
    const sc = (await send('post', '/api/scenarios', { name: 'Zu voll von Anfang an' })).body as { id: number };
    const house = (await send('post', '/api/sites', { name: 'Enges Haus', lat: 48.4, lon: 9.99, capacity: 2 })).body as { id: number };
    const unit = ((await get('/api/units')) as { id: number }[])[0].id;
    expect(
      (await send('post', '/api/moves', { unit_id: unit, to_site_id: house.id, headcount: 5, date: '2027-01-01', status: 'proposed', scenario_id: sc.id }))
        .status,
    ).toBe(201);
    const cell = async (from: string) => {
      const html = (await p.agent.get(`/scenarios/${sc.id}?from=${from}&to=2027-12-31`)).text;
      const row = html.slice(html.indexOf(`<tr data-site-id="${house.id}">`), html.indexOf('</tr>', html.indexOf(`<tr data-site-id="${house.id}">`)));
      return /<td>([^<]*)<\/td>$/.exec(row)?.[1];
    };
    expect(await cell('2027-01-01')).toBe('schon zu Beginn des Zeitraums: 01.01.2027');
    expect(await cell('2026-06-01')).toBe('01.01.2027');
  });

  it('when a shift would take people out of a site before they arrive, then the page says so above the form in words (no field name of the service) and nothing changes', async () => {
    const sc = (await send('post', '/api/scenarios', { name: 'Verschiebung gegen die Regeln' })).body as { id: number };
    const project = (await send('post', '/api/projects', { name: 'Einzug Regelhaus' })).body as { id: number };
    const house = (await send('post', '/api/sites', { name: 'Regelhaus', lat: 48.4, lon: 9.99, capacity: 20 })).body as { id: number };
    const unit = ((await get('/api/units')) as { id: number }[])[0].id;
    // in (the project) on 01.01.2026, out again (not the project) on 01.06.2026: twelve months later the way in comes after the way out
    expect(
      (await send('post', '/api/moves', { unit_id: unit, to_site_id: house.id, headcount: 3, date: '2026-01-01', status: 'approved', project_id: project.id }))
        .status,
    ).toBe(201);
    expect((await send('post', '/api/moves', { unit_id: unit, from_site_id: house.id, headcount: 3, date: '2026-06-01', status: 'approved' })).status).toBe(
      201,
    );
    const res = await form(`/scenarios/${sc.id}/shift`, { project_id: String(project.id), amount: '12', unit: 'months' });
    expect(res.status).toBe(422);
    expect(res.text).not.toContain('shift.field.');
    expect(res.text).toMatch(/id="shift-message"[^>]*><strong>So viele Personen hat der Dienst am Ausgangsstandort zu diesem Datum nicht\./);
    expect(res.text).toMatch(/id="shift-amount" type="number" name="amount" value="12"/);
    expect((await get(`/api/scenarios/${sc.id}/overrides`)).length ?? 0).toBe(0);
  });

  it('when a warning appears in a scenario, then the planner acknowledges it from the scenario page and comes back to it, where it is listed as bestätigt; a viewer gets no link', async () => {
    const { sc, project } = await kornhausScenario('Kornhausplatz sechs Monate später (Bestätigen)');
    expect((await form(`/scenarios/${sc.id}/shift`, { project_id: String(project.id), amount: '6', unit: 'months' })).status).toBe(303);
    const pageUrl = `/scenarios/${sc.id}?date=2024-01-15&from=2023-01-01&to=2024-12-31`;
    const appeared = (html: string) => /<h3>Neue Hinweise im Szenario<\/h3>([\s\S]*?)<\/div>\s*<div><h3>/.exec(html)?.[1] ?? '';
    const before = appeared((await p.agent.get(pageUrl)).text);
    // the team waits split across two sites: that warning appears in the scenario, with "Bestätigen" beside it
    const link = /<li class="sev-\w+" data-code="TEAM_SPLIT"[^>]*>[\s\S]*?<a class="ack-action small" href="([^"]+)"/.exec(before)?.[1];
    expect(link).toBeDefined();
    const href = link!.replace(/&amp;/g, '&');
    const q = new URL(href, 'http://x').searchParams;
    expect(q.get('scenario_id')).toBe(String(sc.id));
    expect(q.get('date')).toBe('2024-01-15');
    expect(q.get('back')).toBe(pageUrl);
    // the form finds the warning in the scenario's state, and saving returns to the scenario page
    const ackForm = await p.agent.get(href);
    expect(ackForm.status).toBe(200);
    const saved = await form(`/acknowledgements/new?date=2024-01-15&scenario_id=${sc.id}`, {
      code: 'TEAM_SPLIT',
      team_id: q.get('team_id')!,
      reason: 'Übergang bis zum Umzug abgestimmt',
      back: q.get('back')!,
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(pageUrl);
    const after = appeared((await p.agent.get(pageUrl)).text);
    expect(after).toMatch(/<li data-code="TEAM_SPLIT" data-acknowledged="\d+">/);
    expect(after).toContain('Übergang bis zum Umzug abgestimmt');
    // a viewer sees the same page without the link
    const viewer = await t.login('viewer');
    expect(appeared((await viewer.agent.get(pageUrl)).text)).not.toContain('ack-action');
  });

  it('when a planner adopts, then a confirmation says how many moves and changes go into the baseline, and only the confirmed form adopts', async () => {
    const { sc, project, moves } = await kornhausScenario('Übernahme mit Bestätigung');
    await form(`/scenarios/${sc.id}/shift`, { project_id: String(project.id), amount: '1', unit: 'months' });
    const version = String((await get(`/api/scenarios/${sc.id}`)).version);
    const unconfirmed = await form(`/scenarios/${sc.id}/adopt`, { version });
    expect(unconfirmed.status).toBe(303);
    expect(unconfirmed.headers.location).toBe(`/scenarios/${sc.id}/adopt`);
    expect((await p.agent.get(`/api/scenarios/${sc.id}`)).status).toBe(200);
    const confirm = await p.agent.get(`/scenarios/${sc.id}/adopt`);
    // as many changes as the shift made overrides (the Ulm dataset's project has more than the renovation)
    const ov = await get(`/api/scenarios/${sc.id}/overrides`);
    const changes = (Array.isArray(ov) ? ov.length : (ov.moves?.length ?? 0) + (ov.events?.length ?? 0)) as number;
    expect(changes).toBeGreaterThanOrEqual(moves.length);
    expect(confirm.text).toContain(`0 Umzüge und ${changes} Änderungen werden in die Basisplanung übernommen.`);
    const done = await form(`/scenarios/${sc.id}/adopt`, { version, confirmed: '1' });
    expect(done.headers.location).toBe('/scenarios');
    expect((await p.agent.get(`/api/scenarios/${sc.id}`)).status).toBe(404);
  });

  it('when a planner opens the adoption, then it lists each new move and each changed baseline move with its value before and after, with nothing to click but the confirmation', async () => {
    const kh = await site('Kornhausplatz 4/6');
    const sc = (await send('post', '/api/scenarios', { name: 'Übernahme im Einzelnen' })).body as { id: number };
    const baseline = ((await get(`/api/moves?scenario_id=baseline`)) as Move[]).find((m) => m.status !== 'cancelled' && m.from_site_id === null)!;
    const added = (
      await send('post', '/api/moves', {
        unit_id: baseline.unit_id,
        to_site_id: kh.id,
        headcount: 3,
        date: '2031-05-01',
        scenario_id: sc.id,
        note: 'Neu im Szenario',
      })
    ).body as Move;
    expect(added.scenario_id).toBe(sc.id);
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/moves/${baseline.id}`, { headcount: baseline.headcount + 1 })).status).toBe(200);
    const page = (await p.agent.get(`/scenarios/${sc.id}/adopt`).expect(200)).text;
    const newMove = new RegExp(`<tr data-move-id="${added.id}"[\\s\\S]*?</tr>`).exec(page)?.[0] ?? '';
    expect(newMove).toContain('01.05.2031');
    expect(newMove).toContain('Kornhausplatz 4/6');
    expect(newMove).toContain('Neu im Szenario');
    // a proposed move is approved as it is adopted: the page says so
    expect(added.status).toBe('proposed');
    expect(page).toContain('Vorgeschlagene Umzüge des Szenarios (1 Umzug) werden dabei genehmigt.');
    const changed = /<tr data-override-id="\d+" class="overridden">[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';
    expect(changed).toContain(`Personen: ${baseline.headcount}<br>`);
    expect(changed).toContain(`<strong>Personen: ${baseline.headcount + 1}</strong>`);
    // a confirmation, not a workbench: no edit, status or reset controls beside the lists
    expect(page).not.toMatch(/\/moves\/\d+\/edit|\/moves\/\d+\/status|\/reset"/);
    expect(page).toContain('id="confirm-button"');
  });

  it('when a planner deletes a scenario, then a confirmation says what is lost first', async () => {
    const sc = (await send('post', '/api/scenarios', { name: 'Zum Löschen' })).body;
    const page = await p.agent.get(`/scenarios/${sc.id}/delete`);
    expect(page.text).toContain('Das Szenario „Zum Löschen“ wird gelöscht – darin 0 Umzüge, 0 Ereignisse und 0 Änderungen.');
    expect((await form(`/scenarios/${sc.id}/delete`, { version: '1' })).headers.location).toBe(`/scenarios/${sc.id}/delete`);
    expect((await form(`/scenarios/${sc.id}/delete`, { version: '1', confirmed: '1' })).headers.location).toBe('/scenarios');
  });
});

describe('changing baseline records in a scenario on the pages', () => {
  it('when a planner changes a baseline move "in diesem Szenario", then the move list in that scenario marks the new value and "zurücksetzen" restores it', async () => {
    const { sc, moves } = await kornhausScenario('Änderung auf der Seite');
    const m = moves.find((x) => x.headcount > 1)!;
    const formPage = await p.agent.get(`/scenarios/${sc.id}/overrides/moves/${m.id}`);
    expect(formPage.status).toBe(200);
    const saved = await form(`/scenarios/${sc.id}/overrides/moves/${m.id}`, {
      date: m.date,
      until: m.until ?? '',
      headcount: String(m.headcount - 1),
      from_site_id: String(m.from_site_id ?? ''),
      to_site_id: String(m.to_site_id ?? ''),
    });
    expect(saved.status).toBe(303);
    const overrides = await get(`/api/scenarios/${sc.id}/overrides`);
    expect(overrides.map((o: { changes: unknown }) => o.changes)).toEqual([{ headcount: m.headcount - 1 }]);
    const list = await p.agent.get(`/moves?scenario_id=${sc.id}`);
    const row = list.text.match(new RegExp(`<tr data-move-id="${m.id}"[\\s\\S]*?</tr>`))![0];
    expect(row).toContain('data-overridden="true"');
    expect(row).toContain(`<del>${m.headcount}</del> <ins>${m.headcount - 1}</ins>`);
    expect(row).toContain('zurücksetzen');
    // the reset comes back to the move's row, on the page of the list that holds it
    expect(row).toContain(`<input type="hidden" name="back" value="/moves?scenario_id=${sc.id}&amp;highlight=${m.id}#move-${m.id}">`);
    expect((await get(`/api/moves/${m.id}`)).headcount).toBe(m.headcount);
    const bad = await form(`/scenarios/${sc.id}/overrides/moves/${m.id}`, { date: m.date, headcount: 'viele', version: '1' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('field-error');
    const reset = await form(`/scenarios/${sc.id}/overrides/moves/${m.id}/reset`, { version: '1' });
    expect(reset.status).toBe(303);
    expect(reset.headers.location).toBe(`/moves?scenario_id=${sc.id}&highlight=${m.id}#move-${m.id}`);
    expect(await get(`/api/scenarios/${sc.id}/overrides`)).toEqual([]);
  });

  it('when an event is saved on a site page in a scenario, then the page comes back in that scenario', async () => {
    const sc = (await send('post', '/api/scenarios', { name: 'Ereignis im Szenario' })).body;
    const kh = await site('Kornhausplatz 4/6');
    const res = await form(`/sites/${kh.id}/events`, {
      kind: 'capacity',
      date: '2030-01-01',
      capacity: '70',
      scenario_id: String(sc.id),
      view_date: '2030-02-01',
    });
    expect(res.headers.location).toBe(`/sites/${kh.id}?date=2030-02-01&scenario_id=${sc.id}#events`);
    const page = await p.agent.get(`/sites/${kh.id}?scenario_id=${sc.id}`);
    expect(page.text).toContain(`/scenarios/${sc.id}/overrides/events/`);
  });
});

describe('move form and status on the pages', () => {
  it('when the preview is asked for a move that the save refuses, then the preview refuses it with the same message', async () => {
    const moves = (await get('/api/moves?scenario_id=baseline&status=done')) as Move[];
    const m = moves.find((x) => x.from_site_id !== null && x.to_site_id !== null)!;
    // more people out of the origin than the unit has there
    const body = {
      unit_id: String(m.unit_id),
      from_site_id: String(m.to_site_id),
      to_site_id: String(m.from_site_id),
      headcount: '5000',
      date: addDays(m.date, 1),
      status: 'approved',
    };
    const save = await form('/moves/new', { ...body, _action: 'save' });
    const preview = await form('/moves/new', { ...body, _action: 'preview' });
    expect(save.status).toBe(422);
    expect(preview.status).toBe(save.status);
    const msg = (html: string) => html.match(/<div class="form-error box" role="alert">([^<]*)<\/div>/)?.[1];
    expect(msg(preview.text)).toBe(msg(save.text));
    expect(preview.text).not.toContain('id="preview"');
  });

  it("when a scenario moves a site's crunch to later months without making it longer, then the page says when it is over now and when no longer, not „nothing changes“", async () => {
    const unit = (await get('/api/units'))[0];
    const s1 = (await send('post', '/api/sites', { name: 'Engpass-Testhaus', lat: 48.4, lon: 9.99, capacity: 1 })).body;
    const into = (await send('post', '/api/moves', { unit_id: unit.id, to_site_id: s1.id, headcount: 2, date: '2032-02-01', status: 'approved' })).body as Move;
    const out = (await send('post', '/api/moves', { unit_id: unit.id, from_site_id: s1.id, headcount: 2, date: '2032-05-01', status: 'approved' }))
      .body as Move;
    const sc = (await send('post', '/api/scenarios', { name: 'Engpass später' })).body as { id: number };
    // the departure first: moved in first, the people would leave before they came
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/moves/${out.id}`, { date: '2032-11-01' })).status).toBe(200);
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/moves/${into.id}`, { date: '2032-08-01' })).status).toBe(200);
    const page = await p.agent.get(`/scenarios/${sc.id}?from=2032-01-01&to=2032-12-31`);
    expect(page.status).toBe(200);
    const summary = page.text.match(/<ul class="summary" id="summary-lines">([\s\S]*?)<\/ul>/)![1];
    expect(summary).toContain(
      'Engpass-Testhaus ist gleich lange überbelegt oder nicht nutzbar wie ohne das Szenario, doch wann oder wie ändert sich – neu: überbelegt 01.08.2032–31.10.2032; nicht mehr: überbelegt 01.02.2032–30.04.2032.',
    );
  });

  it('when a planner cancels a done move, then a confirmation explains it first', async () => {
    const unit = (await get('/api/units'))[0];
    const s1 = (await send('post', '/api/sites', { name: 'Storno-Testhaus', lat: 48.4, lon: 9.99, capacity: 5 })).body;
    const created = (await send('post', '/api/moves', { unit_id: unit.id, to_site_id: s1.id, headcount: 2, date: '2031-01-01', status: 'approved' }))
      .body as Move;
    const m = (await send('post', `/api/moves/${created.id}/status`, { status: 'done', version: created.version })).body as Move;
    const direct = await form(`/moves/${m.id}/status`, { status: 'cancelled', version: String(m.version) });
    expect(direct.headers.location).toBe(`/moves/${m.id}/cancel`);
    expect((await get(`/api/moves/${m.id}`)).status).toBe('done');
    const page = await p.agent.get(`/moves/${m.id}/cancel`);
    expect(page.text).toContain('ist als erledigt erfasst');
    const confirmed = await form(`/moves/${m.id}/status`, { status: 'cancelled', version: String(m.version), confirmed: '1' });
    expect(confirmed.status).toBe(303);
    expect((await get(`/api/moves/${m.id}`)).status).toBe('cancelled');
  });

  it('when the timeline overlays baseline and scenario, then each site has a solid baseline and a dashed scenario line, and capacity 0 with people is kept as over', async () => {
    const sc = ((await get('/api/scenarios')) as { id: number; name: string }[]).find((s) => s.name.startsWith('Kornhausplatz-Sanierung'))!;
    const page = await p.agent.get(`/timeline?scenario_id=${sc.id}&overlay=1&step=month&from=2023-06-01&to=2024-06-01`);
    expect(page.status).toBe(200);
    const raw = page.text
      .match(/id="site-chart" data-chart="([^"]*)"/)![1]
      .replace(/&#34;/g, '"')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    const chart = JSON.parse(raw) as { series: { label: string; dashed: boolean; zero: number[] }[] };
    const kh = chart.series.filter((s) => s.label.startsWith('Kornhausplatz 4/6'));
    expect(kh.map((s) => s.dashed)).toEqual([false, true]);
    expect(kh[1].zero.length).toBeGreaterThan(0);
  });
});

describe('the council report in a scenario', () => {
  it('when the report is printed for a scenario, then it says what differs from the baseline and for how long', async () => {
    const sc = ((await get('/api/scenarios')) as { id: number; name: string }[]).find((s) => s.name.startsWith('Kornhausplatz-Sanierung'))!;
    const page = await p.agent.get(`/report?date=2024-01-15&scenario_id=${sc.id}`);
    expect(page.status).toBe(200);
    const section = page.text.match(/<section class="keep" id="scenario-differences">([\s\S]*?)<\/section>/)![1];
    expect(section).toContain('Unterschiede zur Basisplanung');
    // (earlier tests in this file adopted a shifted renovation, so the exact months vary here)
    expect(section).toMatch(/<li>Kornhausplatz 4\/6 ist \d+ Monate? länger überbelegt oder nicht nutzbar, \d\d\.\d\d\.\d{4}–\d\d\.\d\d\.\d{4}\.<\/li>/);
    expect((await p.agent.get('/report?date=2024-01-15')).text).not.toContain('id="scenario-differences"');
  });
});

describe('who may change a scenario, asked of the scenario service', () => {
  it('when a viewer or a site editor opens the adopt, delete or override pages of a scenario, then 403 and the scenario is unchanged', async () => {
    const sc = (await send('post', '/api/scenarios', { name: 'Nur für Planende' })).body as { id: number; version: number };
    const m = ((await get('/api/moves?scenario_id=baseline')) as { id: number }[])[0];
    for (const role of ['viewer', 'editor'] as const) {
      const other = await t.login(role);
      for (const url of [`/scenarios/${sc.id}/adopt`, `/scenarios/${sc.id}/delete`, `/scenarios/${sc.id}/overrides/moves/${m.id}`]) {
        expect((await other.agent.get(url)).status, `${role} ${url}`).toBe(403);
      }
      const shift = await other.agent.post(`/scenarios/${sc.id}/shift`).type('form').send({ _csrf: other.csrf, amount: '1', unit: 'months' });
      expect(shift.status, `${role} shift`).toBe(403);
    }
    expect((await get(`/api/scenarios/${sc.id}`)).version).toBe(sc.version);
    expect((await p.agent.get(`/scenarios/${sc.id}/adopt`)).status).toBe(200);
  });
});

describe('warnings that concern a unit on the scenario page (issue 27)', () => {
  it('when a scenario moves public-facing units into a building whose access is not recorded, then each added or dropped warning names its unit and team, not the same sentence four times', async () => {
    const sc = ((await get('/api/scenarios')) as { id: number; name: string }[]).find((s) => s.name.startsWith('Eselsberg an der Ladenzeile'))!;
    const res = await p.agent.get(`/scenarios/${sc.id}`);
    expect(res.status).toBe(200);
    const items = (section: string) =>
      [...(new RegExp(`id="${section}"[\\s\\S]*?</section>`).exec(res.text)?.[0] ?? '').matchAll(/<li data-code="STEP_FREE_UNKNOWN">([\s\S]*?)<\/li>/g)].map(
        (m) =>
          m[1]
            .replace(/<[^>]+>/g, ' ')
            .replace(/\s+/g, ' ')
            .trim(),
      );
    const added = items('warnings-added');
    const removed = items('warnings-removed');
    expect(added.length).toBeGreaterThan(1);
    expect(removed.length).toBeGreaterThan(1);
    for (const list of [added, removed]) {
      // each line differs from the others: it names the unit and its team at the site
      expect(new Set(list).size).toBe(list.length);
      for (const line of list) expect(line).toMatch(/ \(Sozialraumteam [^)]+\) am Standort /);
    }
    expect(added.some((l) => l.includes('Sozialer Dienst (Sozialraumteam Eselsberg) am Standort Ladenzeile Stifterweg'))).toBe(true);
  });
});
