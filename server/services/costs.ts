/** What the plan costs (SPEC section 15): at a date, and a scenario against the baseline over a period. */
import { compareAnnualAt, compareCosts, costsAt, hasLeases, type AnnualComparison, type CostComparison, type CostsAt } from '../planning/costs.js';

/**
 * The council report's box "Finanzielle Auswirkungen": ja / nein, with the figures behind it or the
 * reason there are none (no lease recorded: "keine Mietdaten erfasst").
 */
export interface FinanceBox {
  impact: boolean;
  /** no lease is recorded: running costs are unknown */
  no_lease_data: boolean;
  /** the annual costs of the sites at the date, in the selection (null without lease data) */
  annual_eur: number | null;
  /** in a scenario: its costs against the baseline's over the period (null: the baseline, or the period too long) */
  comparison: CostComparison | null;
  /** sites with people but no lease recorded (at the date, or in the period on either side): not in the figures */
  unknown_sites: string[];
}
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

  /** A scenario's annual running costs at a date against the baseline's, by site (the scenario page's comparison at a date). */
  async annualAt(scenarioId: number, date: string): Promise<AnnualComparison> {
    return compareAnnualAt(await this.plans.plan(), scenarioId, date);
  }

  /**
   * A scenario's costs over the days from..to (inclusive) against the baseline's. A period analysis:
   * its months × sites count against ANALYSIS_MAX_CELLS like every other (422 PERIOD_TOO_LONG).
   */
  async compare(scenarioId: number, from: string, to: string): Promise<CostComparison> {
    await this.plans.periodDates(from, to, 'month');
    return compareCosts(await this.plans.plan(), scenarioId, from, to, this.moveCostPerPerson);
  }

  /**
   * The report's finance box at a date: in a scenario, its costs against the baseline's over the
   * period (impact when they differ); for the baseline, the annual costs at the date. Without any
   * lease and without a difference in move costs: "nein", because no lease data is recorded.
   */
  async financeBox(date: string, scenarioId: number | null, period: { from: string; to: string }): Promise<FinanceBox> {
    const plan = await this.plans.plan();
    const noLeaseData = !hasLeases(plan);
    const at = noLeaseData ? null : costsAt(plan, date, scenarioId);
    const annual = at ? at.total_annual_eur : null;
    let comparison: CostComparison | null = null;
    if (scenarioId !== null) {
      try {
        comparison = await this.compare(scenarioId, period.from, period.to);
      } catch {
        // a period beyond the work budget: the box keeps the figures at the date
        comparison = null;
      }
    }
    const impact = comparison ? comparison.difference_eur !== 0 : (annual ?? 0) > 0;
    const unknown = comparison ? unknownFirstWhereTheSidesDiffer(comparison) : (at?.sites.filter((s) => s.annual_eur === null).map((s) => s.site) ?? []);
    return { impact, no_lease_data: noLeaseData, annual_eur: annual, comparison, unknown_sites: [...new Set(unknown)] };
  }

  /** Whether any lease is recorded (no lease: the figures say "keine Mietdaten erfasst"). */
  async anyLease(): Promise<boolean> {
    return hasLeases(await this.plans.plan());
  }
}

/**
 * The sites whose costs a comparison leaves out (people, no lease), those that only one side uses
 * first: they, not the sites both sides use alike, make its difference incomplete (a short list names
 * only its first ten).
 */
function unknownFirstWhereTheSidesDiffer(c: CostComparison): string[] {
  const base = new Set(c.baseline.sites_without_lease.map((s) => s.site_id));
  const scen = new Set(c.scenario.sites_without_lease.map((s) => s.site_id));
  const all = [...c.scenario.sites_without_lease, ...c.baseline.sites_without_lease];
  const oneSide = all.filter((s) => base.has(s.site_id) !== scen.has(s.site_id));
  return [...new Set([...oneSide, ...all].map((s) => s.site))];
}
