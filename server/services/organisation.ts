/** The organisation and the city: districts, teams, units, places. Planners write; everyone reads. */
import type { SessionUser } from '../auth/guards.js';
import { AppError, notFound, ruleBroken, validation } from '../errors.js';
import { GeometryError, areaOf, parseAreaGeometry, storedAreaGeometry } from '../geo/index.js';
import type { District, Place, Repos, Team, Tx, Unit } from '../repositories/index.js';
import * as S from '../schemas.js';
import { parseBody, requirePlanner } from './rules.js';
import type { WriteService } from './write-service.js';

export type OrganisationRepos = Pick<Repos, 'districts' | 'teams' | 'units' | 'places' | 'sites' | 'moves'>;

export class OrganisationService {
  constructor(
    private readonly repos: OrganisationRepos,
    private readonly writes: WriteService,
  ) {}

  // ---------- reads ----------
  districts(): Promise<District[]> {
    return this.repos.districts.list();
  }
  async district(id: number): Promise<District> {
    const d = await this.repos.districts.get(id);
    if (!d) throw notFound('district');
    return d;
  }
  /** Every district, with its boundary as GeoJSON when asked (an unreadable one as null). */
  async districtsWithBoundaries(withGeometry: boolean) {
    return (await this.repos.districts.list()).map((d) => ({ ...d, geometry: withGeometry ? storedAreaGeometry(d.geometry) : undefined }));
  }
  async districtWithBoundary(id: number) {
    const d = await this.district(id);
    return { ...d, geometry: storedAreaGeometry(d.geometry) };
  }
  async teamWithUnits(id: number) {
    return { ...(await this.team(id)), units: await this.repos.units.list({ team_id: id }) };
  }
  teams(where: { kind?: string; district_id?: number } = {}): Promise<Team[]> {
    return this.repos.teams.list(where);
  }
  async team(id: number): Promise<Team> {
    const t = await this.repos.teams.get(id);
    if (!t) throw notFound('team');
    return t;
  }
  units(where: { team_id?: number; public_facing?: boolean } = {}): Promise<Unit[]> {
    return this.repos.units.list(where);
  }
  async unit(id: number): Promise<Unit> {
    const u = await this.repos.units.get(id);
    if (!u) throw notFound('unit');
    return u;
  }
  places(where: { kind?: string } = {}): Promise<Place[]> {
    return this.repos.places.list(where);
  }
  async place(id: number): Promise<Place> {
    const p = await this.repos.places.get(id);
    if (!p) throw notFound('place');
    return p;
  }

  // ---------- for the forms: who may change what is asked here, not in the pages ----------
  /** A blank form for a new unit, team, district or place: planners only. */
  newRecord(user: SessionUser | undefined): void {
    requirePlanner(user);
  }
  /** The record a form changes (planners only; 404 when there is none). */
  async forChange<E extends 'unit' | 'place' | 'team' | 'district'>(
    user: SessionUser | undefined,
    entity: E,
    id: number,
  ): Promise<{ unit: Unit; place: Place; team: Team; district: District }[E]> {
    requirePlanner(user);
    const read = { unit: () => this.unit(id), place: () => this.place(id), team: () => this.team(id), district: () => this.district(id) }[entity];
    return (await read()) as { unit: Unit; place: Place; team: Team; district: District }[E];
  }
  /** Every place for the planners' list of places (Orte der Begegnung, stops). */
  placesForPlanning(user: SessionUser | undefined): Promise<Place[]> {
    requirePlanner(user);
    return this.places();
  }

  /** The districts with a boundary, as an RFC 7946 FeatureCollection. */
  async districtsGeojson() {
    const districts = await this.repos.districts.list();
    return {
      type: 'FeatureCollection',
      // a boundary that cannot be read is left out: one bad record never blanks the map
      features: districts
        .map((d) => ({ d, geometry: storedAreaGeometry(d.geometry) }))
        .flatMap(({ d, geometry }) =>
          geometry
            ? [
                {
                  type: 'Feature',
                  id: d.id,
                  geometry,
                  properties: { id: d.id, name: d.name },
                },
              ]
            : [],
        ),
    };
  }

  // ---------- writes ----------
  async createDistrict(user: SessionUser, body: unknown) {
    requirePlanner(user);
    this.precheckGeometry(body);
    const v = parseBody(S.DistrictCreate, body);
    const geometry = v.geometry ? this.geometry(v.geometry) : null;
    // a new boundary may take in sites that had no district: derive them again in the same transaction
    return this.writes.create(this.repos.districts, 'district', user, { name: v.name, geometry }, async (trx) => {
      if (geometry) await this.rederiveDistricts(trx);
    });
  }
  async updateDistrict(user: SessionUser, id: number, body: unknown) {
    requirePlanner(user);
    this.precheckGeometry(body);
    const { version, ...v } = parseBody(S.DistrictPatch, body);
    const values: Record<string, unknown> = { ...v };
    if (v.geometry !== undefined) values.geometry = v.geometry ? this.geometry(v.geometry) : null;
    return this.writes.update(this.repos.districts, 'district', user, id, version, values, {
      after: async (trx) => {
        if (v.geometry !== undefined) await this.rederiveDistricts(trx);
      },
    });
  }
  /** A boundary that is not a valid polygon is 422 INVALID_GEOMETRY, whatever else the body holds. */
  private precheckGeometry(body: unknown) {
    const g = body && typeof body === 'object' ? (body as { geometry?: unknown }).geometry : undefined;
    // (text that is not JSON at all stays a 400 of the form's field)
    if (g !== null && typeof g === 'object') this.geometry(g);
  }
  private geometry(g: unknown): string {
    try {
      return JSON.stringify(parseAreaGeometry(g));
    } catch (e) {
      throw ruleBroken('INVALID_GEOMETRY', e instanceof GeometryError ? `invalid boundary: ${e.message}` : 'invalid boundary', undefined, {
        geometry: 'validation.geometry',
      });
    }
  }
  /** The district of a site is always derived from its position: recompute after a boundary changes. */
  private async rederiveDistricts(trx: Tx) {
    const districts = (await this.repos.districts.list({}, trx)).map((d) => ({ id: d.id, geometry: storedAreaGeometry(d.geometry) }));
    for (const s of await this.repos.sites.positions(trx)) {
      const d = areaOf(districts, s);
      if (d !== s.district_id) await this.repos.sites.setDistrict(s.id, d, trx);
    }
  }
  async deleteDistrict(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    await this.writes.remove(this.repos.districts, 'district', user, id, version, async (trx) => {
      if (await this.repos.teams.anyInDistrict(id, trx)) throw new AppError(409, 'IN_USE', 'a team belongs to this district');
      await this.repos.sites.clearDistrict(id, trx);
    });
  }

  async createTeam(user: SessionUser, body: unknown) {
    requirePlanner(user);
    const v = parseBody(S.TeamCreate, body);
    if (v.district_id != null && !(await this.repos.districts.get(v.district_id)))
      throw ruleBroken('UNKNOWN_REFERENCE', 'district does not exist', undefined, { district_id: 'validation.unknown_reference' });
    return this.writes.create(this.repos.teams, 'team', user, { ...v, district_id: v.district_id ?? null });
  }
  async updateTeam(user: SessionUser, id: number, body: unknown) {
    requirePlanner(user);
    const existing = await this.repos.teams.get(id);
    if (!existing) throw notFound('team');
    const { version, ...v } = parseBody(S.TeamPatch, body);
    const merged = { ...existing, ...v };
    if ((merged.kind === 'district') !== (merged.district_id != null)) throw validation({ district_id: 'validation.team_district' });
    if (merged.district_id != null && !(await this.repos.districts.get(merged.district_id)))
      throw ruleBroken('UNKNOWN_REFERENCE', 'district does not exist', undefined, { district_id: 'validation.unknown_reference' });
    return this.writes.update(this.repos.teams, 'team', user, id, version, v);
  }
  async deleteTeam(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    await this.writes.remove(this.repos.teams, 'team', user, id, version, async (trx) => {
      if (await this.repos.units.anyInTeam(id, trx)) throw new AppError(409, 'IN_USE', 'the team still has units');
    });
  }

  async createUnit(user: SessionUser, body: unknown) {
    requirePlanner(user);
    const v = parseBody(S.UnitCreate, body);
    if (!(await this.repos.teams.get(v.team_id)))
      throw ruleBroken('UNKNOWN_REFERENCE', 'team does not exist', undefined, { team_id: 'validation.unknown_reference' });
    return this.writes.create(this.repos.units, 'unit', user, v);
  }
  async updateUnit(user: SessionUser, id: number, body: unknown) {
    requirePlanner(user);
    const { version, ...v } = parseBody(S.UnitPatch, body);
    if (v.team_id !== undefined && !(await this.repos.teams.get(v.team_id)))
      throw ruleBroken('UNKNOWN_REFERENCE', 'team does not exist', undefined, { team_id: 'validation.unknown_reference' });
    return this.writes.update(this.repos.units, 'unit', user, id, version, v);
  }
  async deleteUnit(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    await this.writes.remove(this.repos.units, 'unit', user, id, version, async (trx) => {
      if (await this.repos.moves.anyForUnit(id, trx)) throw new AppError(409, 'IN_USE', 'the unit is used by moves in the ledger');
    });
  }

  async createPlace(user: SessionUser, body: unknown) {
    requirePlanner(user);
    return this.writes.create(this.repos.places, 'place', user, parseBody(S.PlaceCreate, body));
  }
  async updatePlace(user: SessionUser, id: number, body: unknown) {
    requirePlanner(user);
    const { version, ...v } = parseBody(S.PlacePatch, body);
    return this.writes.update(this.repos.places, 'place', user, id, version, v);
  }
  async deletePlace(user: SessionUser, id: number, version?: number) {
    requirePlanner(user);
    await this.writes.remove(this.repos.places, 'place', user, id, version);
  }
}
