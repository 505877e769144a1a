/** Scenarios: create, rename, delete; compare with the baseline; duplicate; adopt (atomically). */
import type { SessionUser } from '../auth/guards.js';
import { AppError, notFound, ruleBroken } from '../errors.js';
import { comparePeriod, type PeriodComparison } from '../planning/compare.js';
import { introducedNegatives, movesFor } from '../planning/engine.js';
import { DATE_MAX, DATE_MIN, inDateDomain } from '../planning/dates.js';
import type { Warning } from '../planning/types.js';
import type { Move, Repos, Scenario, SiteEvent } from '../repositories/index.js';
import type { Tx } from '../repositories/table.js';
import * as S from '../schemas.js';
import type { PlanningService } from './planning-service.js';
import { parseBody, requirePlanner } from './rules.js';
import type { OverrideService } from './scenario-overrides.js';
import type { WriteService } from './write-service.js';

const wkey = (w: Warning) => `${w.code}|${w.site_id ?? ''}|${w.team_id ?? ''}|${w.unit_id ?? ''}`;

export interface Comparison {
  date: string;
  scenario: Scenario;
  last_edited: string;
  baseline_changed: {
    count: number;
    since: string;
    latest: string | null;
    overrides: { override_id: number; move_id: number | null; event_id: number | null; changed_at: string }[];
  };
  sites: { id: number; name: string; district_id: number | null; before: Figures; after: Figures }[];
  districts: { id: number; name: string; before: Figures; after: Figures }[];
  warnings: { appeared: Warning[]; disappeared: Warning[] };
}
interface Figures {
  headcount: number;
  capacity: number;
  utilization: number | null;
  /** the headcount, the capacity rest on estimates (≈) */
  headcount_estimated: boolean;
  capacity_estimated: boolean;
}

export type ScenarioRepos = Pick<Repos, 'scenarios' | 'moves' | 'events' | 'overrides'>;

export class ScenarioService {
  constructor(
    private readonly repos: ScenarioRepos,
    private readonly writes: WriteService,
    private readonly planning: PlanningService,
    private readonly overrides: OverrideService,
  ) {}

  // ---------- reads ----------
  list(): Promise<Scenario[]> {
    return this.repos.scenarios.list();
  }

  /** Duplicating, adopting or deleting a scenario from its page: planners only (403); the user who may. */
  mayWrite(user: SessionUser | undefined): SessionUser {
    requirePlanner(user);
    return user;
  }

  /** A scenario as a planner opens it to change it (adopt, delete, shift, override a record): 403 for every other role. */
  async forChange(user: SessionUser | undefined, id: number): Promise<Scenario> {
    requirePlanner(user);
    return this.get(id);
  }

  async get(id: number): Promise<Scenario> {
    const s = await this.repos.scenarios.get(id);
    if (!s) throw notFound('scenario');
    return s;
  }

  /** The scenario id when given (404 when there is no such scenario), else null: the baseline. */
  async selection(id: number | undefined | null): Promise<number | null> {
    if (id === undefined || id === null) return null;
    await this.get(id);
    return id;
  }

  /** Every scenario with how many moves and events it has and when it was last changed. */
  async listWithCounts(): Promise<(Scenario & { moves: number; events: number; last: string })[]> {
    const list = await this.repos.scenarios.list();
    return Promise.all(list.map(async (s) => ({ ...s, ...(await this.repos.scenarios.recordCounts(s.id)), last: await this.lastEdited(s) })));
  }

  /** The scenario's own moves and events. */
  async records(id: number): Promise<{ moves: Move[]; events: SiteEvent[] }> {
    const [moves, events] = await Promise.all([this.repos.moves.find({ scenario_id: id }), this.repos.events.list({ scenario_id: id })]);
    return { moves, events };
  }

  /** When the scenario or anything in it was last changed. */
  async lastEdited(s: Scenario): Promise<string> {
    const [records, overrides] = await Promise.all([this.repos.scenarios.lastRecordChange(s.id), this.repos.overrides.lastChange(s.id)]);
    return [s.updated_at, records, overrides]
      .filter((x): x is string => Boolean(x))
      .sort()
      .pop() as string;
  }

  async compare(id: number, date: string): Promise<Comparison> {
    const scenario = await this.get(id);
    const plan = await this.planning.plan();
    const before = plan.state(date, null);
    const after = plan.state(date, id);
    const fig = (x: Figures): Figures => ({
      headcount: x.headcount,
      capacity: x.capacity,
      utilization: x.utilization,
      headcount_estimated: x.headcount_estimated && x.headcount !== 0,
      capacity_estimated: x.capacity_estimated,
    });
    const beforeKeys = new Set(before.warnings.map(wkey));
    const afterKeys = new Set(after.warnings.map(wkey));
    const lastEdited = await this.lastEdited(scenario);
    const changed = await this.repos.scenarios.baselineChangedSince(lastEdited);
    // overrides whose baseline record changed after the override was written rest on old facts
    const staleOverrides = await this.repos.overrides.staleTargets(id);
    return {
      date,
      scenario,
      last_edited: lastEdited,
      baseline_changed: { count: changed.count, since: lastEdited, latest: changed.latest, overrides: staleOverrides },
      sites: after.sites
        .map((a, i) => ({ id: a.id, name: a.name, district_id: a.district_id, before: fig(before.sites[i]), after: fig(a) }))
        .filter((x) => x.before.headcount !== x.after.headcount || x.before.capacity !== x.after.capacity || x.after.headcount > 0),
      districts: after.districts.map((a, i) => ({ id: a.id, name: a.name, before: fig(before.districts[i]), after: fig(a) })),
      warnings: {
        appeared: after.warnings.filter((w) => !beforeKeys.has(wkey(w))),
        disappeared: before.warnings.filter((w) => !afterKeys.has(wkey(w))),
      },
    };
  }

  /** The comparison over a period in monthly (or quarterly) steps; see planning/compare.ts. */
  async comparePeriod(id: number, from: string, to: string, step: 'month' | 'quarter' = 'month'): Promise<PeriodComparison & { scenario: Scenario }> {
    const scenario = await this.get(id);
    const dates = await this.planning.periodDates(from, to, step);
    const plan = await this.planning.plan();
    return { ...comparePeriod(plan, id, dates, to, step), scenario };
  }

  /** The scenario's own moves and events, and its changes of baseline records, dated outside the date domain. */
  private async datesOutsideDomain(id: number, trx: Tx): Promise<{ kind: string; id: number; field: string; value: string }[]> {
    // one after the other: a transaction's connection runs one statement at a time
    const moves = await this.repos.moves.find({ scenario_id: id }, trx);
    const events = await this.repos.events.list({ scenario_id: id }, trx);
    const overrides = await this.repos.overrides.list({ scenario_id: id }, trx);
    const out: { kind: string; id: number; field: string; value: string }[] = [];
    const check = (kind: string, recordId: number, record: Record<string, unknown>, fields: readonly string[]) => {
      for (const f of fields) {
        const v = record[f];
        if (v !== null && v !== undefined && !inDateDomain(v)) out.push({ kind, id: recordId, field: f, value: String(v).slice(0, 40) });
      }
    };
    for (const m of moves) check('move', m.id, m as unknown as Record<string, unknown>, ['date', 'until']);
    for (const e of events) check('event', e.id, e as unknown as Record<string, unknown>, ['date', 'end_date']);
    for (const o of overrides) check('override', (o.move_id ?? o.event_id) as number, o.changes, ['date', 'until', 'end_date']);
    return out;
  }

  // ---------- writes ----------
  async createScenario(user: SessionUser, body: unknown) {
    requirePlanner(user);
    return this.writes.create(this.repos.scenarios, 'scenario', user, { ...parseBody(S.ScenarioCreate, body), updated_by: user.id });
  }
  async updateScenario(user: SessionUser, id: number, body: unknown) {
    requirePlanner(user);
    const { version, ...v } = parseBody(S.ScenarioPatch, body);
    return this.writes.update(this.repos.scenarios, 'scenario', user, id, version, { ...v, updated_by: user.id });
  }
  async deleteScenario(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    await this.writes.remove(this.repos.scenarios, 'scenario', user, id, version);
  }

  async duplicate(user: SessionUser, id: number, name?: string): Promise<Scenario> {
    requirePlanner(user);
    const src = await this.get(id);
    const newName = (name ?? `${src.name} (Kopie)`).slice(0, 200);
    return this.writes.transaction(async (trx) => {
      const copy = await this.repos.scenarios.insert({ name: newName, description: src.description, updated_by: user.id }, trx);
      const copied = await this.repos.scenarios.copyRecords(id, copy.id, user.id, trx);
      await this.writes.audit(trx, user, 'duplicate', 'scenario', copy.id, { from: id }, { ...copy, ...copied });
      return copy;
    });
  }

  /**
   * Adopt: the scenario's moves and events become baseline (proposed moves approved) in one
   * transaction; if the resulting baseline would break NEGATIVE_HEADCOUNT nothing changes.
   */
  async adopt(user: SessionUser, id: number, version?: number): Promise<{ moves: number; events: number; overrides: { moves: number[]; events: number[] } }> {
    requirePlanner(user);
    const s = await this.get(id);
    if (version !== undefined && version !== s.version)
      throw new AppError(409, 'VERSION_CONFLICT', 'the scenario was changed by someone else', undefined, { current: s });
    return this.writes.transaction(async (trx) => {
      // nothing dated outside 1900–2199 reaches the baseline (records stored before the domain held)
      const outside = await this.datesOutsideDomain(id, trx);
      const baseline = () => this.repos.moves.baselineLedger(trx);
      const before = movesFor(await baseline(), null);
      // buildings on offer that the scenario moves people into are taken up: planned, opening on their available-from date
      for (const site of await this.repos.scenarios.takeUpCandidates(id, `Szenario „${s.name}“ übernommen`, user.id, trx)) {
        if (!inDateDomain(site.opening)) outside.push({ kind: 'site', id: site.id, field: 'available_from', value: String(site.opening).slice(0, 40) });
        await this.writes.audit(trx, user, 'take_up', 'site', site.id, { status: 'candidate' }, { status: 'planned', opening: site.opening });
      }
      if (outside.length)
        throw ruleBroken(
          'DATE_OUT_OF_RANGE',
          `the scenario holds ${outside.length} date(s) outside ${DATE_MIN} … ${DATE_MAX}; correct them before adopting; nothing was changed`,
          { records: outside.slice(0, 100), min: DATE_MIN, max: DATE_MAX },
        );
      const { moveIds, events } = await this.repos.scenarios.adoptRecords(id, user.id, trx);
      // the scenario's changes of baseline records are written into them, in the same transaction
      const overridden = await this.overrides.applyAll(trx, user, id);
      // check the new baseline inside the transaction: a failure rolls everything back
      const introduced = introducedNegatives(before, movesFor(await baseline(), null));
      if (introduced.length)
        throw ruleBroken('NEGATIVE_HEADCOUNT', 'adopting would move more people out of a site than are there; nothing was changed', { violations: introduced });
      await this.repos.scenarios.delete(id, trx);
      await this.writes.audit(trx, user, 'adopt', 'scenario', id, s, { moves: moveIds, events, overrides: overridden });
      return { moves: moveIds.length, events, overrides: overridden };
    });
  }
}
