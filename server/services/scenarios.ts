import type { SessionUser } from '../auth/guards.js';
import type { AppContext } from '../context.js';
import { AppError, notFound, ruleBroken } from '../errors.js';
import { movesFor, negativesOf } from '../planning/engine.js';
import type { PlanMove, Warning } from '../planning/types.js';
import type { Scenario } from '../repositories/index.js';
import { nowIso } from '../repositories/table.js';
import { canPlan } from './resources.js';
import { WriteService } from './write-service.js';
import { forbidden } from '../errors.js';
import type { OverrideService } from './scenario-overrides.js';
import { comparePeriod, type PeriodComparison } from '../planning/compare.js';
import { stepDates } from '../planning/dates.js';
import { validation } from '../errors.js';

const wkey = (w: Warning) => `${w.code}|${w.site_id ?? ''}|${w.team_id ?? ''}|${w.unit_id ?? ''}`;

export interface Comparison {
  date: string;
  scenario: Scenario;
  last_edited: string;
  baseline_changed: { count: number; since: string; latest: string | null; overrides: { override_id: number; move_id: number | null; event_id: number | null; changed_at: string }[] };
  sites: { id: number; name: string; district_id: number | null; before: Figures; after: Figures }[];
  districts: { id: number; name: string; before: Figures; after: Figures }[];
  warnings: { appeared: Warning[]; disappeared: Warning[] };
}
interface Figures { headcount: number; capacity: number; utilization: number | null }

/** Scenarios: compare with the baseline, duplicate, adopt (atomically). */
export class ScenarioService {
  private readonly writes: WriteService;
  constructor(private readonly ctx: AppContext, private readonly overrides?: OverrideService) { this.writes = new WriteService(ctx); }

  private async get(id: number): Promise<Scenario> {
    const s = await this.ctx.repos.scenarios.get(id);
    if (!s) throw notFound('scenario');
    return s;
  }

  /** When the scenario or anything in it was last changed. */
  async lastEdited(s: Scenario): Promise<string> {
    const [m, e, o] = await Promise.all([
      this.ctx.db('moves').where({ scenario_id: s.id }).max({ at: 'updated_at' }).first(),
      this.ctx.db('site_events').where({ scenario_id: s.id }).max({ at: 'updated_at' }).first(),
      this.ctx.repos.overrides.lastChange(s.id),
    ]);
    return [s.updated_at, m?.at, e?.at, o].filter(Boolean).sort().pop() as string;
  }

  async compare(id: number, date: string): Promise<Comparison> {
    const scenario = await this.get(id);
    const plan = await this.ctx.planning.plan();
    const before = plan.state(date, null);
    const after = plan.state(date, id);
    const fig = (x: { headcount: number; capacity: number; utilization: number | null }): Figures => ({ headcount: x.headcount, capacity: x.capacity, utilization: x.utilization });
    const beforeKeys = new Set(before.warnings.map(wkey));
    const afterKeys = new Set(after.warnings.map(wkey));
    const lastEdited = await this.lastEdited(scenario);
    const changed = await Promise.all([
      this.ctx.db('moves').whereNull('scenario_id').where('updated_at', '>', lastEdited).count({ n: '*' }).max({ latest: 'updated_at' }).first(),
      this.ctx.db('site_events').whereNull('scenario_id').where('updated_at', '>', lastEdited).count({ n: '*' }).max({ latest: 'updated_at' }).first(),
    ]);
    const count = changed.reduce((n, r) => n + Number(r?.n ?? 0), 0);
    const latest = changed.map((r) => r?.latest as string | null).filter(Boolean).sort().pop() ?? null;
    // overrides whose baseline record changed after the override was written rest on old facts
    const staleOverrides = await this.ctx.repos.overrides.staleTargets(id);
    return {
      date, scenario, last_edited: lastEdited,
      baseline_changed: { count, since: lastEdited, latest, overrides: staleOverrides },
      sites: after.sites.map((a, i) => ({ id: a.id, name: a.name, district_id: a.district_id, before: fig(before.sites[i]), after: fig(a) }))
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
    if (from > to) throw validation({ to: 'validation.end_before_start' });
    const dates = stepDates(from, to, step, 1201);
    if (dates.length > 1200) throw validation({ to: 'validation.period_too_long' });
    const plan = await this.ctx.planning.plan();
    return { ...comparePeriod(plan, id, dates, to, step), scenario };
  }

  async duplicate(user: SessionUser, id: number, name?: string): Promise<Scenario> {
    if (!canPlan(user)) throw forbidden();
    const src = await this.get(id);
    const newName = (name ?? `${src.name} (Kopie)`).slice(0, 200);
    return this.writes.transaction(async (trx) => {
      const copy = await this.ctx.repos.scenarios.insert({ name: newName, description: src.description, updated_by: user.id }, trx);
      const now = nowIso();
      const strip = <T extends Record<string, unknown>>(r: T) => { const { id: _id, ...rest } = r; return { ...rest, scenario_id: copy.id, version: 1, created_at: now, updated_at: now, updated_by: user.id }; };
      const moves = await trx('moves').where({ scenario_id: id });
      if (moves.length) await trx('moves').insert(moves.map(strip));
      const events = await trx('site_events').where({ scenario_id: id });
      if (events.length) await trx('site_events').insert(events.map(strip));
      await this.writes.audit(trx, user, 'duplicate', 'scenario', copy.id, { from: id }, { ...copy, moves: moves.length, events: events.length });
      return copy;
    });
  }

  /**
   * Adopt: the scenario's moves and events become baseline (proposed moves approved) in one
   * transaction; if the resulting baseline would break NEGATIVE_HEADCOUNT nothing changes.
   */
  async adopt(user: SessionUser, id: number, version?: number): Promise<{ moves: number; events: number; overrides: { moves: number[]; events: number[] } }> {
    if (!canPlan(user)) throw forbidden();
    const s = await this.get(id);
    if (version !== undefined && version !== s.version) throw new AppError(409, 'VERSION_CONFLICT', 'the scenario was changed by someone else', undefined, { current: s });
    return this.writes.transaction(async (trx) => {
      const baseline = async () => (await trx('moves').whereNull('scenario_id').select('id', 'unit_id', 'from_site_id', 'to_site_id', 'headcount', 'date', 'until', 'status', 'scenario_id')) as PlanMove[];
      const negativeBefore = new Set(negativesOf(movesFor(await baseline(), null)).map((n) => `${n.unit_id}|${n.site_id}`));
      const moveIds = (await trx('moves').where({ scenario_id: id }).whereNot({ status: 'cancelled' }).select('id')).map((r: { id: number }) => r.id);
      const now = nowIso();
      // buildings on offer that the scenario moves people into are taken up: planned, opening on their available-from date
      const taken = await trx('sites').where({ status: 'candidate' })
        .whereIn('id', trx('moves').where({ scenario_id: id }).whereNot({ status: 'cancelled' }).whereNotNull('to_site_id').select('to_site_id'));
      for (const site of taken as { id: number; available_from: string | null; version: number }[]) {
        const first = await trx('moves').where({ scenario_id: id, to_site_id: site.id }).whereNot({ status: 'cancelled' }).min({ date: 'date' }).first();
        const opening = site.available_from ?? (first?.date as string);
        await trx('site_events').insert({ site_id: site.id, scenario_id: null, kind: 'opening', date: opening, note: `Szenario „${s.name}“ übernommen`, created_at: now, updated_at: now, updated_by: user.id, version: 1 });
        await trx('sites').where({ id: site.id }).update({ status: 'planned', updated_at: now, updated_by: user.id, version: site.version + 1 });
        await this.writes.audit(trx, user, 'take_up', 'site', site.id, { status: 'candidate' }, { status: 'planned', opening });
      }
      await trx('moves').where({ scenario_id: id }).where({ status: 'proposed' }).update({ status: 'approved', updated_at: now, updated_by: user.id });
      await trx('moves').where({ scenario_id: id }).update({ scenario_id: null, updated_at: now, updated_by: user.id, version: trx.raw('version + 1') });
      const events = await trx('site_events').where({ scenario_id: id }).update({ scenario_id: null, updated_at: now, updated_by: user.id, version: trx.raw('version + 1') });
      // the scenario's changes of baseline records are written into them, in the same transaction
      const overridden = this.overrides ? await this.overrides.applyAll(trx, user, id) : { moves: [], events: [] };
      // check the new baseline inside the transaction: a failure rolls everything back
      const bad = negativesOf(movesFor(await baseline(), null));
      const introduced = bad.filter((b) => !negativeBefore.has(`${b.unit_id}|${b.site_id}`));
      if (introduced.length) throw ruleBroken('NEGATIVE_HEADCOUNT', 'adopting would move more people out of a site than are there; nothing was changed', { violations: introduced });
      await trx('scenarios').where({ id }).del();
      await this.writes.audit(trx, user, 'adopt', 'scenario', id, s, { moves: moveIds, events, overrides: overridden });
      return { moves: moveIds.length, events, overrides: overridden };
    });
  }
}
