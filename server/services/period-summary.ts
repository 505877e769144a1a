/** The period comparison in sentences to come: dictionary keys with their parameters (translated in the view). */
import type { PeriodComparison, WarningWindow } from '../planning/compare.js';

/** One sentence of the period summary: a dictionary key and its parameters (translated in the view). */
export interface SummaryLine {
  key: string;
  team?: string;
  site?: string;
  months: number;
  sites?: number;
  windows: { from: string; to: string }[];
}

/** The summary the scenario page leads with: which teams stay split and which sites are over, for how long. */
export function periodSummary(cmp: PeriodComparison): SummaryLine[] {
  const lines: SummaryLine[] = [];
  const wins = (list: WarningWindow[], pick: (w: WarningWindow) => boolean) => list.filter(pick).map((w) => ({ from: w.from, to: w.to }));
  for (const tm of cmp.teams) {
    const delta = tm.scenario.months_split - tm.baseline.months_split;
    if (delta === 0) continue;
    const list = delta > 0 ? cmp.warnings_added : cmp.warnings_removed;
    const split = list.filter((w) => w.code === 'TEAM_SPLIT' && w.team_id === tm.id);
    lines.push({
      key: delta > 0 ? 'compare.summary.team_split_longer' : 'compare.summary.team_split_shorter',
      team: tm.name,
      months: Math.abs(delta),
      sites: Number(split[0]?.params.sites ?? 2),
      windows: wins(list, (w) => w.code === 'TEAM_SPLIT' && w.team_id === tm.id),
    });
  }
  for (const s of cmp.sites) {
    const delta = s.scenario.months_over - s.baseline.months_over;
    if (delta === 0) continue;
    const list = delta > 0 ? cmp.warnings_added : cmp.warnings_removed;
    lines.push({
      key: delta > 0 ? 'compare.summary.site_over_longer' : 'compare.summary.site_over_shorter',
      site: s.name,
      months: Math.abs(delta),
      windows: wins(list, (w) => (w.code === 'OVER_CAPACITY' || w.code === 'SITE_UNAVAILABLE') && w.site_id === s.id),
    });
  }
  return lines;
}
