/** Sites and their dated events: the rules of every write, and the reads of both. */
import { canEditSite, type SessionUser } from '../auth/guards.js';
import { AppError, conflict, forbidden, notFound, ruleBroken, validation, zodFields } from '../errors.js';
import { must } from '../invariant.js';
import { areaOf, bbox, distanceM, parseAreaGeometry, storedAreaGeometry } from '../geo/index.js';
import { capacitySources } from '../planning/site-condition.js';
import type { PlanSite } from '../planning/types.js';
import type { Lang } from '../i18n/index.js';
import type { Repos, Site, SiteEvent } from '../repositories/index.js';
import * as S from '../schemas.js';
import { presentSite } from './presenters.js';
import { baselineOnlyUnlessPlanner, namedByScenarios, parseBody, requirePlanner } from './rules.js';
import type { WriteService } from './write-service.js';

export type SiteRepos = Pick<Repos, 'sites' | 'events' | 'districts' | 'places' | 'scenarios' | 'projects' | 'units' | 'clock' | 'floors' | 'overrides'>;

export class SiteService {
  constructor(
    private readonly repos: SiteRepos,
    private readonly writes: WriteService,
  ) {}

  // ---------- reads ----------
  async list(f: { district_id?: number; status?: string; accessibility_rating?: string }, lang: Lang) {
    const where: Record<string, unknown> = {};
    if (f.district_id !== undefined) where.district_id = f.district_id;
    if (f.status !== undefined) where.status = f.status;
    const sites = (await this.repos.sites.list(where)).map((s) => presentSite(s, lang));
    return f.accessibility_rating ? sites.filter((s) => s.accessibility_rating === f.accessibility_rating) : sites;
  }

  /** Every site as stored (for names and choices). */
  all(): Promise<Site[]> {
    return this.repos.sites.list();
  }

  async get(id: number): Promise<Site> {
    const s = await this.repos.sites.get(id);
    if (!s) throw notFound('site');
    return s;
  }

  async presented(id: number, lang: Lang) {
    return presentSite(await this.get(id), lang);
  }

  /** A blank site form: planners only (403). */
  mayCreate(user: SessionUser | undefined): void {
    requirePlanner(user);
  }

  /** A site the user may edit (404 when there is none, 403 when it is not theirs). */
  async editable(user: SessionUser | undefined, id: number): Promise<Site> {
    const site = await this.get(id);
    if (!canEditSite(user, id)) throw forbidden('you may edit only your own sites');
    return site;
  }

  /** The site's events of the baseline and, when given, of one scenario, by date. */
  async events(siteId: number, scenarioId: number | null | undefined): Promise<SiteEvent[]> {
    await this.get(siteId);
    const events = await this.repos.events.list({ site_id: siteId });
    return events.filter((e) => e.scenario_id === null || e.scenario_id === scenarioId).sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
  }

  /** Events by a filter (e.g. a scenario's own). */
  eventsWhere(where: { scenario_id?: number; site_id?: number; project_id?: number }): Promise<SiteEvent[]> {
    return this.repos.events.list(where);
  }

  async event(id: number): Promise<SiteEvent> {
    const e = await this.repos.events.get(id);
    if (!e) throw notFound('site event');
    return e;
  }

  /** Places within `radius` metres of a position, nearest first. */
  async nearby(site: { lat: number; lon: number }, radius: number, kind?: string) {
    const places = await this.repos.places.list(kind ? { kind } : {});
    return places
      .map((p) => ({ ...p, distance_m: distanceM(site, p) }))
      .filter((p) => p.distance_m <= radius)
      .sort((a, b) => a.distance_m - b.distance_m || a.name.localeCompare(b.name));
  }

  /** The capacity that counts at a date, and the dated baseline events that set it (they override the base value). */
  async effectiveCapacity(site: Site, date: string): Promise<{ date: string; capacity: number; status: string; events: SiteEvent[] }> {
    const events = (await this.repos.events.list({ site_id: site.id })).filter((e) => e.scenario_id === null);
    const src = capacitySources(site as unknown as PlanSite, events, date);
    return { date, capacity: src.condition.capacity, status: src.condition.status, events: src.events as SiteEvent[] };
  }

  /** How far (km, rounded) a position lies outside every district, when that is more than `farKm`; else null. */
  async farOutsideDistricts(p: { lat: number; lon: number }, farKm: number): Promise<{ km: number } | null> {
    const areas = (await this.repos.districts.list())
      .map((d) => ({ id: d.id, geometry: d.geometry ? parseAreaGeometry(typeof d.geometry === 'string' ? JSON.parse(d.geometry) : d.geometry) : null }))
      .filter((a) => a.geometry);
    if (!areas.length || areaOf(areas, p) !== null) return null;
    let best = Infinity;
    for (const a of areas) {
      if (!a.geometry) continue;
      const [minLon, minLat, maxLon, maxLat] = bbox(a.geometry);
      const closest = { lat: Math.min(maxLat, Math.max(minLat, p.lat)), lon: Math.min(maxLon, Math.max(minLon, p.lon)) };
      best = Math.min(best, distanceM(p, closest));
    }
    return best / 1000 > farKm ? { km: Math.round(best / 1000) } : null;
  }

  // ---------- writes ----------
  private async mustExist(kind: 'unit' | 'site' | 'scenario' | 'project', id: number, field: string) {
    const repo = kind === 'unit' ? this.repos.units : kind === 'site' ? this.repos.sites : kind === 'project' ? this.repos.projects : this.repos.scenarios;
    if (!(await repo.get(id))) throw ruleBroken('UNKNOWN_REFERENCE', `${kind} ${id} does not exist`, undefined, { [field]: 'validation.unknown_reference' });
  }

  private async districtFor(p: { lat: number; lon: number }): Promise<number | null> {
    const districts = await this.repos.districts.list();
    return areaOf(
      districts.map((d) => ({ id: d.id, geometry: storedAreaGeometry(d.geometry) })),
      p,
    );
  }

  async createSite(user: SessionUser, body: unknown): Promise<Site> {
    requirePlanner(user);
    const v = parseBody(S.SiteCreate, body);
    return this.writes.create(this.repos.sites, 'site', user, { ...v, district_id: await this.districtFor(v), updated_by: user.id });
  }

  async updateSite(user: SessionUser, id: number, body: unknown): Promise<Site> {
    const site = await this.repos.sites.get(id);
    if (!site) throw notFound('site');
    if (!canEditSite(user, id)) throw forbidden('you may edit only your own sites');
    const { version, ...v } = parseBody(S.SitePatch, body);
    // a site with floors takes its capacity from them (SPEC section 14)
    if (v.capacity !== undefined && v.capacity !== site.capacity && (await this.repos.floors.totalOfSite(id)) !== null)
      throw validation({ capacity: 'validation.capacity_from_floors' }, 'the site has floors: its capacity is the sum of their workplaces');
    const values: Record<string, unknown> = { ...v, updated_by: user.id, ...(await this.positionChange(site, v)) };
    return this.writes.update(this.repos.sites, 'site', user, id, version, values);
  }

  /**
   * What a new position brings along: the district it lies in, and — moved without a source of its own
   * (the form's small map) — no longer the old position's source note, which described the old point
   * (the audit log says who set the new one, and when).
   */
  private async positionChange(site: Site, v: { lat?: number; lon?: number; position_source?: string | null }): Promise<Record<string, unknown>> {
    if (v.lat === undefined && v.lon === undefined) return {};
    const out: Record<string, unknown> = { district_id: await this.districtFor({ lat: v.lat ?? site.lat, lon: v.lon ?? site.lon }) };
    const moved = (v.lat !== undefined && v.lat !== site.lat) || (v.lon !== undefined && v.lon !== site.lon);
    if (moved && v.position_source === undefined) out.position_source = null;
    return out;
  }

  /**
   * The capacity event in force at `date` (the last baseline "capacity" event on or before it), or null:
   * from its date it sets the capacity, whatever the base value says.
   */
  async capacityEventInForce(site: Site, date: string): Promise<SiteEvent | null> {
    const { events } = await this.effectiveCapacity(site, date);
    return events.find((e) => e.kind === 'capacity' && e.capacity !== null) ?? null;
  }

  /**
   * The site form's save when a capacity event is in force (issue 27): the form's capacity is the one in
   * force, so it changes that event (capacity, estimated) while the other fields change the site; both in
   * one transaction, each version-checked and audited. The base value (before the event) stays.
   */
  async updateSiteAndCapacityEvent(
    user: SessionUser,
    id: number,
    body: Record<string, unknown>,
    event: { id: number; version: number; capacity: unknown; estimated: boolean },
  ): Promise<Site> {
    const site = await this.repos.sites.get(id);
    if (!site) throw notFound('site');
    if (!canEditSite(user, id)) throw forbidden('you may edit only your own sites');
    const { capacity: _base, capacity_estimated: _baseEstimated, ...rest } = body;
    const { version, ...v } = parseBody(S.SitePatch, rest);
    const ev = parseBody(S.EventPatch, { version: event.version, capacity: event.capacity, estimated: event.estimated });
    if (ev.capacity === null || ev.capacity === undefined) throw validation({ capacity: 'validation.required' }, 'the capacity in force is required');
    const values: Record<string, unknown> = { ...v, updated_by: user.id, ...(await this.positionChange(site, v)) };
    return this.writes.transaction(async (trx) => {
      const row = await this.repos.events.get(event.id, trx);
      if (!row || row.site_id !== id || row.scenario_id !== null || row.kind !== 'capacity') throw notFound('site event');
      if (row.version !== ev.version) throw conflict(row);
      const before = await this.repos.sites.get(id, trx);
      if (!before || before.version !== version) throw conflict(before ?? site);
      const updated = await this.repos.sites.update(id, version, values, trx);
      if (!updated) throw conflict(must(await this.repos.sites.get(id, trx), 'site'));
      const fresh = must(await this.repos.sites.get(id, trx), 'site');
      await this.writes.audit(trx, user, 'update', 'site', id, before, fresh);
      if (row.capacity !== ev.capacity || Boolean(row.estimated) !== Boolean(ev.estimated)) {
        const changed = await this.repos.events.update(event.id, ev.version, { capacity: ev.capacity, estimated: ev.estimated, updated_by: user.id }, trx);
        if (!changed) throw conflict(must(await this.repos.events.get(event.id, trx), 'site event'));
        await this.writes.audit(trx, user, 'update', 'site_event', event.id, row, must(await this.repos.events.get(event.id, trx), 'site event'));
      }
      return fresh;
    });
  }

  async verifySite(user: SessionUser, id: number, body: unknown): Promise<Site> {
    if (!(await this.repos.sites.get(id))) throw notFound('site');
    if (!canEditSite(user, id)) throw forbidden('you may confirm only your own sites');
    const { version } = parseBody(S.VersionOnly, body);
    return this.writes.update(
      this.repos.sites,
      'site',
      user,
      id,
      version,
      { verified_at: this.repos.clock(), verified_by: user.id, updated_by: user.id },
      { action: 'verify' },
    );
  }

  async deleteSite(user: SessionUser, id: number, version?: number): Promise<void> {
    requirePlanner(user);
    await this.writes.remove(this.repos.sites, 'site', user, id, version, async (trx) => {
      if (await this.repos.sites.usedByLedger(id, trx)) throw new AppError(409, 'IN_USE', 'the site is used by moves in the ledger; cancel or move them first');
      const floorIds = (await this.repos.floors.ofSite(id, trx)).map((f) => f.id);
      const scenarios = [
        ...new Set([
          ...(await this.repos.overrides.scenariosNaming('site', [id], trx)),
          ...(await this.repos.overrides.scenariosNaming('floor', floorIds, trx)),
        ]),
      ];
      if (scenarios.length) throw namedByScenarios('site', await this.repos.scenarios.namesOf(scenarios, trx));
      await this.repos.events.deleteForSite(id, trx);
      await this.repos.floors.deleteForSite(id, trx);
    });
  }

  // ---------- site events ----------
  async createEvent(user: SessionUser, siteId: number, body: unknown) {
    if (!(await this.repos.sites.get(siteId))) throw notFound('site');
    if (!canEditSite(user, siteId)) throw forbidden('you may edit only your own sites');
    const v = parseBody(S.EventCreate, body);
    baselineOnlyUnlessPlanner(user, v.scenario_id);
    if (v.scenario_id != null) await this.mustExist('scenario', v.scenario_id, 'scenario_id');
    if (v.project_id != null) await this.mustExist('project', v.project_id, 'project_id');
    return this.writes.create(this.repos.events, 'site_event', user, {
      ...v,
      end_date: v.kind === 'renovation' ? (v.end_date ?? null) : null,
      site_id: siteId,
      updated_by: user.id,
    });
  }

  async updateEvent(user: SessionUser, siteId: number, id: number, body: unknown) {
    const ev = await this.repos.events.get(id);
    if (!ev || ev.site_id !== siteId) throw notFound('site event');
    if (!canEditSite(user, siteId)) throw forbidden('you may edit only your own sites');
    const { version, ...v } = parseBody(S.EventPatch, body);
    // a site_editor changes baseline events only, and cannot move one into a scenario
    baselineOnlyUnlessPlanner(user, ev.scenario_id, v.scenario_id);
    const merged = { ...ev, ...v };
    const check = S.EventCreate.safeParse({
      kind: merged.kind,
      date: merged.date,
      end_date: merged.end_date,
      capacity: merged.capacity,
      note: merged.note,
      scenario_id: merged.scenario_id,
    });
    if (!check.success) throw validation(zodFields(check.error));
    if (v.project_id != null) await this.mustExist('project', v.project_id, 'project_id');
    return this.writes.update(this.repos.events, 'site_event', user, id, version, { ...v, updated_by: user.id });
  }

  async deleteEvent(user: SessionUser, siteId: number, id: number, version?: number) {
    const ev = await this.repos.events.get(id);
    if (!ev || ev.site_id !== siteId) throw notFound('site event');
    if (!canEditSite(user, siteId)) throw forbidden('you may edit only your own sites');
    baselineOnlyUnlessPlanner(user, ev.scenario_id);
    await this.writes.remove(this.repos.events, 'site_event', user, id, version, async (_trx, row) => baselineOnlyUnlessPlanner(user, row.scenario_id));
  }
}
