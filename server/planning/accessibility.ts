import type { AccessibilityFacts } from './types.js';

export type AccessibilityRating = 'full' | 'partial' | 'none' | 'unknown';

/** DIN 18040-1 limits used for the rating. */
export const MIN_DOOR_WIDTH_CM = 90;
export const MAX_THRESHOLD_CM = 2;

export const REASON_CODES = [
  'ENTRANCE_NOT_STEP_FREE',
  'STEP_FREE_UNKNOWN',
  'DOOR_TOO_NARROW',
  'DOOR_UNKNOWN',
  'THRESHOLD_TOO_HIGH',
  'THRESHOLD_UNKNOWN',
  'NO_ELEVATOR',
  'ELEVATOR_UNKNOWN',
  'NO_ACCESSIBLE_TOILET',
  'TOILET_UNKNOWN',
  // for a unit's people on a floor (SPEC section 14): the floor, not the entrance, decides
  'FLOOR_NOT_STEP_FREE',
  'FLOOR_STEP_FREE_UNKNOWN',
] as const;

export interface AccessibilityReason {
  code: (typeof REASON_CODES)[number];
  /** the limits and measured values (a floor by its name); the text is made from the dictionary (`reason.<code>`) at the edge */
  params: Record<string, number | string>;
}

/**
 * The rating of a unit's place at a site whose floor decides its step-free access (the floor is
 * worse than the entrance, see planning/floors.ts): a floor without step-free access makes it not
 * accessible, whatever the entrance; a floor nobody assessed makes it unknown at best.
 */
export function rateWithFloor(
  site: { rating: AccessibilityRating; reasons: AccessibilityReason[] },
  floor: { fact: 'no' | 'unknown'; name: string },
): { rating: AccessibilityRating; reasons: AccessibilityReason[] } {
  const reason: AccessibilityReason = { code: floor.fact === 'no' ? 'FLOOR_NOT_STEP_FREE' : 'FLOOR_STEP_FREE_UNKNOWN', params: { floor: floor.name } };
  const rating = floor.fact === 'no' || site.rating === 'none' ? 'none' : 'unknown';
  return { rating, reasons: [...site.reasons, reason] };
}

/**
 * The derived rating of SPEC section 8:
 * `none` when the entrance is not step-free; `full` when every fact is known and meets the limits;
 * `unknown` when a fact needed to decide is unknown; `partial` otherwise.
 */
export function rateAccessibility(f: AccessibilityFacts): { rating: AccessibilityRating; reasons: AccessibilityReason[] } {
  const reasons: AccessibilityReason[] = [];
  let unknown = false;
  if (f.step_free === 'no') reasons.push({ code: 'ENTRANCE_NOT_STEP_FREE', params: {} });
  else if (f.step_free === 'unknown') {
    unknown = true;
    reasons.push({ code: 'STEP_FREE_UNKNOWN', params: {} });
  }

  if (f.door_width_cm === null) {
    unknown = true;
    reasons.push({ code: 'DOOR_UNKNOWN', params: {} });
  } else if (f.door_width_cm < MIN_DOOR_WIDTH_CM) reasons.push({ code: 'DOOR_TOO_NARROW', params: { value: f.door_width_cm, limit: MIN_DOOR_WIDTH_CM } });

  if (f.threshold_cm === null) {
    unknown = true;
    reasons.push({ code: 'THRESHOLD_UNKNOWN', params: {} });
  } else if (f.threshold_cm > MAX_THRESHOLD_CM) reasons.push({ code: 'THRESHOLD_TOO_HIGH', params: { value: f.threshold_cm, limit: MAX_THRESHOLD_CM } });

  if (f.elevator === 'no') reasons.push({ code: 'NO_ELEVATOR', params: {} });
  else if (f.elevator === 'unknown') {
    unknown = true;
    reasons.push({ code: 'ELEVATOR_UNKNOWN', params: {} });
  }

  if (f.accessible_toilet === 'no') reasons.push({ code: 'NO_ACCESSIBLE_TOILET', params: {} });
  else if (f.accessible_toilet === 'unknown') {
    unknown = true;
    reasons.push({ code: 'TOILET_UNKNOWN', params: {} });
  }

  if (f.step_free === 'no') return { rating: 'none', reasons };
  if (reasons.length === 0) return { rating: 'full', reasons };
  if (unknown) return { rating: 'unknown', reasons };
  return { rating: 'partial', reasons };
}
