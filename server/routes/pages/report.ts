import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { validation } from '../../errors.js';
import { addMonths, stepDates } from '../../planning/dates.js';
import { statusAsOf } from '../../planning/status.js';
import { shownMoves } from '../api/planning.js';
import { comparePeriod } from '../../planning/compare.js';
import { periodSummary, type SummaryLine } from './scenario-planning.js';
import type { Warning } from '../../planning/types.js';
import { presentSite } from '../../services/presenters.js';
import { planPeriod } from '../api/planning.js';
import { isoDate, parse } from '../validate.js';
import { pageBasics } from './as-of.js';
import { overviewSvg } from './overview-svg.js';
import { must } from '../../invariant.js';

const blank = z.literal('').transform(() => undefined);

export function reportPages(ctx: AppContext): Router {
  const r = Router();

  r.get('/timeline', async (req, res) => {
    const { asOf, scenarios, plan } = await pageBasics(ctx, req);
    const period = await planPeriod(ctx);
    const f = parse(z.object({
      from: isoDate.optional().or(blank), to: isoDate.optional().or(blank), step: z.enum(['month', 'quarter']).default('quarter'),
      overlay: z.enum(['1', 'on']).optional().or(blank),
    }).passthrough(), req.query);
    const from = f.from ?? period.from;
    const to = f.to ?? period.to;
    if (from > to) throw validation({ to: 'must not be before from' });
    const dates = stepDates(from, to, f.step, 1200);
    const tl = plan.timeline(dates, asOf.scenarioId);
    // the baseline underneath the scenario (the scenario's lines dashed)
    const base = f.overlay && asOf.scenarioId !== null ? plan.timeline(dates, null) : null;
    const pct = (needed: number[], cap: number[]) => needed.map((n, i) => (cap[i] > 0 ? Math.round((n / cap[i]) * 1000) / 10 : null));
    // people in a site without capacity: over, not gone (drawn as ▲ at the top of the chart)
    const zero = (needed: number[], cap: number[]) => needed.map((n, i) => (cap[i] === 0 && n > 0 ? i : -1)).filter((i) => i >= 0);
    const sitesUsed = tl.sites.filter((s, i) => s.headcount.some((h) => h > 0) || Boolean(base?.sites[i].headcount.some((h) => h > 0)));
    const series = <T extends { name: string; needed: number[]; capacity: number[] }>(rows: T[], baseRows: T[] | null) => rows.flatMap((s, i) => {
      const own = { label: s.name, data: pct(s.needed, s.capacity), zero: zero(s.needed, s.capacity), color: i, dashed: Boolean(baseRows) };
      if (!baseRows) return [own];
      const b = baseRows[i];
      return [{ label: `${s.name} (${res.locals.t('timeline.baseline_suffix')})`, data: pct(b.needed, b.capacity), zero: zero(b.needed, b.capacity), color: i, dashed: false }, own];
    });
    const firstOver = sitesUsed.map((s) => {
      const i = s.needed.findIndex((n, k) => n > s.capacity[k]); // capacity 0 with people counts as over
      return { id: s.id, name: s.name, date: i >= 0 ? tl.dates[i] : null, needed: i >= 0 ? s.needed[i] : null, capacity: i >= 0 ? s.capacity[i] : null };
    });
    const fd = res.locals.fmtDate as (d: string) => string;
    res.render('pages/timeline', {
      title: res.locals.t('timeline.title'), asOf, scenarios, from, to, step: f.step, firstOver,
      overlay: Boolean(base),
      districtChart: { dates: tl.dates.map(fd), series: series(tl.districts, base?.districts ?? null), yLabel: '%', fullLabel: res.locals.t('chart.full') },
      siteChart: { dates: tl.dates.map(fd), series: series(sitesUsed, base ? sitesUsed.map((s) => base.sites.find((x) => x.id === s.id) ?? s) : null), yLabel: '%', fullLabel: res.locals.t('chart.full') },
    });
  });

  r.get('/report', async (req, res) => {
    const { asOf, scenarios, plan, state } = await pageBasics(ctx, req);
    const [sites, districts, units, teams, scenario] = await Promise.all([
      ctx.repos.sites.list(), ctx.repos.districts.list(), ctx.repos.units.list(), ctx.repos.teams.list(),
      asOf.scenarioId ? ctx.repos.scenarios.get(asOf.scenarioId) : Promise.resolve(undefined),
    ]);
    const siteById = new Map(sites.map((s) => [s.id, presentSite(s)]));
    const horizon = addMonths(asOf.date, 12);
    const unitById = new Map(units.map((u) => [u.id, u]));
    const teamName = new Map(teams.map((t) => [t.id, t.name]));
    const upcoming = shownMoves(plan, asOf.scenarioId)
      .filter((m) => m.date >= asOf.date && m.date <= horizon)
      .map((m) => ({ ...m, status: statusAsOf(m, asOf.date) }));
    const renovations = plan.eventsOf(asOf.scenarioId)
      .filter((e) => e.kind !== 'capacity' ? (e.end_date ?? e.date) >= asOf.date && e.date <= horizon : e.date >= asOf.date && e.date <= horizon)
      .sort((a, b) => a.date.localeCompare(b.date));
    const sections = districts.map((d) => ({ id: d.id as number | null, name: d.name, sites: state.sites.filter((s) => s.district_id === d.id && (s.headcount > 0 || s.available)), totals: must(state.districts.find((x) => x.id === d.id), 'state.districts.find((x) => x.id === d.id)') }));
    const outside = state.sites.filter((s) => s.district_id === null && (s.headcount > 0 || s.available));
    const grouped = new Map<string, Warning[]>();
    for (const w of state.warnings) grouped.set(w.code, [...(grouped.get(w.code) ?? []), w]);
    const total = state.sites.reduce((a, s) => ({ capacity: a.capacity + s.capacity, headcount: a.headcount + s.headcount, needed: a.needed + s.needed }), { capacity: 0, headcount: 0, needed: 0 });
    // in a scenario: what differs from the baseline over the plan, and which baseline records it changes
    let differences: { summary: SummaryLine[]; from: string; to: string; overrides: number } | null = null;
    if (asOf.scenarioId !== null) {
      const period = await planPeriod(ctx);
      const cmp = comparePeriod(plan, asOf.scenarioId, stepDates(period.from, period.to, 'month', 1200), period.to);
      differences = { summary: periodSummary(cmp), from: period.from, to: period.to, overrides: (plan.data.overrides ?? []).filter((o) => o.scenario_id === asOf.scenarioId).length };
    }
    res.render('pages/report', {
      title: res.locals.t('report.title'), asOf, scenarios, scenario, sections, outside, siteById, upcoming, renovations, grouped, total, differences,
      siteName: (id: number | null) => (id === null ? null : siteById.get(id)?.name ?? String(id)),
      unitLabel: (uid: number) => { const u = unitById.get(uid); return u ? `${u.name} (${teamName.get(u.team_id) ?? ''})` : String(uid); },
      svg: overviewSvg(districts, state.sites.filter((s) => s.headcount > 0 || s.available), siteById, res.locals.t('report.overview_label', { sites: state.sites.filter((s) => s.headcount > 0 || s.available).length, districts: districts.length })),
      generated: ctx.today(),
    });
  });
  return r;
}
