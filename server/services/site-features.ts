import type { Plan } from '../planning/engine.js';
import type { SiteStack } from '../planning/floors.js';
import type { PlanState, SiteState } from '../planning/types.js';
import type { Lang } from '../i18n/index.js';
import type { Site } from '../repositories/index.js';
import { onOfferOnly, presentSite } from './presenters.js';

/**
 * /api/sites.geojson (each site's state, its `load_level` as the legend shows it, its stored facts and warning codes) without serialising again what does not change with the date. A site's
 * geometry and its stored facts (address, position precision, accessibility rating and reasons,
 * the source's verdict) are serialised once per plan; for each date only the site's state and its
 * warning codes are (the fixed part once per language: the reasons are text). A site whose accessibility facts change by its events is presented anew for
 * each date (facts as of the date).
 */
export class SiteFeatures {
  /** per site: `"type":"Feature","id":…,"geometry":…` and the fixed properties, as JSON fragments */
  private readonly head = new Map<number, string>();
  private readonly fixed = new Map<string, string>();
  /** sites some event changes the accessibility facts of (in any selection) */
  private readonly changing = new Set<number>();

  constructor(
    private readonly sites: ReadonlyMap<number, Site>,
    private readonly plan: Plan,
  ) {
    for (const e of plan.data.events) if (e.facts && Object.keys(e.facts).length > 0) this.changing.add(e.site_id);
  }

  /**
   * The FeatureCollection of a state as GeoJSON text; buildings on offer only when asked for (or
   * counted). At sites with floors (their stacks at the state's date) each unit's floors too.
   */
  collection(state: PlanState, withCandidates: boolean, lang: Lang, stacks?: ReadonlyMap<number, SiteStack>): string {
    const warnings = new Map<number, Set<string>>();
    // a site whose load a planner acknowledged (OVER_CAPACITY, NEAR_CAPACITY): the map leaves its colour and its count (SPEC 16)
    const acknowledged = new Set<number>();
    for (const w of state.warnings) {
      if (w.site_id === undefined) continue;
      if (w.acknowledged && (w.code === 'OVER_CAPACITY' || w.code === 'NEAR_CAPACITY')) acknowledged.add(w.site_id);
      let set = warnings.get(w.site_id);
      if (!set) {
        set = new Set();
        warnings.set(w.site_id, set);
      }
      set.add(w.code);
    }
    const parts: string[] = [];
    for (const st of state.sites) {
      // a building on offer only when asked for, or counted, or when people are planned into it (the warning names it: the map shows it)
      if (st.status === 'candidate' && !withCandidates && !st.available && st.headcount <= 0) continue;
      parts.push(this.feature(st, state, lang, [...(warnings.get(st.id) ?? [])], stacks?.get(st.id), acknowledged.has(st.id)));
    }
    return `{"type":"FeatureCollection","date":${JSON.stringify(state.date)},"scenario_id":${JSON.stringify(state.scenario_id)},"features":[${parts.join(',')}]}`;
  }

  private feature(st: SiteState, state: PlanState, lang: Lang, codes: string[], stack: SiteStack | undefined, loadAcknowledged: boolean): string {
    const dynamic = JSON.stringify(st);
    const load = this.plan.loadLevelOf(st);
    // the level the map colours and counts at a glance: a load a planner acknowledged leaves them (SPEC 16)
    const mapLevel = loadAcknowledged && (load === 'over' || load === 'near') ? 'ok' : load;
    const level = `"load_level":${JSON.stringify(load)},"load_acknowledged":${loadAcknowledged},"map_level":${JSON.stringify(mapLevel)}`;
    const floors = stack ? `,"unit_floors":${JSON.stringify(unitFloors(stack))}` : '';
    return `{${this.headOf(st.id)},"properties":${dynamic.slice(0, -1)},${level}${floors},"offer":${this.offerOf(st)},${this.fixedOf(st.id, state, lang)},"warnings":${JSON.stringify(codes)}}}`;
  }

  /** A building on offer not taken up (in the state's selection): the places it offers and from when; else null. */
  private offerOf(st: SiteState): string {
    if (!onOfferOnly(st)) return 'null';
    const s = this.site(st.id);
    return JSON.stringify({ capacity: s.capacity, capacity_estimated: s.capacity_estimated ?? false, from: s.available_from ?? null });
  }

  private headOf(id: number): string {
    let head = this.head.get(id);
    if (head === undefined) {
      const s = this.site(id);
      head = `"type":"Feature","id":${id},"geometry":${JSON.stringify({ type: 'Point', coordinates: [s.lon, s.lat] })}`;
      this.head.set(id, head);
    }
    return head;
  }

  /** The properties that do not come from the state (accessibility as of the date where events change it). */
  private fixedOf(id: number, state: PlanState, lang: Lang): string {
    if (this.changing.has(id)) return fixedProperties(presentSite({ ...this.site(id), ...this.plan.factsAt(id, state.date, state.scenario_id) }, lang));
    const k = `${lang}|${id}`;
    let fixed = this.fixed.get(k);
    if (fixed === undefined) {
      fixed = fixedProperties(presentSite(this.site(id), lang));
      this.fixed.set(k, fixed);
    }
    return fixed;
  }

  private site(id: number): Site {
    const s = this.sites.get(id);
    if (!s) throw new Error(`site ${id} is in the plan but not in the sites read with it`);
    return s;
  }
}

/** Where a unit's people sit at a site with floors: one entry per floor (top floor first), then those on none of them (`floor_id` null). */
export interface UnitFloorPlace {
  floor_id: number | null;
  name: string | null;
  level: number | null;
  headcount: number;
}

/** A site's stack as the popup reads it: by unit id, the floors its people sit on (and how many are on none). */
function unitFloors(stack: SiteStack): Record<number, UnitFloorPlace[]> {
  const out: Record<number, UnitFloorPlace[]> = {};
  const add = (unitId: number, place: UnitFloorPlace) => (out[unitId] ??= []).push(place);
  for (const f of stack.floors)
    for (const u of f.units) if (u.headcount !== 0) add(u.unit_id, { floor_id: f.id, name: f.name, level: f.level, headcount: u.headcount });
  for (const u of stack.unassigned) add(u.unit_id, { floor_id: null, name: null, level: null, headcount: u.headcount });
  return out;
}

function fixedProperties(s: ReturnType<typeof presentSite>): string {
  return JSON.stringify({
    address: s.address,
    position_precision: s.position_precision,
    accessibility_rating: s.accessibility_rating,
    accessibility_reasons: s.accessibility_reasons,
    accessibility_reason_codes: s.accessibility_reason_codes.map((r) => ({ code: r.code, params: r.params })),
    assessment: s.assessment,
    assessment_source: s.assessment_source,
  }).slice(1, -1);
}
