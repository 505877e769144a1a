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

function figures(states: PlanState[], index: number): SideFigures {
  let over = 0;
  let peak: number | null = null;
  let first: string | null = null;
  for (const st of states) {
    const s = st.sites[index];
    if (isOver(s)) {
      over++;
      first ??= st.date;
    }
    if (s.capacity > 0) {
      const u = s.needed / s.capacity;
      if (peak === null || u > peak) peak = Math.round(u * 1000) / 1000;
    }
  }
  return { months_over: over, peak_utilization: peak, first_over: first };
}

/** The windows in which a warning holds on one side and not on the other. */
function windows(present: PlanState[], absent: PlanState[], to: string): WarningWindow[] {
  const out: WarningWindow[] = [];
  const open = new Map<string, WarningWindow>();
  present.forEach((st, i) => {
    const other = new Set(absent[i].warnings.map(warningKey));
    const end = i + 1 < present.length ? addDays(present[i + 1].date, -1) : to;
    const now = new Set<string>();
    for (const w of st.warnings) {
      const k = warningKey(w);
      if (other.has(k) || now.has(k)) continue;
      now.add(k);
      const cur = open.get(k);
      if (cur) {
        cur.to = end;
        cur.steps++;
        continue;
      }
      const win: WarningWindow = { code: w.code, from: st.date, to: end, steps: 1, params: w.params };
      if (w.site_id !== undefined) win.site_id = w.site_id;
      if (w.team_id !== undefined) win.team_id = w.team_id;
      if (w.unit_id !== undefined) win.unit_id = w.unit_id;
      open.set(k, win);
      out.push(win);
    }
    for (const k of [...open.keys()]) if (!now.has(k)) open.delete(k);
  });
  return out;
}

/** `dates` are the steps (sorted); `to` is the last day of the period. */
export function comparePeriod(plan: Plan, scenarioId: number, dates: readonly string[], to: string, step: 'month' | 'quarter' = 'month'): PeriodComparison {
  const sorted = [...dates].sort();
  const base = plan.states(sorted, null);
  const scen = plan.states(sorted, scenarioId);
  const sites = plan.data.sites.map((s, i) => ({
    id: s.id,
    name: s.name,
    district_id: plan.districtOfSite(s.id),
    baseline: figures(base, i),
    scenario: figures(scen, i),
  }));
  const teams = plan.data.teams.map((t, i) => ({
    id: t.id,
    name: t.name,
    baseline: { months_split: base.filter((st) => st.teams[i].split).length },
    scenario: { months_split: scen.filter((st) => st.teams[i].split).length },
  }));
  return {
    from: sorted[0] ?? to,
    to,
    step,
    dates: sorted,
    sites,
    teams,
    warnings_added: windows(scen, base, to),
    warnings_removed: windows(base, scen, to),
  };
}
