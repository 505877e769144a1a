/**
 * The rules of every write, shared by the API and the forms: parse (zod), authorize by role,
 * check references and engine rules, then write through the WriteService (transaction + audit).
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { canEditSite, type SessionUser } from '../auth/guards.js';
import type { AppContext } from '../context.js';
import { AppError, forbidden, notFound, ruleBroken, validation, zodFields } from '../errors.js';
import { GeometryError, areaOf, parseAreaGeometry, storedAreaGeometry } from '../geo/index.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { newNegativeHeadcounts } from '../planning/engine.js';
import type { MoveStatus, PlanMove } from '../planning/types.js';
import type { Move, Role, Site } from '../repositories/index.js';
import { nowIso } from '../repositories/table.js';
import * as S from '../schemas.js';
import { WriteService, scrub } from './write-service.js';

export function parseBody<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw validation(zodFields(r.error));
  return r.data;
}

const PLANNERS: Role[] = ['admin', 'planner'];
export const canPlan = (u: SessionUser | undefined) => Boolean(u && PLANNERS.includes(u.role));
function requirePlanner(u: SessionUser) { if (!canPlan(u)) throw forbidden(); }
/** Scenarios are the planners' work: a site_editor touches only baseline records (of their own sites). */
function baselineOnlyUnlessPlanner(u: SessionUser, ...scenarioIds: (number | null | undefined)[]) {
  if (!canPlan(u) && scenarioIds.some((id) => id != null)) throw forbidden('scenarios are changed by planners only');
}
function requireAdmin(u: SessionUser) { if (u.role !== 'admin') throw forbidden(); }

export const MOVE_TRANSITIONS: Record<MoveStatus, MoveStatus[]> = {
  proposed: ['approved', 'cancelled'],
  approved: ['done', 'cancelled'],
  done: ['cancelled'],
  cancelled: [],
};

export class Resources {
  readonly writes: WriteService;
  constructor(private readonly ctx: AppContext) { this.writes = new WriteService(ctx); }

  // ---------- sites ----------
  private async districtFor(p: { lat: number; lon: number }): Promise<number | null> {
    const districts = await this.ctx.repos.districts.list();
    return areaOf(districts.map((d) => ({ id: d.id, geometry: storedAreaGeometry(d.geometry) })), p);
  }

  async createSite(user: SessionUser, body: unknown): Promise<Site> {
    requirePlanner(user);
    const v = parseBody(S.SiteCreate, body);
    return this.writes.create(this.ctx.repos.sites, 'site', user, { ...v, district_id: await this.districtFor(v), updated_by: user.id });
  }

  async updateSite(user: SessionUser, id: number, body: unknown): Promise<Site> {
    const site = await this.ctx.repos.sites.get(id);
    if (!site) throw notFound('site');
    if (!canEditSite(user, id)) throw forbidden('you may edit only your own sites');
    const { version, ...v } = parseBody(S.SitePatch, body);
    const values: Record<string, unknown> = { ...v, updated_by: user.id };
    if (v.lat !== undefined || v.lon !== undefined) values.district_id = await this.districtFor({ lat: v.lat ?? site.lat, lon: v.lon ?? site.lon });
    return this.writes.update(this.ctx.repos.sites, 'site', user, id, version, values);
  }

  async verifySite(user: SessionUser, id: number, body: unknown): Promise<Site> {
    if (!(await this.ctx.repos.sites.get(id))) throw notFound('site');
    if (!canEditSite(user, id)) throw forbidden('you may confirm only your own sites');
    const { version } = parseBody(S.VersionOnly, body);
    return this.writes.update(this.ctx.repos.sites, 'site', user, id, version, { verified_at: nowIso(), verified_by: user.id, updated_by: user.id }, { action: 'verify' });
  }

  async deleteSite(user: SessionUser, id: number, version?: number): Promise<void> {
    requirePlanner(user);
    await this.writes.remove(this.ctx.repos.sites, 'site', user, id, version, async (trx) => {
      if (await this.ctx.repos.sites.usedByLedger(id, trx)) throw new AppError(409, 'IN_USE', 'the site is used by moves in the ledger; cancel or move them first');
      await trx('site_events').where({ site_id: id }).del();
    });
  }

  // ---------- site events ----------
  async createEvent(user: SessionUser, siteId: number, body: unknown) {
    if (!(await this.ctx.repos.sites.get(siteId))) throw notFound('site');
    if (!canEditSite(user, siteId)) throw forbidden('you may edit only your own sites');
    const v = parseBody(S.EventCreate, body);
    baselineOnlyUnlessPlanner(user, v.scenario_id);
    if (v.scenario_id != null) await this.mustExist('scenario', v.scenario_id, 'scenario_id');
    if (v.project_id != null) await this.mustExist('project', v.project_id, 'project_id');
    return this.writes.create(this.ctx.repos.events, 'site_event', user, { ...v, end_date: v.kind === 'renovation' ? v.end_date ?? null : null, site_id: siteId, updated_by: user.id });
  }

  async updateEvent(user: SessionUser, siteId: number, id: number, body: unknown) {
    const ev = await this.ctx.repos.events.get(id);
    if (!ev || ev.site_id !== siteId) throw notFound('site event');
    if (!canEditSite(user, siteId)) throw forbidden('you may edit only your own sites');
    const { version, ...v } = parseBody(S.EventPatch, body);
    // a site_editor changes baseline events only, and cannot move one into a scenario
    baselineOnlyUnlessPlanner(user, ev.scenario_id, v.scenario_id);
    const merged = { ...ev, ...v };
    const check = S.EventCreate.safeParse({ kind: merged.kind, date: merged.date, end_date: merged.end_date, capacity: merged.capacity, note: merged.note, scenario_id: merged.scenario_id });
    if (!check.success) throw validation(zodFields(check.error));
    if (v.project_id != null) await this.mustExist('project', v.project_id, 'project_id');
    return this.writes.update(this.ctx.repos.events, 'site_event', user, id, version, { ...v, updated_by: user.id });
  }

  async deleteEvent(user: SessionUser, siteId: number, id: number, version?: number) {
    const ev = await this.ctx.repos.events.get(id);
    if (!ev || ev.site_id !== siteId) throw notFound('site event');
    if (!canEditSite(user, siteId)) throw forbidden('you may edit only your own sites');
    baselineOnlyUnlessPlanner(user, ev.scenario_id);
    await this.writes.remove(this.ctx.repos.events, 'site_event', user, id, version, async (_trx, row) => baselineOnlyUnlessPlanner(user, row.scenario_id));
  }

  // ---------- moves ----------
  private async mustExist(kind: 'unit' | 'site' | 'scenario' | 'project', id: number, field: string) {
    const repo = kind === 'unit' ? this.ctx.repos.units : kind === 'site' ? this.ctx.repos.sites : kind === 'project' ? this.ctx.repos.projects : this.ctx.repos.scenarios;
    if (!(await repo.get(id))) throw ruleBroken('UNKNOWN_REFERENCE', `${kind} ${id} does not exist`, undefined, { [field]: 'validation.unknown_reference' });
  }

  private async checkMoveRefs(m: { unit_id: number; from_site_id?: number | null; to_site_id?: number | null; scenario_id?: number | null; project_id?: number | null }) {
    if (m.project_id != null) await this.mustExist('project', m.project_id, 'project_id');
    await this.mustExist('unit', m.unit_id, 'unit_id');
    if (m.from_site_id != null) await this.mustExist('site', m.from_site_id, 'from_site_id');
    if (m.to_site_id != null) await this.mustExist('site', m.to_site_id, 'to_site_id');
    if (m.scenario_id != null) await this.mustExist('scenario', m.scenario_id, 'scenario_id');
  }

  /** 422 NEGATIVE_HEADCOUNT when the change moves more people out of a site than the unit has there. */
  async checkNegative(change: { upsert?: PlanMove; removeId?: number }) {
    const plan = await this.ctx.planning.plan();
    const bad = newNegativeHeadcounts(plan.data.moves, change, plan.data.overrides);
    if (bad.length) {
      const b = bad[0];
      const site = plan.data.sites.find((s) => s.id === b.site_id)?.name ?? b.site_id;
      const unit = plan.data.units.find((u) => u.id === b.unit_id)?.name ?? b.unit_id;
      throw ruleBroken('NEGATIVE_HEADCOUNT', `${unit} would have ${b.headcount} people at ${site} on ${b.date}`, { violations: bad }, { headcount: 'validation.negative_headcount' });
    }
  }

  /**
   * The same rule again inside the write's transaction (which holds the write lock, see
   * WriteService.transaction), on the ledger as committed: ten concurrent departures cannot all pass.
   * `old` is the changed move as it was before this transaction changed it.
   */
  async checkNegativeInTransaction(trx: Knex.Transaction, change: { upsert?: PlanMove; removeId?: number }, old?: PlanMove) {
    const id = change.upsert?.id ?? change.removeId;
    const units = [change.upsert?.unit_id, old?.unit_id].filter((u): u is number => u !== undefined);
    const ledger = (await this.ctx.repos.moves.ledgerOfUnits(units, trx)).map((m) => this.normalizeMove({}, m.id, m as Move));
    const moves = old ? [...ledger.filter((m) => m.id !== id), old] : ledger.filter((m) => m.id !== id);
    // read inside the transaction: on SQLite the pool has one connection, which this transaction holds
    const bad = newNegativeHeadcounts(moves, change, await this.ctx.repos.overrides.listForPlan(trx));
    if (bad.length) {
      const b = bad[0];
      const site = (await this.ctx.repos.sites.get(b.site_id, trx))?.name ?? b.site_id;
      const unit = (await this.ctx.repos.units.get(b.unit_id, trx))?.name ?? b.unit_id;
      throw ruleBroken('NEGATIVE_HEADCOUNT', `${unit} would have ${b.headcount} people at ${site} on ${b.date}`, { violations: bad }, { headcount: 'validation.negative_headcount' });
    }
  }

  normalizeMove(v: Record<string, unknown>, id = 0, base?: Move): PlanMove {
    const m = { ...(base ?? {}), ...v } as Move;
    return { id, unit_id: m.unit_id, from_site_id: m.from_site_id ?? null, to_site_id: m.to_site_id ?? null, headcount: m.headcount, date: m.date, until: m.until ?? null, status: m.status, scenario_id: m.scenario_id ?? null };
  }

  async createMove(user: SessionUser, body: unknown): Promise<Move> {
    requirePlanner(user);
    const v = parseBody(S.MoveCreate, body);
    await this.checkNewMove(v);
    return this.writes.create(this.ctx.repos.moves, 'move', user, { ...v, updated_by: user.id },
      async (trx, row) => this.checkNegativeInTransaction(trx, { upsert: this.normalizeMove({}, row.id, row) }));
  }

  /**
   * Every check a save of a move runs, without writing (the move form's preview runs exactly
   * these, so a preview never accepts what the save then refuses). Returns the move as the engine sees it.
   */
  async checkMove(user: SessionUser, body: unknown, id?: number): Promise<PlanMove> {
    requirePlanner(user);
    if (id === undefined) return this.checkNewMove(parseBody(S.MoveCreate, body));
    const existing = await this.ctx.repos.moves.get(id);
    if (!existing) throw notFound('move');
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
      unit_id: merged.unit_id, from_site_id: merged.from_site_id, to_site_id: merged.to_site_id, headcount: merged.headcount, date: merged.date,
      until: merged.until, status: merged.status, scenario_id: merged.scenario_id, project_id: merged.project_id, reference: merged.reference, note: merged.note,
    });
    if (!check.success) throw validation(zodFields(check.error));
    await this.checkMoveRefs(merged);
    const candidate = this.normalizeMove(v, existing.id, existing);
    await this.checkNegative({ upsert: candidate });
    return candidate;
  }

  async updateMove(user: SessionUser, id: number, body: unknown): Promise<Move> {
    requirePlanner(user);
    const existing = await this.ctx.repos.moves.get(id);
    if (!existing) throw notFound('move');
    const { version, ...v } = parseBody(S.MovePatch, body);
    // a stale version answers 409 (with the current record) before any rule is checked
    if (existing.version === version) await this.checkChangedMove(existing, v);
    return this.writes.update(this.ctx.repos.moves, 'move', user, id, version, { ...v, updated_by: user.id }, {
      after: async (trx, row) => this.checkNegativeInTransaction(trx, { upsert: this.normalizeMove({}, id, row) }, this.normalizeMove({}, id, existing)),
    });
  }

  async changeMoveStatus(user: SessionUser, id: number, body: unknown): Promise<Move> {
    requirePlanner(user);
    const existing = await this.ctx.repos.moves.get(id);
    if (!existing) throw notFound('move');
    const { status, version } = parseBody(S.MoveStatusChange, body);
    if (!MOVE_TRANSITIONS[existing.status].includes(status)) {
      throw ruleBroken('ILLEGAL_TRANSITION', `a move cannot go from ${existing.status} to ${status}`, { allowed: MOVE_TRANSITIONS[existing.status] }, { status: 'validation.transition' });
    }
    return this.writes.update(this.ctx.repos.moves, 'move', user, id, version, { status, updated_by: user.id }, {
      action: `status:${status}`,
      after: async (trx, row) => this.checkNegativeInTransaction(trx, { upsert: this.normalizeMove({}, id, row) }, this.normalizeMove({}, id, existing)),
    });
  }

  async deleteMove(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    if (!(await this.ctx.repos.moves.get(id))) throw notFound('move');
    await this.writes.remove(this.ctx.repos.moves, 'move', user, id, version, async (trx, row) => this.checkNegativeInTransaction(trx, { removeId: id }, this.normalizeMove({}, id, row)));
  }

  // ---------- districts, teams, units, places, scenarios ----------
  async createDistrict(user: SessionUser, body: unknown) {
    requirePlanner(user);
    this.precheckGeometry(body);
    const v = parseBody(S.DistrictCreate, body);
    const geometry = v.geometry ? this.geometry(v.geometry) : null;
    // a new boundary may take in sites that had no district: derive them again in the same transaction
    return this.writes.create(this.ctx.repos.districts, 'district', user, { name: v.name, geometry }, async (trx) => { if (geometry) await this.rederiveDistricts(trx); });
  }
  async updateDistrict(user: SessionUser, id: number, body: unknown) {
    requirePlanner(user);
    this.precheckGeometry(body);
    const { version, ...v } = parseBody(S.DistrictPatch, body);
    const values: Record<string, unknown> = { ...v };
    if (v.geometry !== undefined) values.geometry = v.geometry ? this.geometry(v.geometry) : null;
    return this.writes.update(this.ctx.repos.districts, 'district', user, id, version, values, {
      after: async (trx) => { if (v.geometry !== undefined) await this.rederiveDistricts(trx); },
    });
  }
  /** A boundary that is not a valid polygon is 422 INVALID_GEOMETRY, whatever else the body holds. */
  private precheckGeometry(body: unknown) {
    const g = body && typeof body === 'object' ? (body as { geometry?: unknown }).geometry : undefined;
    // (text that is not JSON at all stays a 400 of the form's field)
    if (g !== null && typeof g === 'object') this.geometry(g);
  }
  private geometry(g: unknown): string {
    try { return JSON.stringify(parseAreaGeometry(g)); } catch (e) {
      throw ruleBroken('INVALID_GEOMETRY', e instanceof GeometryError ? `invalid boundary: ${e.message}` : 'invalid boundary', undefined, { geometry: 'validation.geometry' });
    }
  }
  /** The district of a site is always derived from its position: recompute after a boundary changes. */
  private async rederiveDistricts(trx: import('knex').Knex.Transaction) {
    const districts = (await trx('districts').select('id', 'geometry')).map((d: { id: number; geometry: string | null }) => ({ id: d.id, geometry: storedAreaGeometry(d.geometry) }));
    for (const s of await trx('sites').select('id', 'lat', 'lon', 'district_id')) {
      const d = areaOf(districts, s);
      if (d !== s.district_id) await trx('sites').where({ id: s.id }).update({ district_id: d });
    }
  }
  async deleteDistrict(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    await this.writes.remove(this.ctx.repos.districts, 'district', user, id, version, async (trx) => {
      if (await trx('teams').where({ district_id: id }).first('id')) throw new AppError(409, 'IN_USE', 'a team belongs to this district');
      await trx('sites').where({ district_id: id }).update({ district_id: null });
    });
  }

  async createTeam(user: SessionUser, body: unknown) {
    requirePlanner(user);
    const v = parseBody(S.TeamCreate, body);
    if (v.district_id != null && !(await this.ctx.repos.districts.get(v.district_id))) throw ruleBroken('UNKNOWN_REFERENCE', 'district does not exist', undefined, { district_id: 'validation.unknown_reference' });
    return this.writes.create(this.ctx.repos.teams, 'team', user, { ...v, district_id: v.district_id ?? null });
  }
  async updateTeam(user: SessionUser, id: number, body: unknown) {
    requirePlanner(user);
    const existing = await this.ctx.repos.teams.get(id);
    if (!existing) throw notFound('team');
    const { version, ...v } = parseBody(S.TeamPatch, body);
    const merged = { ...existing, ...v };
    if ((merged.kind === 'district') !== (merged.district_id != null)) throw validation({ district_id: 'validation.team_district' });
    if (merged.district_id != null && !(await this.ctx.repos.districts.get(merged.district_id))) throw ruleBroken('UNKNOWN_REFERENCE', 'district does not exist', undefined, { district_id: 'validation.unknown_reference' });
    return this.writes.update(this.ctx.repos.teams, 'team', user, id, version, v);
  }
  async deleteTeam(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    await this.writes.remove(this.ctx.repos.teams, 'team', user, id, version, async (trx) => {
      if (await trx('units').where({ team_id: id }).first('id')) throw new AppError(409, 'IN_USE', 'the team still has units');
    });
  }

  async createUnit(user: SessionUser, body: unknown) {
    requirePlanner(user);
    const v = parseBody(S.UnitCreate, body);
    if (!(await this.ctx.repos.teams.get(v.team_id))) throw ruleBroken('UNKNOWN_REFERENCE', 'team does not exist', undefined, { team_id: 'validation.unknown_reference' });
    return this.writes.create(this.ctx.repos.units, 'unit', user, v);
  }
  async updateUnit(user: SessionUser, id: number, body: unknown) {
    requirePlanner(user);
    const { version, ...v } = parseBody(S.UnitPatch, body);
    if (v.team_id !== undefined && !(await this.ctx.repos.teams.get(v.team_id))) throw ruleBroken('UNKNOWN_REFERENCE', 'team does not exist', undefined, { team_id: 'validation.unknown_reference' });
    return this.writes.update(this.ctx.repos.units, 'unit', user, id, version, v);
  }
  async deleteUnit(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    await this.writes.remove(this.ctx.repos.units, 'unit', user, id, version, async (trx) => {
      if (await trx('moves').where({ unit_id: id }).first('id')) throw new AppError(409, 'IN_USE', 'the unit is used by moves in the ledger');
    });
  }

  async createPlace(user: SessionUser, body: unknown) {
    requirePlanner(user);
    return this.writes.create(this.ctx.repos.places, 'place', user, parseBody(S.PlaceCreate, body));
  }
  async updatePlace(user: SessionUser, id: number, body: unknown) {
    requirePlanner(user);
    const { version, ...v } = parseBody(S.PlacePatch, body);
    return this.writes.update(this.ctx.repos.places, 'place', user, id, version, v);
  }
  async deletePlace(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    await this.writes.remove(this.ctx.repos.places, 'place', user, id, version);
  }

  async createScenario(user: SessionUser, body: unknown) {
    requirePlanner(user);
    return this.writes.create(this.ctx.repos.scenarios, 'scenario', user, { ...parseBody(S.ScenarioCreate, body), updated_by: user.id });
  }
  async updateScenario(user: SessionUser, id: number, body: unknown) {
    requirePlanner(user);
    const { version, ...v } = parseBody(S.ScenarioPatch, body);
    return this.writes.update(this.ctx.repos.scenarios, 'scenario', user, id, version, { ...v, updated_by: user.id });
  }
  async deleteScenario(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    await this.writes.remove(this.ctx.repos.scenarios, 'scenario', user, id, version);
  }

  // ---------- users (admin only) ----------
  private async checkSites(ids: readonly number[]) {
    for (const sid of ids) if (!(await this.ctx.repos.sites.get(sid))) throw ruleBroken('UNKNOWN_REFERENCE', `site ${sid} does not exist`, undefined, { site_ids: 'validation.unknown_reference' });
  }
  async createUser(user: SessionUser, body: unknown) {
    requireAdmin(user);
    const { password, site_ids, ...v } = parseBody(S.UserCreate, body);
    await this.checkSites(site_ids);
    const row = await this.writes.create(this.ctx.repos.users, 'user', user, { ...v, password_hash: await hashPassword(password) },
      async (trx, u) => this.ctx.repos.users.setSites(u.id, site_ids, trx));
    return { ...scrub(row), site_ids };
  }
  async updateUser(user: SessionUser, id: number, body: unknown) {
    requireAdmin(user);
    const { password, site_ids, version, ...v } = parseBody(S.UserPatch, body);
    if (id === user.id && ((v.role && v.role !== 'admin') || v.active === false)) throw ruleBroken('SELF_LOCKOUT', 'you cannot remove your own admin rights');
    if (site_ids) await this.checkSites(site_ids);
    const values: Record<string, unknown> = { ...v };
    if (password) values.password_hash = await hashPassword(password);
    const before = await this.ctx.repos.users.get(id);
    // a reset password or a deactivation ends every session of the user and their calendar link;
    // reactivation revives neither (the epoch only ever goes up)
    if (before && (password || (v.active === false && before.active))) {
      values.session_epoch = before.session_epoch + 1;
      values.feed_token = null;
    }
    const row = await this.writes.update(this.ctx.repos.users, 'user', user, id, version, values, {
      after: async (trx) => { if (site_ids) await this.ctx.repos.users.setSites(id, site_ids, trx); },
    });
    return { ...scrub(row), site_ids: await this.ctx.repos.users.siteIds(id) };
  }
  // ---------- one's own account (every role) ----------
  async changeOwnPassword(user: SessionUser, body: unknown) {
    const { current_password, new_password, version } = parseBody(S.OwnPassword, body);
    const me = await this.ctx.repos.users.get(user.id);
    if (!me || !(await verifyPassword(current_password, me.password_hash))) throw validation({ current_password: 'validation.wrong_password' });
    // every other session of the user ends; the caller keeps its own by taking the new epoch
    const row = await this.writes.update(this.ctx.repos.users, 'user', user, user.id, version, { password_hash: await hashPassword(new_password), session_epoch: me.session_epoch + 1 }, { action: 'change_password' });
    return { session_epoch: row.session_epoch };
  }
  /** A new calendar link (`renew`) or none: either way the old one stops working at once. */
  async setFeedToken(user: SessionUser, body: unknown, renew: boolean) {
    const { version } = parseBody(z.object({ version: S.version }).strict(), body);
    const feed_token = renew ? randomBytes(24).toString('base64url') : null;
    await this.writes.update(this.ctx.repos.users, 'user', user, user.id, version, { feed_token }, { action: renew ? 'renew_feed' : 'remove_feed' });
  }

  async deleteUser(user: SessionUser, id: number, version?: number) {
    requireAdmin(user);
    if (id === user.id) throw ruleBroken('SELF_LOCKOUT', 'you cannot delete your own account');
    await this.writes.remove(this.ctx.repos.users, 'user', user, id, version, async (trx) => { await trx('user_sites').where({ user_id: id }).del(); });
  }
}
