/**
 * Compare a scenario with the baseline over a period, step by step (pure; one ledger sweep per side):
 * per site the months over capacity, the peak utilisation and the first date over; per team the
 * months it is split; and the warnings that appear or disappear, each with its window.
 */
import { addDays } from './dates.js';
import type { Plan } from './engine.js';
import type { PlanState, SiteState, Warning, WarningCode } from './types.js';

export interface SideFigures {
  /** steps at which the site is over capacity (people in a site without capacity count as over) */
  months_over: number;
  /** highest needed/capacity over the steps with capacity; null when it never had any */
  peak_utilization: number | null;
  /** the peak rests on an estimate (the people's or the capacity at that step): ≈ */
  peak_estimated: boolean;
  first_over: string | null;
}

export interface WarningWindow {
  code: WarningCode;
  site_id?: number;
  team_id?: number;
  unit_id?: number;
  /** first and last day (inclusive) of the window */
  from: string;
  to: string;
  /** number of steps in the window */
  steps: number;
  /** the warning's parameters at the first step (names, counts) */
  params: Warning['params'];
}

export interface PeriodComparison {
  from: string;
  to: string;
  step: 'month' | 'quarter';
  dates: string[];
  sites: { id: number; name: string; district_id: number | null; baseline: SideFigures; scenario: SideFigures }[];
  teams: { id: number; name: string; baseline: { months_split: number }; scenario: { months_split: number } }[];
  warnings_added: WarningWindow[];
  warnings_removed: WarningWindow[];
}

/** Over capacity at a step: more workplaces needed than there are, or people in a site that offers none. */
export function isOver(s: Pick<SiteState, 'needed' | 'capacity' | 'headcount' | 'available'>): boolean {
  return s.needed > s.capacity || (s.headcount > 0 && !s.available);
}

const warningKey = (w: Warning) => `${w.code}|${w.site_id ?? ''}|${w.team_id ?? ''}|${w.unit_id ?? ''}`;

/** One side's site figures, folded step by step in typed columns (one entry per site). */
class SiteFolds {
  readonly over: Int32Array;
  /** highest utilisation so far; NaN while the site never had capacity */
  readonly peak: Float64Array;
  /** 1: the peak so far rests on an estimate */
  readonly peakEstimated: Uint8Array;
  /** step of the first date over; -1 while never */
  readonly first: Int32Array;
  readonly split: Int32Array;

  constructor(sites: number, teams: number) {
    this.over = new Int32Array(sites);
    this.peak = new Float64Array(sites).fill(Number.NaN);
    this.peakEstimated = new Uint8Array(sites);
    this.first = new Int32Array(sites).fill(-1);
    this.split = new Int32Array(teams);
  }

  add(st: PlanState, step: number): void {
    st.sites.forEach((s, i) => {
      if (isOver(s)) {
        this.over[i]++;
        if (this.first[i] < 0) this.first[i] = step;
      }
      if (s.capacity > 0) {
        const u = s.needed / s.capacity;
        if (Number.isNaN(this.peak[i]) || u > this.peak[i]) {
          this.peak[i] = u;
          this.peakEstimated[i] = s.headcount_estimated || s.capacity_estimated ? 1 : 0;
        }
      }
    });
    st.teams.forEach((t, i) => {
      if (t.split) this.split[i]++;
    });
  }

  figures(i: number, dates: readonly string[]): SideFigures {
    const peak = this.peak[i];
    return {
      months_over: this.over[i],
      peak_utilization: Number.isNaN(peak) ? null : Math.round(peak * 1000) / 1000,
      peak_estimated: !Number.isNaN(peak) && this.peakEstimated[i] === 1,
      first_over: this.first[i] < 0 ? null : dates[this.first[i]],
    };
  }
}

/** The windows in which a warning holds on one side and not on the other, extended step by step. */
class Windows {
  readonly list: WarningWindow[] = [];
  private open = new Map<string, WarningWindow>();

  /** One step: the warnings of this side, the keys of the other side's, the step's first and last day. */
  add(present: readonly Warning[], absent: ReadonlySet<string>, date: string, end: string): void {
    const now = new Set<string>();
    for (const w of present) {
      const k = warningKey(w);
      if (absent.has(k) || now.has(k)) continue;
      now.add(k);
      const cur = this.open.get(k);
      if (cur) {
        cur.to = end;
        cur.steps++;
        continue;
      }
      const win: WarningWindow = { code: w.code, from: date, to: end, steps: 1, params: w.params };
      if (w.site_id !== undefined) win.site_id = w.site_id;
      if (w.team_id !== undefined) win.team_id = w.team_id;
      if (w.unit_id !== undefined) win.unit_id = w.unit_id;
      this.open.set(k, win);
      this.list.push(win);
    }
    for (const k of [...this.open.keys()]) if (!now.has(k)) this.open.delete(k);
  }
}

/**
 * `dates` are the steps (sorted); `to` is the last day of the period. Both sides are swept together
 * and folded step by step: the memory is that of one state per side and the figures per site, never
 * a state per step (the work budget bounds the steps × sites, see services/period-budget.ts).
 */
export function comparePeriod(plan: Plan, scenarioId: number, dates: readonly string[], to: string, step: 'month' | 'quarter' = 'month'): PeriodComparison {
  const sorted = [...dates].sort();
  const { sites, teams } = plan.data;
  const base = new SiteFolds(sites.length, teams.length);
  const scen = new SiteFolds(sites.length, teams.length);
  const added = new Windows();
  const removed = new Windows();
  const baseStates = plan.eachState(sorted, null);
  const scenStates = plan.eachState(sorted, scenarioId);
  sorted.forEach((date, i) => {
    const b = baseStates.next().value as PlanState;
    const s = scenStates.next().value as PlanState;
    base.add(b, i);
    scen.add(s, i);
    const end = i + 1 < sorted.length ? addDays(sorted[i + 1], -1) : to;
    added.add(s.warnings, new Set(b.warnings.map(warningKey)), date, end);
    removed.add(b.warnings, new Set(s.warnings.map(warningKey)), date, end);
  });
  return {
    from: sorted[0] ?? to,
    to,
    step,
    dates: sorted,
    sites: sites.map((s, i) => ({
      id: s.id,
      name: s.name,
      district_id: plan.districtOfSite(s.id),
      baseline: base.figures(i, sorted),
      scenario: scen.figures(i, sorted),
    })),
    teams: teams.map((t, i) => ({ id: t.id, name: t.name, baseline: { months_split: base.split[i] }, scenario: { months_split: scen.split[i] } })),
    warnings_added: added.list,
    warnings_removed: removed.list,
  };
}
