import { rateAccessibility } from '../planning/accessibility.js';
import type { Site } from '../repositories/index.js';

/** The API shape of a site: the stored facts plus the derived accessibility rating. */
export function presentSite(s: Site) {
  const { rating, reasons } = rateAccessibility(s);
  return { ...s, accessibility_rating: rating, accessibility_reasons: reasons.map((r) => r.text), accessibility_reason_codes: reasons };
}
