/** What the plan costs (SPEC section 15): at a date, and a scenario against the baseline over a period. */
import { compareCosts, costsAt, hasLeases, type CostComparison, type CostsAt } from '../planning/costs.js';
import type { PlanningService } from './planning-service.js';

export class CostService {
  constructor(
    private readonly plans: PlanningService,
    /** MOVE_COST_PER_PERSON_EUR */
    readonly moveCostPerPerson: number,
  ) {}

  /** The annual costs per site at a date (baseline, or baseline + one scenario). */
  async at(date: string, scenarioId: number | null): Promise<CostsAt> {
    return costsAt(await this.plans.plan(), date, scenarioId);
  }

  /** GET /api/costs as UTF-8 JSON, computed once per data revision, date and selection. */
  atJson(date: string, scenarioId: number | null): Promise<Buffer> {
    return this.plans.json(`costs|${date}|${scenarioId}`, (plan) => costsAt(plan, date, scenarioId));
  }

  /**
   * A scenario's costs over the days from..to (inclusive) against the baseline's. A period analysis:
   * its months × sites count against ANALYSIS_MAX_CELLS like every other (422 PERIOD_TOO_LONG).
   */
  async compare(scenarioId: number, from: string, to: string): Promise<CostComparison> {
    await this.plans.periodDates(from, to, 'month');
    return compareCosts(await this.plans.plan(), scenarioId, from, to, this.moveCostPerPerson);
  }

  /** Whether any lease is recorded (no lease: the figures say "keine Mietdaten erfasst"). */
  async anyLease(): Promise<boolean> {
    return hasLeases(await this.plans.plan());
  }
}
