import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, stepDates } from '../../server/planning/dates.js';
import { periodDates, periodStepCount } from '../../server/services/period-budget.js';

describe('the work budget of a period analysis (steps × sites ≤ ANALYSIS_MAX_CELLS)', () => {
  it('when the steps of a period are counted, then they are exactly the dates stepDates makes (month ends, 31sts, leap days, quarters)', () => {
    const day = fc.integer({ min: 0, max: 365 * 60 }).map((n) => addDays('1990-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: -40, max: 4000 }), fc.constantFrom('month' as const, 'quarter' as const), (from, span, step) => {
        const to = addDays(from, span);
        expect(periodStepCount(from, to, step)).toBe(from > to ? 0 : stepDates(from, to, step, 10_000).length);
      }),
      { numRuns: 400 },
    );
    expect(periodStepCount('2020-01-31', '2020-02-28', 'month')).toBe(1);
    expect(periodStepCount('2020-01-31', '2020-02-29', 'month')).toBe(2);
  });

  it('when a viewer compares 1930-02 to 2030-01 at 2,000 sites, then 422 PERIOD_TOO_LONG names the limit and that 500 months would fit, before a single date is made', () => {
    let err: unknown;
    try {
      periodDates('1930-02-01', '2030-01-01', 'month', 2000, 1_000_000);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      status: 422,
      code: 'PERIOD_TOO_LONG',
      fields: { to: 'validation.period_too_long_month?steps=500&sites=2000' },
      extra: { limit: { max_cells: 1_000_000, sites: 2000, steps: 1200, max_steps: 500, step: 'month' } },
    });
    expect((err as Error).message).toContain('at most 500 months at 2000 sites');
    // what the message says fits, fits; one step more does not
    expect(periodDates('1930-02-01', '1971-09-01', 'month', 2000, 1_000_000)).toHaveLength(500);
    expect(() => periodDates('1930-02-01', '1971-10-01', 'month', 2000, 1_000_000)).toThrow(/at most 500 months/);
    expect(periodDates('1930-02-01', '2030-01-01', 'quarter', 2000, 1_000_000)).toHaveLength(400);
  });

  it('when the end is before the start, then 400 VALIDATION_FAILED on `to`', () => {
    expect(() => periodDates('2030-01-01', '2020-01-01', 'month', 10, 1000)).toThrow(
      expect.objectContaining({ status: 400, fields: { to: 'validation.end_before_start' } }),
    );
  });
});
