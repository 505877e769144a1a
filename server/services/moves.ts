/** Moves: the ledger's rules on every write (references, NEGATIVE_HEADCOUNT, the status machine), a preview, the reads. */
import type { SessionUser } from '../auth/guards.js';
import { notFound, ruleBroken, validation, zodFields } from '../errors.js';
import { distanceM } from '../geo/index.js';
import { rateAccessibility } from '../planning/accessibility.js';
import { placeholderPosition } from './accessibility-report.js';
import { asCounted, newNegativeHeadcounts, type NegativeHeadcount, type Plan } from '../planning/engine.js';
import { statusAsOf } from '../planning/status.js';
import type { MoveStatus, PlanMove, Warning } from '../planning/types.js';
import type { Floor, Move, MoveFilter, Repos, Site, Tx } from '../repositories/index.js';
import * as S from '../schemas.js';
import type { PlanningService } from './planning-service.js';
import { checkFloorsOfSites, MOVE_TRANSITIONS, parseBody, requirePlanner } from './rules.js';
import type { WriteService } from './write-service.js';

export interface PreviewFigures {
  headcount: number;
  capacity: number;
  headcount_estimated: boolean;
  capacity_estimated: boolean;
}

export interface MovePreview {
  warnings: Warning[];
  /**
   * What the move brings that the plan did not have: a warning that is new, or a full or closed
   * site (or floor) it sends people to (said with "Gespeichert."; a move out of a full site brings nothing)
   */
  brought: Warning[];
  window: { site: string; code: string; start: string; end: string }[];
  /** each side's figures, with whether they rest on an estimate (≈) */
  sites: { id: number; name: string; before: PreviewFigures; after: PreviewFigures }[];
  /** the floors the move names: the workplaces their people need, and the floor's workplaces, before and after */
  floors: { id: number; site: string; name: string; before: { needed: number; workplaces: number }; after: { needed: number; workplaces: number } }[];
  /** the site moved to as a public-facing unit meets it at the move's date (its facts then), with the reasons and their figures */
  accessibility: { site: string; rating: string; reasons: { code: string; params: Record<string, number | string> }[] } | null;
  /** the nearest stops; `estimated`: the site stands at a placeholder position (its nearest stop, an estimate), so the distances are ≈ */
  stops: { name: string; distance_m: number; wheelchair: boolean; estimated: boolean }[];
}

export type MoveRepos = Pick<Repos, 'moves' | 'units' | 'teams' | 'sites' | 'scenarios' | 'projects' | 'overrides' | 'floors'>;

export class MoveService {
  constructor(
    private readonly repos: MoveRepos,
    private readonly writes: WriteService,
    private readonly planning: PlanningService,
  ) {}

  // ---------- reads ----------
  /** Moves by filter; as of a date, each also says its status then (a move dated after it is planned, never done). */
  async find(f: MoveFilter, asOf?: string): Promise<(Move & { status_as_of?: MoveStatus })[]> {
    return withStatusAsOf(await this.repos.moves.find(f), asOf);
  }

  /** As `find`, in pages (a long list is written out page by page, never held whole). */
  async *pages(f: MoveFilter, asOf?: string): AsyncGenerator<(Move & { status_as_of?: MoveStatus })[]> {
    for await (const moves of this.repos.moves.pages(f)) yield withStatusAsOf(moves, asOf);
  }

  /** One page of the moves a filter selects (by date, then id) and how many it selects in all. */
  page(f: MoveFilter, limit: number, offset: number): Promise<{ moves: Move[]; total: number }> {
    return this.repos.moves.page(f, limit, offset);
  }

  /** How many of the moves a filter selects come before this one (null: it selects no such move). */
  positionOf(f: MoveFilter, id: number): Promise<number | null> {
    return this.repos.moves.positionOf(f, id);
  }

  /** Every move that belongs to a project, by date (the council report lists them). */
  inProjects(): Promise<Move[]> {
    return this.repos.moves.inProjects();
  }

  // ---------- for the forms: who may change what is asked here, not in the pages ----------
  /** A blank move form: planners only (403); the user who may. */
  mayCreate(user: SessionUser | undefined): SessionUser {
    requirePlanner(user);
    return user;
  }
  /** The move a form changes, cancels or deletes: planners only (403); 404 when there is none. */
  async forChange(user: SessionUser | undefined, id: number): Promise<Move> {
    requirePlanner(user);
    return this.get(id);
  }

  async get(id: number): Promise<Move> {
    const m = await this.repos.moves.get(id);
    if (!m) throw notFound('move');
    return m;
  }

  /** The unit and the two sites of a move (null where there is none), for the words of a confirmation. */
  async ends(m: Move) {
    const [unit, from, to] = await Promise.all([
      this.repos.units.get(m.unit_id),
      m.from_site_id ? this.repos.sites.get(m.from_site_id) : null,
      m.to_site_id ? this.repos.sites.get(m.to_site_id) : null,
    ]);
    return { unit, from, to };
  }

  /** Everything a move form offers to choose from. */
  async formOptions() {
    const [units, teams, sites, scenarios, projects, floors] = await Promise.all([
      this.repos.units.list(),
      this.repos.teams.list(),
      this.repos.sites.list(),
      this.repos.scenarios.list(),
      this.repos.projects.byName(),
      this.repos.floors.list(),
    ]);
    const byName = [...sites].sort((a, b) => a.name.localeCompare(b.name));
    return { units, teams, sites: byName, scenarios, projects, floorsOf: floorsBySite(byName, floors) };
  }

  /** The floors a move may name, per site by name (sites without floors left out), lowest floor first. */
  async floorChoices(): Promise<{ site: Site; floors: Floor[] }[]> {
    const [sites, floors] = await Promise.all([this.repos.sites.list(), this.repos.floors.list()]);
    return floorsBySite(
      [...sites].sort((a, b) => a.name.localeCompare(b.name)),
      floors,
    );
  }

  /**
   * What a move would change at its date (and over its window, when temporary), without writing:
   * validated like a save (400 with the fields), a proposed baseline move counted as approved.
   */
  async preview(user: SessionUser, values: unknown, id?: number): Promise<MovePreview> {
    const candidate = asCounted(await this.checkMove(user, values, id));
    const plan = await this.planning.plan();
    const after = plan.withMove({ upsert: candidate });
    const sc = candidate.scenario_id;
    const stBefore = plan.state(candidate.date, sc);
    const stAfter = after.state(candidate.date, sc);
    const unit = plan.data.units.find((u) => u.id === candidate.unit_id);
    const siteIds = [candidate.from_site_id, candidate.to_site_id].filter((x): x is number => x !== null);
    // a floor's warning is the floor's: two floors of a site are two subjects
    const key = (w: Warning) => `${w.code}|${w.site_id}|${w.team_id}|${w.unit_id}|${w.code === 'FLOOR_OVER_CAPACITY' ? String(w.params.floor) : ''}`;
    const beforeKeys = new Set(stBefore.warnings.map(key));
    const relevant = stAfter.warnings.filter(
      (w) => (w.site_id !== undefined && siteIds.includes(w.site_id)) || (unit && w.team_id === unit.team_id) || w.move_id === candidate.id,
    );
    const warnings = relevant.filter((w) => !beforeKeys.has(key(w)) || w.code === 'OVER_CAPACITY' || w.code === 'SITE_UNAVAILABLE');
    const toFloor = candidate.to_floor_id === null ? undefined : plan.data.floors?.find((f) => f.id === candidate.to_floor_id)?.name;
    const intoSite = candidate.to_site_id !== candidate.from_site_id;
    const intoFull = (w: Warning) =>
      w.site_id === candidate.to_site_id &&
      (w.code === 'FLOOR_OVER_CAPACITY'
        ? toFloor !== undefined && w.params.floor === toFloor
        : intoSite && (w.code === 'OVER_CAPACITY' || w.code === 'SITE_UNAVAILABLE'));
    const brought = relevant.filter((w) => !beforeKeys.has(key(w)) || intoFull(w));
    const window = candidate.until ? after.windowProblems(candidate.date, candidate.until, sc, siteIds).filter((p) => p.code !== 'NEAR_CAPACITY') : [];
    const sites = [...new Set(siteIds)].flatMap((id) => {
      const b = stBefore.sites.find((s) => s.id === id);
      const a = stAfter.sites.find((s) => s.id === id);
      const figures = (x: typeof a & object): PreviewFigures => ({
        headcount: x.headcount,
        capacity: x.capacity,
        headcount_estimated: x.headcount_estimated,
        capacity_estimated: x.capacity_estimated,
      });
      return a && b ? [{ id, name: a.name, before: figures(b), after: figures(a) }] : [];
    });
    let accessibility: MovePreview['accessibility'] = null;
    let stops: MovePreview['stops'] = [];
    const target = candidate.to_site_id !== null ? await this.repos.sites.get(candidate.to_site_id) : undefined;
    if (target) {
      const rated = rateAccessibility(plan.factsAt(target.id, candidate.date, candidate.scenario_id ?? null) ?? target);
      if (unit?.public_facing && (rated.rating === 'none' || rated.rating === 'unknown'))
        accessibility = { site: target.name, rating: rated.rating, reasons: rated.reasons };
      stops = plan.data.stops
        .map((p) => ({ name: p.name, distance_m: distanceM(target, p), wheelchair: p.wheelchair_accessible, estimated: placeholderPosition(target) }))
        .sort((a, b) => a.distance_m - b.distance_m)
        .slice(0, 3);
    }
    return { warnings, brought, window, sites, floors: floorsBeforeAfter(plan, after, candidate, sites), accessibility, stops };
  }

  // ---------- writes ----------
  private async mustExist(kind: 'unit' | 'site' | 'scenario' | 'project', id: number, field: string) {
    const repo = kind === 'unit' ? this.repos.units : kind === 'site' ? this.repos.sites : kind === 'project' ? this.repos.projects : this.repos.scenarios;
    if (!(await repo.get(id))) throw ruleBroken('UNKNOWN_REFERENCE', `${kind} ${id} does not exist`, undefined, { [field]: 'validation.unknown_reference' });
  }

  private async checkMoveRefs(m: {
    unit_id: number;
    from_site_id?: number | null;
    to_site_id?: number | null;
    from_floor_id?: number | null;
    to_floor_id?: number | null;
    scenario_id?: number | null;
    project_id?: number | null;
  }) {
    if (m.project_id != null) await this.mustExist('project', m.project_id, 'project_id');
    await this.mustExist('unit', m.unit_id, 'unit_id');
    if (m.from_site_id != null) await this.mustExist('site', m.from_site_id, 'from_site_id');
    if (m.to_site_id != null) await this.mustExist('site', m.to_site_id, 'to_site_id');
    if (m.scenario_id != null) await this.mustExist('scenario', m.scenario_id, 'scenario_id');
    await checkFloorsOfSites(this.repos.floors, m);
  }

  /** 422 NEGATIVE_HEADCOUNT when the change moves more people out of a site than the unit has there. */
  async checkNegative(change: { upsert?: PlanMove; removeId?: number }) {
    const plan = await this.planning.plan();
    const bad = newNegativeHeadcounts(plan.data.moves, change, plan.data.overrides);
    if (bad.length) {
      const b = bad[0];
      const site = plan.data.sites.find((s) => s.id === b.site_id)?.name ?? b.site_id;
      const unit = plan.data.units.find((u) => u.id === b.unit_id)?.name ?? b.unit_id;
      const floor = b.floor_id !== null ? plan.data.floors?.find((f) => f.id === b.floor_id) : undefined;
      throw negativeHeadcount(unit, site, floor?.name, b, bad, plan.floorIndex().ofSite.has(b.site_id));
    }
  }

  /**
   * The same rule again inside the write's transaction (which holds the write lock, see
   * WriteService.transaction), on the ledger as committed: ten concurrent departures cannot all pass.
   * `old` is the changed move as it was before this transaction changed it.
   */
  async checkNegativeInTransaction(trx: Tx, change: { upsert?: PlanMove; removeId?: number }, old?: PlanMove) {
    const id = change.upsert?.id ?? change.removeId;
    const units = [change.upsert?.unit_id, old?.unit_id].filter((u): u is number => u !== undefined);
    const ledger = (await this.repos.moves.ledgerOfUnits(units, trx)).map((m) => this.normalizeMove({}, m.id, m as Move));
    const moves = old ? [...ledger.filter((m) => m.id !== id), old] : ledger.filter((m) => m.id !== id);
    // read inside the transaction: on SQLite the pool has one connection, which this transaction holds
    const bad = newNegativeHeadcounts(moves, change, await this.repos.overrides.listForPlan(trx));
    if (bad.length) {
      const b = bad[0];
      const site = (await this.repos.sites.get(b.site_id, trx))?.name ?? b.site_id;
      const unit = (await this.repos.units.get(b.unit_id, trx))?.name ?? b.unit_id;
      const floor = b.floor_id !== null ? await this.repos.floors.get(b.floor_id, trx) : undefined;
      const siteHasFloors = (await this.repos.floors.totalOfSite(b.site_id, trx)) !== null;
      throw negativeHeadcount(unit, site, floor?.name, b, bad, siteHasFloors);
    }
  }

  normalizeMove(v: Record<string, unknown>, id = 0, base?: Move): PlanMove {
    const m = { ...(base ?? {}), ...v } as Move;
    return {
      id,
      unit_id: m.unit_id,
      from_site_id: m.from_site_id ?? null,
      to_site_id: m.to_site_id ?? null,
      from_floor_id: m.from_floor_id ?? null,
      to_floor_id: m.to_floor_id ?? null,
      headcount: m.headcount,
      date: m.date,
      until: m.until ?? null,
      status: m.status,
      scenario_id: m.scenario_id ?? null,
    };
  }

  async createMove(user: SessionUser, body: unknown): Promise<Move> {
    requirePlanner(user);
    const v = parseBody(S.MoveCreate, body);
    await this.checkNewMove(v);
    return this.writes.create(this.repos.moves, 'move', user, { ...v, updated_by: user.id }, async (trx, row) =>
      this.checkNegativeInTransaction(trx, { upsert: this.normalizeMove({}, row.id, row) }),
    );
  }

  /**
   * Every check a save of a move runs, without writing (the move form's preview runs exactly
   * these, so a preview never accepts what the save then refuses). Returns the move as the engine sees it.
   */
  async checkMove(user: SessionUser, body: unknown, id?: number): Promise<PlanMove> {
    requirePlanner(user);
    if (id === undefined) return this.checkNewMove(parseBody(S.MoveCreate, body));
    const existing = await this.get(id);
    const { version: _version, ...v } = parseBody(S.MovePatch, { ...(body as object), version: existing.version });
    return this.checkChangedMove(existing, v);
  }

  private async checkNewMove(v: S.MoveCreateInput): Promise<PlanMove> {
    await this.checkMoveRefs(v);
    const candidate = this.normalizeMove(v, -1);
    await this.checkNegative({ upsert: candidate });
    return candidate;
  }

  private async checkChangedMove(existing: Move, v: Record<string, unknown> & { status?: MoveStatus }): Promise<PlanMove> {
    if (v.status && v.status !== existing.status && !MOVE_TRANSITIONS[existing.status].includes(v.status)) {
      throw ruleBroken('ILLEGAL_TRANSITION', `a move cannot go from ${existing.status} to ${v.status}`, undefined, { status: 'validation.transition' });
    }
    const merged = { ...existing, ...v };
    const check = S.moveRules(S.MoveFields).safeParse({
      unit_id: merged.unit_id,
      from_site_id: merged.from_site_id,
      to_site_id: merged.to_site_id,
      from_floor_id: merged.from_floor_id,
      to_floor_id: merged.to_floor_id,
      headcount: merged.headcount,
      date: merged.date,
      until: merged.until,
      status: merged.status,
      scenario_id: merged.scenario_id,
      project_id: merged.project_id,
      reference: merged.reference,
      note: merged.note,
    });
    if (!check.success) throw validation(zodFields(check.error));
    await this.checkMoveRefs(merged);
    const candidate = this.normalizeMove(v, existing.id, existing);
    await this.checkNegative({ upsert: candidate });
    return candidate;
  }

  async updateMove(user: SessionUser, id: number, body: unknown): Promise<Move> {
    requirePlanner(user);
    const existing = await this.get(id);
    const { version, ...v } = parseBody(S.MovePatch, body);
    // a stale version answers 409 (with the current record) before any rule is checked
    if (existing.version === version) await this.checkChangedMove(existing, v);
    return this.writes.update(
      this.repos.moves,
      'move',
      user,
      id,
      version,
      { ...v, updated_by: user.id },
      {
        after: async (trx, row) => this.checkNegativeInTransaction(trx, { upsert: this.normalizeMove({}, id, row) }, this.normalizeMove({}, id, existing)),
      },
    );
  }

  async changeMoveStatus(user: SessionUser, id: number, body: unknown): Promise<Move> {
    requirePlanner(user);
    const existing = await this.repos.moves.get(id);
    if (!existing) throw notFound('move');
    const { status, version } = parseBody(S.MoveStatusChange, body);
    if (!MOVE_TRANSITIONS[existing.status].includes(status)) {
      throw ruleBroken(
        'ILLEGAL_TRANSITION',
        `a move cannot go from ${existing.status} to ${status}`,
        { allowed: MOVE_TRANSITIONS[existing.status] },
        { status: 'validation.transition' },
      );
    }
    return this.writes.update(
      this.repos.moves,
      'move',
      user,
      id,
      version,
      { status, updated_by: user.id },
      {
        action: `status:${status}`,
        after: async (trx, row) => this.checkNegativeInTransaction(trx, { upsert: this.normalizeMove({}, id, row) }, this.normalizeMove({}, id, existing)),
      },
    );
  }

  async deleteMove(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    if (!(await this.repos.moves.get(id))) throw notFound('move');
    await this.writes.remove(this.repos.moves, 'move', user, id, version, async (trx, row) =>
      this.checkNegativeInTransaction(trx, { removeId: id }, this.normalizeMove({}, id, row)),
    );
  }
}

/**
 * 422 NEGATIVE_HEADCOUNT: the change moves more people out of a site (or a floor of it) than the
 * unit has there. At a site with floors the fix is often to name the floor they leave.
 */
function negativeHeadcount(
  unit: string | number,
  site: string | number,
  floor: string | undefined,
  b: NegativeHeadcount,
  violations: NegativeHeadcount[],
  siteHasFloors: boolean,
) {
  const where = floor === undefined ? (siteHasFloors ? `${site} (on no floor)` : String(site)) : `${site}, floor ${floor}`;
  // at a site with floors the floor left is named next to its field; when none was named, that is the fix (the form's headline says so)
  const fromFloor = floor === undefined ? 'validation.negative_no_floor_headcount' : 'validation.negative_floor_headcount';
  return ruleBroken(
    'NEGATIVE_HEADCOUNT',
    `${unit} would have ${b.headcount} people at ${where} on ${b.date}`,
    { violations },
    siteHasFloors ? { headcount: 'validation.negative_headcount', from_floor_id: fromFloor } : { headcount: 'validation.negative_headcount' },
  );
}

/** The floors a move names, before and after it at its date (in its scenario). */
function floorsBeforeAfter(plan: Plan, after: Plan, m: PlanMove, sites: MovePreview['sites']): MovePreview['floors'] {
  const named = [
    [m.from_site_id, m.from_floor_id],
    [m.to_site_id, m.to_floor_id],
  ].filter((p): p is [number, number] => p[0] != null && p[1] != null);
  if (!named.length) return [];
  const siteIds = named.map(([s]) => s);
  const before = plan.stacks(m.date, m.scenario_id, siteIds);
  const later = after.stacks(m.date, m.scenario_id, siteIds);
  return [...new Map(named.map((p) => [p[1], p])).values()].flatMap(([siteId, floorId]) => {
    const b = before.get(siteId)?.floors.find((f) => f.id === floorId);
    const a = later.get(siteId)?.floors.find((f) => f.id === floorId);
    const site = sites.find((s) => s.id === siteId)?.name ?? '';
    return a && b
      ? [{ id: floorId, site, name: a.name, before: { needed: b.needed, workplaces: b.workplaces }, after: { needed: a.needed, workplaces: a.workplaces } }]
      : [];
  });
}

/** The floors of each site that has floors, in the sites' order, lowest floor first (grouped once: 6,000 floors of 2,000 sites). */
function floorsBySite(sites: Site[], floors: Floor[]): { site: Site; floors: Floor[] }[] {
  const of = new Map<number, Floor[]>();
  for (const f of floors) {
    const own = of.get(f.site_id);
    if (own) own.push(f);
    else of.set(f.site_id, [f]);
  }
  return sites.flatMap((site) => {
    const own = of.get(site.id);
    return own ? [{ site, floors: own.sort((a, b) => a.level - b.level) }] : [];
  });
}

/** Each floor's site, from the floors a move may name (see floorChoices). */
export function siteOfFloors(groups: readonly { site: { id: number }; floors: readonly { id: number }[] }[]): Map<number, number> {
  return new Map(groups.flatMap((g) => g.floors.map((f) => [f.id, g.site.id] as const)));
}

/** As of a date, each move also says its status then (a move dated after it is planned, never done). */
function withStatusAsOf(moves: Move[], asOf: string | undefined): (Move & { status_as_of?: MoveStatus })[] {
  return asOf ? moves.map((m) => ({ ...m, status_as_of: statusAsOf(m, asOf) })) : moves;
}
