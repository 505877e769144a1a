/**
 * The services on their own: each built with only the repositories (and clock, config) it needs,
 * on a fresh SQLite copy of the test database, without HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/guards.js';
import { DEFAULT_PLANNING_CONFIG } from '../../server/config.js';
import { AuditService } from '../../server/services/audit.js';
import { MoveService } from '../../server/services/moves.js';
import { OrganisationService } from '../../server/services/organisation.js';
import { PlanningReads } from '../../server/services/planning-reads.js';
import { PlanningService } from '../../server/services/planning-service.js';
import { ScenarioService } from '../../server/services/scenarios.js';
import { OverrideService } from '../../server/services/scenario-overrides.js';
import { SiteService } from '../../server/services/sites.js';
import { UserService } from '../../server/services/users.js';
import { WriteService } from '../../server/services/write-service.js';
import { createRepos } from '../../server/repositories/index.js';
import { createTestApp, TEST_TODAY, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let writes: WriteService;
let plans: PlanningService;
const today = () => TEST_TODAY;
let planner: SessionUser;
let editor: SessionUser;

beforeAll(async () => {
  t = await createTestApp();
  writes = new WriteService(t.repos);
  plans = new PlanningService(t.repos, DEFAULT_PLANNING_CONFIG, today);
  const users = new UserService(t.repos, writes, { localLogin: true });
  planner = (await users.sessionUserById((await t.repos.users.byUsername('planner'))!.id))!;
  editor = (await users.sessionUserById((await t.repos.users.byUsername('editor'))!.id))!;
});
afterAll(async () => {
  await t.close();
});

describe('the clock of the writes', () => {
  it('when the repositories are given a clock, then every write is stamped with its time, the audit and a verification too', async () => {
    const at = '2031-05-06T07:08:09.000Z';
    const repos = createRepos(t.db, undefined, () => at);
    const stamped = new WriteService(repos);
    const sites = new SiteService(repos, stamped);
    const district = await repos.districts.insert({ name: 'Uhrzeit', geometry: null });
    expect(district).toMatchObject({ created_at: at, updated_at: at });
    const site = (await sites.all())[0];
    await sites.verifySite(planner, site.id, { version: site.version });
    const verified = await sites.get(site.id);
    expect(String(verified.verified_at).slice(0, 19)).toBe(at.slice(0, 19));
    expect(verified.updated_at).toBe(at);
    const [entry] = await repos.audit.find({ entity: 'site', entity_id: site.id, limit: 1 });
    expect(entry.at).toBe(at);
  });
});

describe('SiteService', () => {
  it('when a site editor edits a site that is not theirs, then 403 and nothing changes', async () => {
    const sites = new SiteService(t.repos, writes);
    const other = (await sites.all()).find((s) => !editor.site_ids.includes(s.id))!;
    await expect(sites.updateSite(editor, other.id, { capacity: 1, version: other.version })).rejects.toMatchObject({ status: 403 });
    expect((await sites.get(other.id)).capacity).toBe(other.capacity);
  });

  it("when the events of a site are read for a scenario, then baseline events and that scenario's come, by date", async () => {
    const sites = new SiteService(t.repos, writes);
    const site = (await sites.all())[0];
    const scenario = await t.repos.scenarios.insert({ name: 'Dienst-Test Ereignisse' });
    await sites.createEvent(planner, site.id, { kind: 'capacity', date: '2031-01-01', capacity: 3, scenario_id: scenario.id });
    expect((await sites.events(site.id, scenario.id)).some((e) => e.scenario_id === scenario.id)).toBe(true);
    expect((await sites.events(site.id, null)).every((e) => e.scenario_id === null)).toBe(true);
  });
});

describe('OrganisationService', () => {
  it('when a district still has a team, then deleting it is refused with IN_USE', async () => {
    const org = new OrganisationService(t.repos, writes);
    const team = (await org.teams()).find((x) => x.district_id !== null)!;
    const district = await org.district(team.district_id!);
    await expect(org.deleteDistrict(planner, district.id, district.version)).rejects.toMatchObject({ status: 409, code: 'IN_USE' });
  });
});

describe('MoveService', () => {
  it('when a move would take more people out of a site than are there, then NEGATIVE_HEADCOUNT and nothing is written', async () => {
    const moves = new MoveService(t.repos, writes, plans);
    const [unit] = await t.repos.units.list();
    const [site] = await t.repos.sites.list();
    const before = await t.repos.moves.count();
    await expect(
      moves.createMove(planner, { unit_id: unit.id, from_site_id: site.id, to_site_id: null, headcount: 10_000, date: '2030-01-01', status: 'approved' }),
    ).rejects.toMatchObject({ code: 'NEGATIVE_HEADCOUNT' });
    expect(await t.repos.moves.count()).toBe(before);
  });
});

describe('ScenarioService', () => {
  it('when a scenario is duplicated, then its moves and events are copied in one transaction and audited', async () => {
    const scenarios = new ScenarioService(t.repos, writes, plans, new OverrideService(t.repos, writes));
    const src = (await scenarios.listWithCounts()).find((s) => s.moves > 0)!;
    const copy = await scenarios.duplicate(planner, src.id, 'Kopie im Dienst-Test');
    expect(await t.repos.scenarios.recordCounts(copy.id)).toEqual({ moves: src.moves, events: src.events });
    const audit = await new AuditService(t.repos).find(planner, { entity: 'scenario', entity_id: copy.id });
    expect(audit[0]).toMatchObject({ action: 'duplicate', before: { from: src.id } });
  });

  it('when anyone but a planner or admin asks the audit service for the log, then it refuses (403), whichever page or API asks', async () => {
    const audit = new AuditService(t.repos);
    for (const role of ['viewer', 'site_editor'] as const) await expect(audit.find({ ...planner, role }, { limit: 1 })).rejects.toMatchObject({ status: 403 });
    await expect(audit.page(undefined, {}, 1, 10)).rejects.toMatchObject({ status: 403 });
  });

  it('when an unknown scenario is chosen, then 404; no scenario is the baseline', async () => {
    const scenarios = new ScenarioService(t.repos, writes, plans, new OverrideService(t.repos, writes));
    await expect(scenarios.selection(999_999)).rejects.toMatchObject({ status: 404 });
    expect(await scenarios.selection(undefined)).toBeNull();
  });
});

describe('PlanningReads', () => {
  it('when the state is asked for in English, then each warning carries its message in English, made from code and params', async () => {
    const reads = new PlanningReads(t.repos, plans, DEFAULT_PLANNING_CONFIG, today);
    const state = JSON.parse((await reads.stateJson('2021-03-01', null, 'en')).toString('utf8')) as {
      warnings: { code: string; params: Record<string, unknown>; message: string }[];
    };
    const split = state.warnings.find((w) => w.code === 'TEAM_SPLIT')!;
    expect(split.message).toContain(String(split.params.team));
    expect(split.message).toContain('spread over');
  });

  it('when a period costs more steps × sites than the work budget, then 422 PERIOD_TOO_LONG, whatever asks (timeline, its pieces, its page, a comparison)', async () => {
    const sites = (await plans.plan()).data.sites.length;
    const config = { ...DEFAULT_PLANNING_CONFIG, analysisMaxCells: 100 * sites };
    const budgeted = new PlanningService(t.repos, config, today);
    const reads = new PlanningReads(t.repos, budgeted, config, today);
    const writes = new WriteService(t.repos);
    const scenarios = new ScenarioService(t.repos, writes, budgeted, new OverrideService(t.repos, writes));
    const q = { from: '2000-01-01', to: '2010-01-01', step: 'month' as const, scenarioId: null };
    const tooLong = { status: 422, code: 'PERIOD_TOO_LONG', extra: { limit: { steps: 121, max_steps: 100 } } };
    await expect(reads.timeline(q)).rejects.toMatchObject(tooLong);
    await expect(reads.timelineJson(q)).rejects.toMatchObject(tooLong);
    await expect(reads.timelinePage({ ...q, overlay: false })).rejects.toMatchObject(tooLong);
    const scenarioId = (await t.repos.scenarios.list())[0].id;
    await expect(scenarios.comparePeriod(scenarioId, q.from, q.to)).rejects.toMatchObject(tooLong);
    expect((await reads.timeline({ ...q, step: 'quarter' })).dates).toHaveLength(41);
    await expect(reads.timeline({ ...q, from: '2011-01-01' })).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('when the timeline is sent in pieces, then its text is exactly the JSON of the whole timeline (sites, districts, estimates; baseline and scenario)', async () => {
    const reads = new PlanningReads(t.repos, plans, DEFAULT_PLANNING_CONFIG, today);
    const scenario = (await t.repos.scenarios.list())[0];
    expect(scenario).toBeDefined();
    for (const q of [
      { step: 'month' as const, scenarioId: null },
      { from: '2019-01-01', to: '2024-12-31', step: 'quarter' as const, scenarioId: scenario.id },
    ]) {
      const whole = await reads.timeline(q);
      expect(whole.sites.some((s) => s.capacity_estimated.includes(true) || s.headcount_estimated.includes(true))).toBe(true);
      expect(whole.districts.some((d) => d.headcount.some((h) => h > 0))).toBe(true);
      const pieces = [...(await reads.timelineJson(q, 2000))];
      expect(pieces.length).toBeGreaterThan(2);
      expect(pieces.join('')).toBe(JSON.stringify(whole));
      expect([...(await reads.timelineJson(q))].join('')).toBe(JSON.stringify(whole));
    }
  });
});

describe('PlanningReads: the map', () => {
  it('when the sites are drawn, then buildings on offer come only when asked for', async () => {
    const reads = new PlanningReads(t.repos, plans, DEFAULT_PLANNING_CONFIG, today);
    const statuses = async (withCandidates: boolean) =>
      (
        JSON.parse((await reads.sitesGeojson(TEST_TODAY, null, 'de', withCandidates)).toString('utf8')) as { features: { properties: { status: string } }[] }
      ).features.map((f) => f.properties.status);
    expect(await statuses(false)).not.toContain('candidate');
    expect(await statuses(true)).toContain('candidate');
  });
});

describe('UserService', () => {
  it('when the password is right but the account is deactivated, then no user and `inactive`', async () => {
    const users = new UserService(t.repos, writes, { localLogin: true });
    expect((await users.checkCredentials('viewer', 'wrong-password')).inactive).toBe(false);
    expect((await users.checkCredentials('viewer', 'test-password-1')).user?.username).toBe('viewer');
  });
});
