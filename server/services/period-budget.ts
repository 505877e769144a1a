/**
 * Work budgets (SPEC section 13): a period analysis — the timeline, a scenario's comparison over a
 * period, the report's differences over the plan's period — costs steps × sites cells. Every such
 * analysis takes its dates from periodDates(), the one place where the budget is checked.
 */
import { AppError, validation } from '../errors.js';
import { addDays, addMonths, stepDates } from '../planning/dates.js';

export type PeriodStep = 'month' | 'quarter';

const monthsPerStep = (step: PeriodStep) => (step === 'quarter' ? 3 : 1);

/** How many steps stepDates(from, to, step) makes (0 when `to` is before `from`), counted without making them. */
export function periodStepCount(from: string, to: string, step: PeriodStep): number {
  if (from > to) return 0;
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  const per = monthsPerStep(step);
  let last = Math.floor(((ty - fy) * 12 + (tm - fm)) / per);
  // a step in the month of `to` may fall after it (from the 20th to the 10th)
  if (addMonths(from, last * per) > to) last--;
  return last + 1;
}

/** The most steps that fit the budget at this many sites. */
export function maxSteps(sites: number, maxCells: number): number {
  return Math.floor(maxCells / Math.max(1, sites));
}

/** 422 PERIOD_TOO_LONG: names the limit and how many steps would fit at this many sites. */
export function periodTooLong(steps: number, sites: number, step: PeriodStep, maxCells: number): AppError {
  const fits = maxSteps(sites, maxCells);
  const unit = step === 'quarter' ? 'quarters' : 'months';
  return new AppError(
    422,
    'PERIOD_TOO_LONG',
    `the period has ${steps} ${unit} at ${sites} sites (${steps * Math.max(1, sites)} steps × sites); at most ${fits} ${unit} at ${sites} sites fit ANALYSIS_MAX_CELLS (${maxCells})`,
    { to: `validation.period_too_long_${step}?steps=${fits}&sites=${sites}` },
    { limit: { max_cells: maxCells, sites, steps, max_steps: fits, step } },
  );
}

/**
 * The most steps one line of a chart shows (the timeline page): 50 years by month, 150 by quarter.
 * Beyond it a chart's points are thinner than a pixel and the page grows to megabytes; the figures
 * themselves are there over the API (GET /api/timeline), within the work budget.
 */
export const CHART_MAX_STEPS = 600;

/** 422 PERIOD_TOO_LONG for a chart of more than CHART_MAX_STEPS steps: names how many it shows. */
export function chartPeriodTooLong(from: string, to: string, step: PeriodStep): AppError | null {
  const steps = periodStepCount(from, to, step);
  if (steps <= CHART_MAX_STEPS) return null;
  const unit = step === 'quarter' ? 'quarters' : 'months';
  return new AppError(
    422,
    'PERIOD_TOO_LONG',
    `the period has ${steps} ${unit}; a chart shows at most ${CHART_MAX_STEPS} ${unit}`,
    { to: `validation.chart_too_long_${step}?steps=${CHART_MAX_STEPS}` },
    { limit: { steps, max_steps: CHART_MAX_STEPS, step } },
  );
}

/**
 * The period of a chart: as asked, where both ends were given (422 when it is longer than
 * CHART_MAX_STEPS); an end not given is taken from `period` (the plan's), and when that would make the
 * chart too long, the chart keeps the CHART_MAX_STEPS steps next to the end that was given (without
 * one: the latest), so a page asked without a period always draws.
 */
export function chartPeriod(asked: { from?: string; to?: string }, period: { from: string; to: string }, step: PeriodStep): { from: string; to: string } {
  const from = asked.from ?? period.from;
  const to = asked.to ?? period.to;
  const tooLong = chartPeriodTooLong(from, to, step);
  if (!tooLong) return { from, to };
  if (asked.from !== undefined && asked.to !== undefined) throw tooLong;
  const per = monthsPerStep(step);
  if (asked.from === undefined) return { from: addMonths(to, -(CHART_MAX_STEPS - 1) * per), to };
  return { from, to: addDays(addMonths(from, CHART_MAX_STEPS * per), -1) };
}

/**
 * The dates of a period analysis from `from` to `to` over `sites` sites: 400 when `to` is before
 * `from`, 422 PERIOD_TOO_LONG when steps × sites is above `maxCells` (checked before any date is made).
 */
export function periodDates(from: string, to: string, step: PeriodStep, sites: number, maxCells: number): string[] {
  if (from > to) throw validation({ to: 'validation.end_before_start' });
  const steps = periodStepCount(from, to, step);
  if (steps * Math.max(1, sites) > maxCells) throw periodTooLong(steps, sites, step, maxCells);
  return stepDates(from, to, step, steps);
}
