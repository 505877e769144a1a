/** The period comparison in sentences to come: dictionary keys with their parameters (translated in the view). */
import type { PeriodComparison, WarningWindow } from '../planning/compare.js';

/** One sentence of the period summary: a dictionary key and its parameters (translated in the view). */
export interface SummaryLine {
  key: string;
  team?: string;
  site?: string;
  months: number;
  sites?: number;
  /** where it holds now (for a line that moved in time: where it newly holds); `code` names the kind at a site */
  windows: SummaryWindow[];
  /** a line that moved in time (as long as before, at other times): where it no longer holds */
  removed?: SummaryWindow[];
}

export interface SummaryWindow {
  from: string;
  to: string;
  code?: string;
}

/**
 * The summary the scenario page leads with: which teams stay split and which sites are over, for how
 * long — and, when a team is split or a site over for as long as before but at other times (a shift
 * that moves a crunch without making it longer), when it now holds and when no longer.
 */
export function periodSummary(cmp: PeriodComparison): SummaryLine[] {
  const lines: SummaryLine[] = [];
  const wins = (list: WarningWindow[], pick: (w: WarningWindow) => boolean) => list.filter(pick).map((w) => ({ from: w.from, to: w.to }));
  const siteWins = (list: WarningWindow[], id: number) =>
    list
      .filter((w) => (w.code === 'OVER_CAPACITY' || w.code === 'SITE_UNAVAILABLE') && w.site_id === id)
      .map((w) => ({ from: w.from, to: w.to, code: w.code }));
  for (const tm of cmp.teams) {
    const delta = tm.scenario.months_split - tm.baseline.months_split;
    if (delta === 0) {
      const pick = (w: WarningWindow) => w.code === 'TEAM_SPLIT' && w.team_id === tm.id;
      const added = wins(cmp.warnings_added, pick);
      const removed = wins(cmp.warnings_removed, pick);
      if (added.length || removed.length) lines.push({ key: 'compare.summary.team_split_moved', team: tm.name, months: 0, windows: added, removed });
      continue;
    }
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
    if (delta === 0) {
      const added = siteWins(cmp.warnings_added, s.id);
      const removed = siteWins(cmp.warnings_removed, s.id);
      if (added.length || removed.length) lines.push({ key: 'compare.summary.site_over_moved', site: s.name, months: 0, windows: added, removed });
      continue;
    }
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
