import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, stepDates } from '../../server/planning/dates.js';
import { CHART_MAX_STEPS, chartPeriod, periodDates, periodStepCount } from '../../server/services/period-budget.js';

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

describe('the period of a chart (at most CHART_MAX_STEPS steps per line)', () => {
  const plan = { from: '1905-01-01', to: '2199-12-31' };
  it('when the timeline page is asked without a period and the plan spans three centuries, then it draws the latest 600 steps up to the plan’s end', () => {
    const p = chartPeriod({}, plan, 'quarter');
    expect(p.to).toBe('2199-12-31');
    expect(periodStepCount(p.from, p.to, 'quarter')).toBe(CHART_MAX_STEPS);
  });
  it('when only the start is given, then the 600 steps from it; only the end, the 600 steps up to it; both and too long, 422 naming what a chart shows', () => {
    const from = chartPeriod({ from: '1950-01-01' }, plan, 'month');
    expect(from).toEqual({ from: '1950-01-01', to: '1999-12-31' });
    expect(periodStepCount(from.from, from.to, 'month')).toBe(CHART_MAX_STEPS);
    const to = chartPeriod({ to: '2030-06-30' }, plan, 'month');
    expect(to.to).toBe('2030-06-30');
    expect(periodStepCount(to.from, to.to, 'month')).toBe(CHART_MAX_STEPS);
    expect(() => chartPeriod({ from: '1950-01-01', to: '2030-06-30' }, plan, 'month')).toThrow(
      expect.objectContaining({ status: 422, code: 'PERIOD_TOO_LONG', fields: { to: 'validation.chart_too_long_month?steps=600' } }),
    );
    // within the limit, as asked
    expect(chartPeriod({ from: '2020-01-01' }, { from: '2016-01-01', to: '2028-12-31' }, 'quarter')).toEqual({ from: '2020-01-01', to: '2028-12-31' });
  });
});
