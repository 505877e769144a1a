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

describe("messages at the edge, in the reader's language", () => {
  it("when the state is read, then each warning carries code, params and a message in the session's language", async () => {
    const de = await agent.get('/api/state?date=2021-03-01');
    const split = de.body.warnings.find((w: { code: string }) => w.code === 'TEAM_SPLIT');
    expect(split.params.team).toBeTruthy();
    expect(split.message).toContain('Standorte verteilt');
    const en = await agent.get('/api/state?date=2021-03-01&lang=en');
    expect(en.body.warnings.find((w: { code: string }) => w.code === 'TEAM_SPLIT').message).toContain('spread over');
    // the session keeps the language until it is changed again
    await agent.get('/api/state?lang=de');
  });

  it("when a site is read, then its accessibility reasons are words in the session's language and codes with params", async () => {
    const sites = (await agent.get('/api/sites')).body as { accessibility_reasons: string[]; accessibility_reason_codes: { code: string }[] }[];
    const withReasons = sites.find((s) => s.accessibility_reason_codes.some((r) => r.code === 'ELEVATOR_UNKNOWN'))!;
    expect(withReasons.accessibility_reasons).toContain('Aufzug unbekannt');
    const geo = (await agent.get('/api/sites.geojson?date=2021-03-01&lang=en')).body;
    expect(geo.features.flatMap((f: { properties: { accessibility_reasons: string[] } }) => f.properties.accessibility_reasons)).toContain('elevator unknown');
    await agent.get('/api/state?lang=de');
  });

  it("when the report is read in English, then its running text and the paper's yes/no answers are English", async () => {
    const en = (await agent.get('/report?date=2021-03-01&lang=en')).text;
    expect(en).toMatch(/<p class="team-summary"><strong>[^<]*<\/strong> (<span class="est"[^>]*>≈<\/span>)?\d+ people, /);
    expect(en).not.toMatch(/\d+ People/);
    expect(en).toMatch(/<td id="finance-staff">no <small/);
    await agent.get('/api/state?lang=de');
  });

  it("when the import page is shown, then its script's texts come from the dictionary", async () => {
    const planner = (await t.login('planner')).agent;
    const page = await planner.get('/import');
    expect(page.text).toMatch(/data-dict="[^"]*import\.line[^"]*Zeile/);
    expect(page.text).toContain('data-lang="de"');
  });

  it("when the import page checks a file, then the rows' messages are in the language it asks for (English without one)", async () => {
    const planner = await t.login('planner');
    const csv = 'name;lat;lon;capacity\r\nKaputt;abc;9,99;3\r\n';
    const send = (q: string) =>
      planner.agent.post(`/api/import/sites?dry_run=1${q}`).set('X-CSRF-Token', planner.csrf).set('Content-Type', 'text/csv').send(csv);
    expect((await send('&lang=de')).body.rejected).toEqual([{ line: 2, field: 'lat', message: 'keine Zahl' }]);
    expect((await send('')).body.rejected).toEqual([{ line: 2, field: 'lat', message: 'not a number' }]);
    await planner.agent.get('/api/state?lang=de');
  });
});
