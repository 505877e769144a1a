/**
 * The inclusion officer's view (SPEC section 9): every public-facing service with the rating of the
 * site it receives citizens in, the reasons in words, and the nearest wheelchair-accessible stop; and
 * the sites whose accessibility facts are missing. Facts are those at the date (site events change them).
 */
import { formatNumber, reasonMessage, translate, type Lang } from '../i18n/index.js';
import { rateAccessibility, rateWithFloor, type AccessibilityRating } from '../planning/accessibility.js';
import type { Plan } from '../planning/engine.js';
import type { AccessibilityFacts, Warning } from '../planning/types.js';
import { must } from '../invariant.js';
import type { Site } from '../repositories/index.js';

export interface AccessibilityRow {
  unit_id: number;
  unit: string;
  team_id: number;
  team: string;
  site_id: number;
  site: string;
  public_facing: boolean;
  headcount: number;
  headcount_estimated: boolean;
  rating: AccessibilityRating;
  reasons: { code: string; message: string }[];
  /** the facts that are known at the date, in words ("stufenlos: ja; Türbreite: 95 cm") */
  known_facts: string;
  /** the source's verdict on the site's accessibility, in its words, and its source */
  verdict: string | null;
  verdict_source: string | null;
  nearest_accessible_stop_m: number | null;
  /** the distance is from a placeholder position (the nearest stop, or an estimate), not from the building: ≈ */
  nearest_accessible_stop_estimated: boolean;
}

export interface AccessibilityGap {
  site_id: number;
  site: string;
  missing: (keyof AccessibilityFacts)[];
}

export interface AccessibilityReport {
  date: string;
  scenario_id: number | null;
  rows: AccessibilityRow[];
  gaps: AccessibilityGap[];
}

const FACT_KEYS: (keyof AccessibilityFacts)[] = ['step_free', 'door_width_cm', 'threshold_cm', 'elevator', 'accessible_toilet', 'accessible_parking'];

/** The reasons are worded from the dictionary in the reader's language (`reason.<code>`). */
export function buildAccessibilityReport(plan: Plan, date: string, scenarioId: number | null, sites: readonly Site[], lang: Lang): AccessibilityReport {
  const state = plan.state(date, scenarioId);
  const units = new Map(plan.data.units.map((u) => [u.id, u]));
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const rows: AccessibilityRow[] = [];
  const floorDecides = floorsDeciding(state.warnings);
  for (const st of state.sites) {
    const facts = plan.factsAt(st.id, date, scenarioId) ?? must(siteById.get(st.id), 'siteById.get(st.id)');
    const ofSite = rateAccessibility(facts);
    for (const u of st.units) {
      if (u.headcount <= 0 || !units.get(u.unit_id)?.public_facing) continue;
      const floor = floorDecides.get(`${u.unit_id}|${st.id}`);
      const { rating, reasons } = floor ? rateWithFloor(ofSite, floor) : ofSite;
      rows.push({
        unit_id: u.unit_id,
        unit: u.unit,
        team_id: u.team_id,
        team: u.team,
        site_id: st.id,
        site: st.name,
        public_facing: true,
        headcount: u.headcount,
        headcount_estimated: u.headcount_estimated,
        rating,
        reasons: reasons.map((r) => ({ code: r.code, message: reasonMessage(lang, r) })),
        known_facts: knownFacts(facts, lang),
        verdict: siteById.get(st.id)?.accessibility_assessment ?? null,
        verdict_source: siteById.get(st.id)?.accessibility_assessment_source ?? null,
        nearest_accessible_stop_m: plan.nearestAccessibleStopM(st.id),
        nearest_accessible_stop_estimated: placeholderPosition(siteById.get(st.id)),
      });
    }
  }
  const order: Record<AccessibilityRating, number> = { none: 0, unknown: 1, partial: 2, full: 3 };
  rows.sort((a, b) => order[a.rating] - order[b.rating] || a.team.localeCompare(b.team, 'de') || a.unit.localeCompare(b.unit, 'de') || a.site_id - b.site_id);
  // sites in use or open at the date whose facts are not all known
  const gaps = state.sites
    .filter((st) => st.headcount > 0 || st.available)
    .flatMap((st) => {
      const facts = plan.factsAt(st.id, date, scenarioId) ?? must(siteById.get(st.id), 'siteById.get(st.id)');
      const missing = FACT_KEYS.filter((k) => facts[k] === null || facts[k] === 'unknown');
      return missing.length ? [{ site_id: st.id, site: st.name, missing }] : [];
    });
  return { date, scenario_id: scenarioId, rows, gaps };
}

/**
 * The (unit, site) pairs whose people are on a floor that decides their step-free access, as the
 * warnings rules found them (NOT_STEP_FREE and STEP_FREE_UNKNOWN name the floor when it, not the
 * entrance, decides): one rule, read here, not judged twice.
 */
function floorsDeciding(warnings: readonly Warning[]): Map<string, { fact: 'no' | 'unknown'; name: string }> {
  const out = new Map<string, { fact: 'no' | 'unknown'; name: string }>();
  for (const w of warnings) {
    const floor = w.params.floor;
    if ((w.code !== 'NOT_STEP_FREE' && w.code !== 'STEP_FREE_UNKNOWN') || typeof floor !== 'string' || !floor) continue;
    const key = `${w.unit_id}|${w.site_id}`;
    if (w.code === 'NOT_STEP_FREE' || !out.has(key)) out.set(key, { fact: w.code === 'NOT_STEP_FREE' ? 'no' : 'unknown', name: floor });
  }
  return out;
}

/** The facts known at the date in words: "stufenlos: ja; Türbreite: 95 cm" (unknown ones left out). */
export function knownFacts(facts: AccessibilityFacts, lang: Lang): string {
  const out: string[] = [];
  for (const k of FACT_KEYS) {
    const v = facts[k];
    if (v === null || v === 'unknown') continue;
    const value = typeof v === 'number' ? `${formatNumber(lang, v)} cm` : translate(lang, `fact.${v}`);
    out.push(`${translate(lang, `access.fact.${k}`)}: ${value}`);
  }
  return out.join('; ');
}

export const ACCESSIBILITY_CSV_COLUMNS = [
  'date',
  'unit_id',
  'unit',
  'team_id',
  'team',
  'site_id',
  'site',
  'public_facing',
  'headcount',
  'headcount_estimated',
  'rating',
  'reasons',
  'known_facts',
  'verdict',
  'verdict_source',
  'nearest_accessible_stop_m',
  'nearest_accessible_stop_estimated',
];

/** A site placed at its nearest stop or at an estimate, not at its building: distances from it are ≈. */
export function placeholderPosition(site: { position_precision?: string | null } | undefined): boolean {
  return site?.position_precision === 'stop' || site?.position_precision === 'estimate';
}

export function accessibilityCsvRows(r: AccessibilityReport): Record<string, unknown>[] {
  return r.rows.map((row) => ({ date: r.date, ...row, reasons: row.reasons.map((x) => x.message).join('; ') }));
}
