import { reasonMessage, type Lang } from '../i18n/index.js';
import { rateAccessibility } from '../planning/accessibility.js';
import { loadLevel } from '../planning/engine.js';

/** ASR A1.2's least office area for a number of workplaces (the engine's rule, for the site page). */
export { minimumOfficeArea } from '../planning/engine.js';
import type { Site } from '../repositories/index.js';

/**
 * The API shape of a site: the stored facts plus the derived accessibility rating, its reasons as
 * text in the reader's language and as codes with their params.
 */
export function presentSite(s: Site, lang: Lang) {
  const { rating, reasons } = rateAccessibility(s);
  return { ...s, accessibility_rating: rating, accessibility_reasons: reasons.map((r) => reasonMessage(lang, r)), accessibility_reason_codes: reasons };
}

/** A building on offer that the state's selection has not taken up: it is shown with the places it offers. */
export const onOfferOnly = (st: { status: string; available: boolean }): boolean => st.status === 'candidate' && !st.available;

/** The colour class and bar width of a utilization, as on the map legend (the threshold is the configuration's). */
export function utilView(s: { available: boolean; needed: number; capacity: number; utilization: number | null }, nearThreshold: number) {
  const cls = loadLevel(s, nearThreshold);
  const pct = s.utilization === null ? (s.needed > 0 ? 100 : 0) : Math.min(100, Math.round((s.utilization * 100) / 5) * 5);
  return { cls, w: `w${pct}` };
}
