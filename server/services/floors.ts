/**
 * Floors and rooms of sites (SPEC section 14): the rules of every write, the reads, the stack plan.
 *
 * A site with floors takes its base capacity from them, a floor with rooms its workplaces from
 * them: both sums are written in the same transaction as the change that alters them, so the engine
 * and every page read one number. Building staff (site_editor) edit the floors and rooms of their own
 * sites; planners and admins of every site; viewers read.
 */
import { canEditSite, canPlan, type SessionUser } from '../auth/guards.js';
import { AppError, conflict, forbidden, notFound, ruleBroken, validation } from '../errors.js';
import { movesFor } from '../planning/engine.js';
import { floorPeak, type SiteStack } from '../planning/floors.js';
import type { Floor, Repos, Room, Site, Tx } from '../repositories/index.js';
import * as S from '../schemas.js';
import type { PlanningService } from './planning-service.js';
import { namedByScenarios, parseBody } from './rules.js';
import type { WriteService } from './write-service.js';

/** One room of a rooms CSV, as the import hands it to the floor service. */
export interface RoomImportRow {
  site_id: number;
  level: number;
  floor_name: string | null;
  number: string;
  name: string | null;
  use: string;
  workplaces: number;
  area_m2: number | null;
}

export type FloorRepos = Pick<Repos, 'floors' | 'rooms' | 'sites' | 'units' | 'overrides' | 'scenarios'>;

export interface FloorWithRooms extends Floor {
  rooms: Room[];
}

export class FloorService {
  constructor(
    private readonly repos: FloorRepos,
    private readonly writes: WriteService,
    private readonly planning: PlanningService,
    private readonly today: () => string,
  ) {}

  // ---------- reads ----------
  private async site(id: number): Promise<Site> {
    const s = await this.repos.sites.get(id);
    if (!s) throw notFound('site');
    return s;
  }

  async floor(id: number): Promise<Floor> {
    const f = await this.repos.floors.get(id);
    if (!f) throw notFound('floor');
    return f;
  }

  async room(id: number): Promise<Room> {
    const r = await this.repos.rooms.get(id);
    if (!r) throw notFound('room');
    return r;
  }

  /** A site's floors, top floor first, each with its rooms. */
  async ofSite(siteId: number): Promise<FloorWithRooms[]> {
    await this.site(siteId);
    const [floors, rooms] = await Promise.all([this.repos.floors.ofSite(siteId), this.repos.rooms.ofSite(siteId)]);
    return floors.map((f) => ({ ...f, rooms: rooms.filter((r) => r.floor_id === f.id) }));
  }

  async roomsOf(floorId: number): Promise<Room[]> {
    await this.floor(floorId);
    return this.repos.rooms.ofFloor(floorId);
  }

  /** The stack plan of a site at a date (SPEC section 14): its floors top first, and who is on none. */
  async stack(siteId: number, date: string, scenarioId: number | null): Promise<SiteStack & { date: string; scenario_id: number | null }> {
    await this.site(siteId);
    const plan = await this.planning.plan();
    const stack = plan.stacks(date, scenarioId, [siteId]).get(siteId);
    if (stack) return { ...stack, date, scenario_id: scenarioId };
    // no floors: everyone is on no floor
    const st = plan.state(date, scenarioId).sites.find((s) => s.id === siteId);
    const units = new Map(plan.data.units.map((u) => [u.id, u]));
    return {
      site_id: siteId,
      date,
      scenario_id: scenarioId,
      floors: [],
      unassigned: (st?.units ?? []).map((u) => ({
        unit_id: u.unit_id,
        unit: u.unit,
        team_id: u.team_id,
        team: u.team,
        headcount: u.headcount,
        public_facing: units.get(u.unit_id)?.public_facing ?? false,
        headcount_estimated: u.headcount_estimated,
      })),
    };
  }

  /** Whether the user may change the floors and rooms of the site (the one rule every writer uses). */
  mayEdit(user: SessionUser | undefined, siteId: number): boolean {
    return canEditSite(user, siteId);
  }

  /**
   * What deleting a floor does, for the question before it (authorized and refused as the deletion is): its
   * rooms go with it, and the site's capacity becomes the sum of the other floors (the last floor
   * leaves the site's capacity as it is).
   */
  async floorDeletion(
    user: SessionUser,
    id: number,
  ): Promise<{ floor: Floor; site: Site; rooms: number; capacityAfter: number; last: boolean; neededToday: number; neededEstimated: boolean }> {
    const floor = await this.floor(id);
    this.mustEdit(user, floor.site_id);
    // a floor that cannot go is refused at once, not after a question
    const inUse = await this.floorInUse(user, id);
    if (inUse) throw inUse;
    const [site, all] = await Promise.all([this.site(floor.site_id), this.ofSite(floor.site_id)]);
    const others = all.filter((f) => f.id !== id);
    const rooms = all.find((f) => f.id === id)?.rooms.length ?? 0;
    // what the people there need today (baseline): the question says when the site would be over capacity after
    const st = (await this.planning.plan()).state(this.today(), null).sites.find((x) => x.id === site.id);
    return {
      floor,
      site,
      rooms,
      capacityAfter: others.length ? others.reduce((a, f) => a + f.workplaces, 0) : site.capacity,
      last: others.length === 0,
      neededToday: st?.needed ?? 0,
      neededEstimated: st?.headcount_estimated ?? false,
    };
  }

  /** What deleting a room does: the floor's workplaces become the sum of its other rooms (the last room leaves them as they are). */
  async roomDeletion(user: SessionUser, id: number): Promise<{ room: Room; floor: Floor; workplacesAfter: number; last: boolean }> {
    const room = await this.room(id);
    const floor = await this.floor(room.floor_id);
    this.mustEdit(user, floor.site_id);
    const others = (await this.roomsOf(floor.id)).filter((r) => r.id !== id);
    return { room, floor, workplacesAfter: others.length ? others.reduce((a, r) => a + r.workplaces, 0) : floor.workplaces, last: others.length === 0 };
  }

  private mustEdit(user: SessionUser, siteId: number) {
    if (!this.mayEdit(user, siteId)) throw forbidden('you may edit the floors and rooms of your own sites only');
  }

  // ---------- writes: floors ----------
  async createFloor(user: SessionUser, siteId: number, body: unknown): Promise<Floor> {
    await this.site(siteId);
    this.mustEdit(user, siteId);
    const v = parseBody(S.FloorCreate, body);
    return this.writes.transaction(async (trx) => {
      await this.levelFree(siteId, v.level, null, trx);
      const row = await this.repos.floors.insert({ ...v, site_id: siteId, updated_by: user.id }, trx);
      await this.writes.audit(trx, user, 'create', 'floor', row.id, null, row);
      await this.syncSiteCapacity(trx, user, siteId);
      return row;
    });
  }

  async updateFloor(user: SessionUser, id: number, body: unknown): Promise<Floor> {
    const floor = await this.floor(id);
    this.mustEdit(user, floor.site_id);
    const { version, ...v } = parseBody(S.FloorPatch, body);
    return this.writes.transaction(async (trx) => {
      const before = await this.repos.floors.get(id, trx);
      if (!before) throw notFound('floor');
      if (before.version !== version) throw conflict(before);
      if (v.level !== undefined && v.level !== before.level) await this.levelFree(before.site_id, v.level, id, trx);
      if (v.workplaces !== undefined && v.workplaces !== before.workplaces) {
        if ((await this.repos.rooms.totalOfFloor(id, trx)) !== null)
          throw validation({ workplaces: 'validation.workplaces_from_rooms' }, 'the floor has rooms: its workplaces are the sum of theirs');
        await this.notBelowAssigned(trx, before, v.workplaces);
      }
      const row = await this.repos.floors.update(id, version, { ...v, updated_by: user.id }, trx);
      if (!row) throw conflict(before);
      await this.writes.audit(trx, user, 'update', 'floor', id, before, row);
      await this.syncSiteCapacity(trx, user, before.site_id);
      return row;
    });
  }

  async deleteFloor(user: SessionUser, id: number, version?: number): Promise<void> {
    const floor = await this.floor(id);
    this.mustEdit(user, floor.site_id);
    await this.writes.transaction(async (trx) => {
      const before = await this.repos.floors.get(id, trx);
      if (!before) throw notFound('floor');
      if (version !== undefined && before.version !== version) throw conflict(before);
      const inUse = await this.floorInUse(user, id, trx);
      if (inUse) throw inUse;
      await this.repos.rooms.deleteForFloor(id, trx);
      await this.repos.floors.delete(id, trx);
      await this.writes.audit(trx, user, 'delete', 'floor', id, before, null);
      await this.syncSiteCapacity(trx, user, before.site_id);
    });
  }

  /**
   * Why a floor cannot be deleted, if it cannot: moves name it (whose: building staff cannot open
   * them, they can ask central planning by name), or scenarios' changes do (which).
   */
  private async floorInUse(user: SessionUser, id: number, db?: Tx): Promise<AppError | null> {
    const moving = await this.repos.floors.unitsMovingVia(id, 3, db);
    if (moving.total) {
      const units = moving.names.join(', ') + (moving.total > moving.names.length ? ' …' : '');
      return new AppError(409, 'IN_USE', `moves of ${units} name this floor; change or delete them first`, {
        _: `validation.floor_in_use_by${canPlan(user) ? '_planner' : ''}?units=${encodeURIComponent(units)}`,
      });
    }
    const scenarios = await this.repos.overrides.scenariosNaming('floor', [id], db);
    return scenarios.length ? namedByScenarios('floor', await this.repos.scenarios.namesOf(scenarios, db), user) : null;
  }

  // ---------- writes: rooms ----------
  async createRoom(user: SessionUser, floorId: number, body: unknown): Promise<Room> {
    const floor = await this.floor(floorId);
    this.mustEdit(user, floor.site_id);
    const v = parseBody(S.RoomCreate, body);
    return this.writes.transaction(async (trx) => {
      await this.numberFree(floorId, v.number, null, trx);
      const row = await this.repos.rooms.insert({ ...v, floor_id: floorId, updated_by: user.id }, trx);
      await this.writes.audit(trx, user, 'create', 'room', row.id, null, row);
      await this.syncFloorWorkplaces(trx, user, floorId);
      return row;
    });
  }

  async updateRoom(user: SessionUser, id: number, body: unknown): Promise<Room> {
    const room = await this.room(id);
    const floor = await this.floor(room.floor_id);
    this.mustEdit(user, floor.site_id);
    const { version, ...v } = parseBody(S.RoomPatch, body);
    return this.writes.transaction(async (trx) => {
      const before = await this.repos.rooms.get(id, trx);
      if (!before) throw notFound('room');
      if (before.version !== version) throw conflict(before);
      if (v.number !== undefined && v.number !== before.number) await this.numberFree(before.floor_id, v.number, id, trx);
      const row = await this.repos.rooms.update(id, version, { ...v, updated_by: user.id }, trx);
      if (!row) throw conflict(before);
      await this.writes.audit(trx, user, 'update', 'room', id, before, row);
      await this.syncFloorWorkplaces(trx, user, before.floor_id);
      return row;
    });
  }

  async deleteRoom(user: SessionUser, id: number, version?: number): Promise<void> {
    const room = await this.room(id);
    const floor = await this.floor(room.floor_id);
    this.mustEdit(user, floor.site_id);
    await this.writes.transaction(async (trx) => {
      const before = await this.repos.rooms.get(id, trx);
      if (!before) throw notFound('room');
      if (version !== undefined && before.version !== version) throw conflict(before);
      await this.repos.rooms.delete(id, trx);
      await this.writes.audit(trx, user, 'delete', 'room', id, before, null);
      await this.syncFloorWorkplaces(trx, user, before.floor_id);
    });
  }

  /**
   * Writes rows of a room import in one transaction: a missing floor is created (named as the row
   * says, else by its level), a room number the floor has is updated; then each floor's workplaces
   * and each site's capacity follow (a floor below what its people need rejects the whole import).
   */
  async importRooms(user: SessionUser, rows: RoomImportRow[]): Promise<number[]> {
    return this.writes.transaction(async (trx) => {
      const ids: number[] = [];
      const touched = new Set<number>();
      for (const r of rows) {
        let floor = await this.repos.floors.atLevel(r.site_id, r.level, trx);
        if (!floor) {
          floor = await this.repos.floors.insert(
            { site_id: r.site_id, level: r.level, name: r.floor_name ?? `Ebene ${r.level}`, workplaces: 0, updated_by: user.id },
            trx,
          );
          await this.writes.audit(trx, user, 'import', 'floor', floor.id, null, floor);
        }
        touched.add(floor.id);
        const values = { name: r.name, use: r.use, workplaces: r.workplaces, area_m2: r.area_m2, updated_by: user.id };
        const existing = await this.repos.rooms.byNumber(floor.id, r.number, trx);
        const row = existing
          ? await this.repos.rooms.update(existing.id, existing.version, values, trx)
          : await this.repos.rooms.insert({ ...values, floor_id: floor.id, number: r.number }, trx);
        await this.writes.audit(trx, user, 'import', 'room', row?.id ?? null, existing ?? null, row);
        if (row) ids.push(row.id);
      }
      for (const floorId of touched) await this.syncFloorWorkplaces(trx, user, floorId);
      return ids;
    });
  }

  // ---------- the rules ----------
  /** A level is used once per site: 409 DUPLICATE naming `level`. */
  private async levelFree(siteId: number, level: number, exceptId: number | null, trx: Tx) {
    const other = await this.repos.floors.atLevel(siteId, level, trx);
    if (other && other.id !== exceptId)
      throw new AppError(409, 'DUPLICATE', `the site has a floor at level ${level} already (${other.name})`, { level: 'validation.level_taken' });
  }

  /** A room number is used once per floor: 409 DUPLICATE naming `number`. */
  private async numberFree(floorId: number, number: string, exceptId: number | null, trx: Tx) {
    const other = await this.repos.rooms.byNumber(floorId, number, trx);
    if (other && other.id !== exceptId) throw new AppError(409, 'DUPLICATE', `the floor has a room ${number} already`, { number: 'validation.room_taken' });
  }

  /**
   * A floor's workplaces may not fall below what the people the baseline assigns to it need, today
   * or at any later date: 422 WORKPLACES_BELOW_ASSIGNED naming `workplaces`, with how many and from when.
   */
  private async notBelowAssigned(trx: Tx, floor: Floor, workplaces: number) {
    const moves = await this.repos.floors.movesNaming(floor.id, trx);
    const units = await this.repos.units.list({}, trx);
    const ratio = new Map(units.map((u) => [u.id, u.desk_ratio]));
    const peak = floorPeak(movesFor(moves, null), floor.id, this.today(), (id) => ratio.get(id) ?? 1);
    if (peak && peak.needed > workplaces)
      throw ruleBroken(
        'WORKPLACES_BELOW_ASSIGNED',
        `people assigned to ${floor.name} need ${peak.needed} workplaces on ${peak.date}; move them to another floor first`,
        { needed: peak.needed, date: peak.date, floor_id: floor.id },
        { workplaces: `validation.workplaces_below_assigned?needed=${peak.needed}&date=${peak.date}` },
      );
  }

  /** A floor with rooms has the sum of their workplaces (checked against the people on it), and its site follows. */
  private async syncFloorWorkplaces(trx: Tx, user: SessionUser, floorId: number) {
    const floor = await this.repos.floors.get(floorId, trx);
    if (!floor) return;
    const total = await this.repos.rooms.totalOfFloor(floorId, trx);
    if (total !== null && total !== floor.workplaces) {
      if (total < floor.workplaces) await this.notBelowAssigned(trx, floor, total);
      const row = await this.repos.floors.update(floor.id, floor.version, { workplaces: total }, trx);
      await this.writes.audit(trx, user, 'workplaces_from_rooms', 'floor', floor.id, floor, row);
    }
    await this.syncSiteCapacity(trx, user, floor.site_id);
  }

  /** A site with floors has the sum of their workplaces as its base capacity (an estimate when one of them is). */
  private async syncSiteCapacity(trx: Tx, user: SessionUser, siteId: number) {
    const total = await this.repos.floors.totalOfSite(siteId, trx);
    const site = await this.repos.sites.get(siteId, trx);
    if (!total || !site || (site.capacity === total.workplaces && site.capacity_estimated === total.estimated)) return;
    const row = await this.repos.sites.update(
      siteId,
      site.version,
      { capacity: total.workplaces, capacity_estimated: total.estimated, updated_by: user.id },
      trx,
    );
    await this.writes.audit(trx, user, 'capacity_from_floors', 'site', siteId, site, row);
  }
}
