import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { validation } from '../../errors.js';
import { stepDates } from '../../planning/dates.js';
import type { Warning } from '../../planning/types.js';
import { buildAccessibilityReport } from '../../services/accessibility-report.js';
import { buildCouncilReport, DEFAULT_ANTRAG } from '../../services/council-report.js';
import { presentSite } from '../../services/presenters.js';
import { isoDate, parse } from '../validate.js';
import { pageBasics } from './as-of.js';
import { overviewSvg } from './overview-svg.js';
import { must } from '../../invariant.js';

const blank = z.literal('').transform(() => undefined);

export function reportPages(ctx: AppContext): Router {
  const r = Router();

  r.get('/timeline', async (req, res) => {
    const { asOf, scenarios, plan } = await pageBasics(ctx, req);
    const period = await ctx.services.planning.period();
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
      const i = s.needed.findIndex((n, k) => n > s.capacity[k]);
      return {
        id: s.id, name: s.name, date: i >= 0 ? tl.dates[i] : null, needed: i >= 0 ? s.needed[i] : null, capacity: i >= 0 ? s.capacity[i] : null,
        needed_estimated: i >= 0 && s.headcount_estimated[i], capacity_estimated: i >= 0 && s.capacity_estimated[i],
      };
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
    const { asOf, scenarios, plan } = await pageBasics(ctx, req);
    // the Drucksache's own fields: typed by the planner, shown only as text
    const f = parse(z.object({
      drucksache: z.string().trim().max(40).optional(),
      betreff: z.string().trim().max(300).optional(),
      antrag: z.string().trim().max(2000).optional(),
    }).passthrough(), req.query);
    const [sites, districts, units, teams, projects, projectMoves, allEvents] = await Promise.all([
      ctx.services.sites.all(), ctx.services.organisation.districts(), ctx.services.organisation.units(), ctx.services.organisation.teams(),
      ctx.services.projects.list(), ctx.services.moves.inProjects(), ctx.services.sites.eventsWhere({}),
    ]);
    const scenario = asOf.scenarioId ? scenarios.find((x) => x.id === asOf.scenarioId) ?? null : null;
    const report = buildCouncilReport({
      plan, date: asOf.date, scenario, scenarios, sites, teams, units, districts, projects, projectMoves,
      projectEvents: allEvents.filter((e) => e.project_id !== null),
    });
    const state = report.state;
    const siteById = new Map(sites.map((x) => [x.id, presentSite(x, res.locals.lang)]));
    const grouped = new Map<string, Warning[]>();
    for (const w of state.warnings) grouped.set(w.code, [...(grouped.get(w.code) ?? []), w]);
    // in a scenario: what differs from the baseline over the plan, and which baseline records it changes
    const differences = asOf.scenarioId !== null ? await ctx.services.planning.scenarioDifferences(asOf.scenarioId) : null;
    const sections = districts.map((d) => ({ id: d.id, name: d.name, totals: must(state.districts.find((x) => x.id === d.id), 'state.districts.find((x) => x.id === d.id)') }));
    const t = res.locals.t as (k: string, p?: Record<string, unknown>) => string;
    const fd = res.locals.fmtDate as (d: string) => string;
    res.render('pages/report', {
      title: t('report.title'), asOf, scenarios, scenario, report, sections, grouped, differences,
      drucksache: f.drucksache || '',
      betreff: f.betreff || t('report.default_subject', { date: fd(asOf.date) }),
      antrag: f.antrag || DEFAULT_ANTRAG,
      svg: overviewSvg(districts, state.sites.filter((x) => x.headcount > 0 || x.available), siteById, ctx.config.planning.nearCapacityThreshold, t('report.overview_label', { sites: state.sites.filter((x) => x.headcount > 0 || x.available).length, districts: districts.length })),
      generated: ctx.today(),
    });
  });
  accessibilityPage(r, ctx);
  return r;
}

/** `/accessibility`: the public-facing services and their sites' accessibility, for the inclusion officer. */
function accessibilityPage(r: Router, ctx: AppContext): void {
  r.get('/accessibility', async (req, res) => {
    const { asOf, scenarios, plan } = await pageBasics(ctx, req);
    const t = res.locals.t as (k: string, p?: Record<string, unknown>) => string;
    const report = buildAccessibilityReport(plan, asOf.date, asOf.scenarioId, await ctx.services.sites.all(), res.locals.lang);
    res.render('pages/accessibility', { title: t('access.title'), asOf, scenarios, report });
  });
}
