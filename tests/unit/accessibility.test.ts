import { describe, expect, it } from 'vitest';
import { reasonMessage } from '../../server/i18n/index.js';
import { rateAccessibility } from '../../server/planning/accessibility.js';
import type { AccessibilityFacts } from '../../server/planning/types.js';

const full: AccessibilityFacts = {
  step_free: 'yes',
  accessible_toilet: 'yes',
  accessible_parking: 'no',
  elevator: 'not_needed',
  door_width_cm: 90,
  threshold_cm: 2,
};

describe('accessibility rating (DIN 18040-1)', () => {
  it('when every fact meets the limits (door 90 cm, threshold 2 cm), then full', () => {
    expect(rateAccessibility(full)).toEqual({ rating: 'full', reasons: [] });
  });
  it('when the door is 89 cm, then partial with the reason (code and params) spelled out from the dictionary', () => {
    const r = rateAccessibility({ ...full, door_width_cm: 89 });
    expect(r.rating).toBe('partial');
    expect(r.reasons.map((x) => reasonMessage('en', x))).toEqual(['door 89 cm < 90 cm']);
  });
  it('when the threshold is 3 cm, then partial', () => {
    expect(rateAccessibility({ ...full, threshold_cm: 3 }).reasons.map((x) => reasonMessage('en', x))).toEqual(['threshold 3 cm > 2 cm']);
  });
  it('when the entrance is not step-free, then none, whatever else is known', () => {
    expect(rateAccessibility({ ...full, step_free: 'no' }).rating).toBe('none');
    expect(rateAccessibility({ ...full, step_free: 'no', door_width_cm: null }).rating).toBe('none');
  });
  it('when a needed fact is unknown, then unknown — never a guessed yes', () => {
    expect(rateAccessibility({ ...full, elevator: 'unknown' }).rating).toBe('unknown');
    expect(rateAccessibility({ ...full, door_width_cm: null }).rating).toBe('unknown');
    expect(rateAccessibility({ ...full, step_free: 'unknown' }).rating).toBe('unknown');
  });
  it('when there is no elevator or no accessible toilet, then partial', () => {
    expect(rateAccessibility({ ...full, elevator: 'no' }).rating).toBe('partial');
    expect(rateAccessibility({ ...full, accessible_toilet: 'no' }).rating).toBe('partial');
  });
});
