import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Timeline, Warning } from '../../planning/types.js';
import { DEFAULT_ANTRAG } from '../../services/council-report.js';
import { presentSite } from '../../services/presenters.js';
import { isoDate, parse } from '../validate.js';
import { pageBasics, periodAnalysis, type AsOf } from './as-of.js';
import type { Scenario } from '../../repositories/index.js';
import { overviewSvg } from './overview-svg.js';
import { textOf } from './forms.js';
import { keyAt } from '../../i18n/index.js';

const blank = z.literal('').transform(() => undefined);

export function reportPages(ctx: AppContext): Router {
  const r = Router();
  timelinePage(r, ctx);
  councilReportPage(r, ctx);
  accessibilityPage(r, ctx);
  return r;
}

/** `/timeline`: utilization per district and site over a period (with the baseline underneath, on request). */
function timelinePage(r: Router, ctx: AppContext): void {
  r.get('/timeline', async (req, res) => {
    const { asOf, scenarios } = await pageBasics(ctx, req);
    const f = parse(
      z
        .object({
          from: isoDate.optional().or(blank),
          to: isoDate.optional().or(blank),
          step: z.enum(['month', 'quarter']).default('quarter'),
          overlay: z.enum(['1', 'on']).optional().or(blank),
        })
        .passthrough(),
      req.query,
    );
    // with the overlay in a scenario, the baseline underneath it (the scenario's lines dashed)
    const figures = await periodAnalysis(
      ctx.heavy.timelinePage(req.user, {
        from: f.from,
        to: f.to,
        step: f.step,
        scenarioId: asOf.scenarioId,
        overlay: Boolean(f.overlay),
      }),
    );
    // too long a period (or its end before its start): the form again, with what would fit
    if ('refused' in figures)
      return void res.status(figures.refused.status).render('pages/timeline', timelineRefused(res, f, asOf, scenarios, figures.refused));
    const { from, to, tl, base } = figures;
    const pct = (needed: number[], cap: number[]) => needed.map((n, i) => (cap[i] > 0 ? Math.round((n / cap[i]) * 1000) / 10 : null));
    // people in a site without capacity: over, not gone (drawn as ▲ at the top of the chart)
    const zero = (needed: number[], cap: number[]) => needed.map((n, i) => (cap[i] === 0 && n > 0 ? i : -1)).filter((i) => i >= 0);
    const sitesUsed = tl.sites.filter((s, i) => s.headcount.some((h) => h > 0) || Boolean(base?.sites[i].headcount.some((h) => h > 0)));
    // a cell whose capacity or headcount rests on an estimate carries ≈ in the table
    const est = (s: { capacity_estimated: boolean[]; headcount_estimated: boolean[] }) => s.capacity_estimated.map((c, k) => c || s.headcount_estimated[k]);
    const series = <T extends { name: string; needed: number[]; capacity: number[]; capacity_estimated: boolean[]; headcount_estimated: boolean[] }>(
      rows: T[],
      baseRows: T[] | null,
    ) =>
      rows.flatMap((s, i) => {
        const own = { label: s.name, data: pct(s.needed, s.capacity), est: est(s), zero: zero(s.needed, s.capacity), color: i, dashed: Boolean(baseRows) };
        if (!baseRows) return [own];
        const b = baseRows[i];
        return [
          {
            label: `${s.name} (${res.locals.t('timeline.baseline_suffix')})`,
            data: pct(b.needed, b.capacity),
            est: est(b),
            zero: zero(b.needed, b.capacity),
            color: i,
            dashed: false,
          },
          own,
        ];
      });
    // a chart of 2,000 lines says nothing (and its table was 100,000 cells): the sites most over their capacity, all in the table below
    // (with the baseline underneath: a site over its capacity in either counts)
    const baseOf = new Map((base?.sites ?? []).map((s) => [s.id, s]));
    const charted = mostUtilized(sitesUsed, SITE_LINES_MAX, (s) => baseOf.get(s.id));
    const firstOver = firstOverOf(sitesUsed, tl.dates);
    const fd = res.locals.fmtDate as (d: string) => string;
    res.render('pages/timeline', {
      title: res.locals.t('timeline.title'),
      asOf,
      scenarios,
      from,
      to,
      step: f.step,
      firstOver,
      // the chart's sites when it shows only some of them
      sitesCharted: charted.length < sitesUsed.length ? { n: charted.length, total: sitesUsed.length } : null,
      overlay: Boolean(base),
      periodError: null,
      districtChart: { dates: tl.dates.map(fd), series: series(tl.districts, base?.districts ?? null), yLabel: '%', fullLabel: res.locals.t('chart.full') },
      siteChart: {
        dates: tl.dates.map(fd),
        series: series(charted, base ? charted.map((s) => baseOf.get(s.id) ?? s) : null),
        yLabel: '%',
        fullLabel: res.locals.t('chart.full'),
      },
    });
  });
}

/** At most this many sites are drawn in the timeline's site chart (and its table). */
const SITE_LINES_MAX = 25;

/** The `max` sites whose workplaces needed come nearest to (or furthest beyond) their capacity in the period, in their order. */
function mostUtilized<T extends { needed: number[]; capacity: number[] }>(sites: T[], max: number, alsoOf: (s: T) => T | undefined = () => undefined): T[] {
  if (sites.length <= max) return sites;
  const peakOf = (s: T) => s.needed.reduce((m, n, k) => Math.max(m, s.capacity[k] > 0 ? n / s.capacity[k] : n > 0 ? Infinity : 0), 0);
  const peak = (s: T) => {
    const other = alsoOf(s);
    return Math.max(peakOf(s), other ? peakOf(other) : 0);
  };
  const keep = new Set(
    sites
      .map((s, i) => ({ i, p: peak(s) }))
      .sort((a, b) => b.p - a.p || a.i - b.i)
      .slice(0, max)
      .map((x) => x.i),
  );
  return sites.filter((_s, i) => keep.has(i));
}

/** Per site, the first date its workplaces needed exceed its capacity, with the figures then and whether they (and so the date) rest on estimates. */
function firstOverOf(sites: Timeline['sites'], dates: string[]) {
  return sites.map((s) => {
    const i = s.needed.findIndex((n, k) => n > s.capacity[k]);
    return {
      id: s.id,
      name: s.name,
      date: i >= 0 ? dates[i] : null,
      // over on the period's first day: perhaps since before it, not "first" then
      at_start: i === 0,
      needed: i >= 0 ? s.needed[i] : null,
      capacity: i >= 0 ? s.capacity[i] : null,
      needed_estimated: i >= 0 && s.headcount_estimated[i],
      capacity_estimated: i >= 0 && s.capacity_estimated[i],
      // the first date over capacity is no firmer than the figures that put it there
      date_estimated: i >= 0 && (s.headcount_estimated[i] || s.capacity_estimated[i]),
    };
  });
}

/** The timeline page's locals when its period was refused: the form as asked, the message beside it. */
function timelineRefused(
  res: Response,
  f: { from?: string; to?: string; step: string; overlay?: string },
  asOf: AsOf,
  scenarios: Scenario[],
  refused: { message: string },
) {
  const t = textOf(res);
  return {
    title: t('timeline.title'),
    asOf,
    scenarios,
    from: f.from ?? '',
    to: f.to ?? '',
    step: f.step,
    overlay: Boolean(f.overlay),
    periodError: t(keyAt(refused.message)),
  };
}

/** `/report`: the council paper (Drucksache) for the date and scenario. */
function councilReportPage(r: Router, ctx: AppContext): void {
  r.get('/report', async (req, res) => {
    const { asOf, scenarios } = await pageBasics(ctx, req);
    // the Drucksache's own fields: typed by the planner (defaults from the data), shown only as text
    const f = parse(
      z
        .object({
          drucksache: z.string().trim().max(40).optional(),
          betreff: z.string().trim().max(300).optional(),
          antrag: z.string().trim().max(2000).optional(),
          sachbearbeitung: z.string().trim().max(120).optional(),
          datum: isoDate.optional().or(blank),
          geschaeftszeichen: z.string().trim().max(120).optional(),
          beschlussorgan: z.string().trim().max(120).optional(),
          sitzung: isoDate.optional().or(blank),
          behandlung: z.string().trim().max(60).optional(),
        })
        .passthrough(),
      req.query,
    );
    const scenario = asOf.scenarioId ? (scenarios.find((x) => x.id === asOf.scenarioId) ?? null) : null;
    const { report, sites, districts } = await ctx.heavy.councilReport(req.user, asOf.date, scenario, scenarios);
    const state = report.state;
    const siteById = new Map(sites.map((x) => [x.id, presentSite(x, res.locals.lang)]));
    const grouped = new Map<string, Warning[]>();
    for (const w of state.warnings) grouped.set(w.code, [...(grouped.get(w.code) ?? []), w]);
    // in a scenario: what differs from the baseline over the plan, and which baseline records it changes
    // (over a period too long for the work budget: 422 and, in their place, what would fit)
    const compared = asOf.scenarioId !== null ? await periodAnalysis(ctx.heavy.scenarioDifferences(req.user, asOf.scenarioId)) : null;
    const refused = compared && 'refused' in compared ? compared.refused : null;
    const differences = compared && !('refused' in compared) ? compared : null;
    // the box "Finanzielle Auswirkungen" (SPEC section 15): over the plan's period in a scenario
    const period = asOf.scenarioId === null ? await ctx.services.planning.period() : await ctx.services.planning.scenarioPeriod(asOf.scenarioId);
    const finance = await ctx.services.costs.financeBox(asOf.date, asOf.scenarioId, period);
    const t = textOf(res);
    const fd = res.locals.fmtDate as (d: string) => string;
    // the frame: what the planner typed, else the data's (GD 096/21 for Ulm), else blank
    const frame = (key: keyof typeof f & string) => (f[key] as string | undefined) || report.frame[key]?.value || '';
    res.status(refused?.status ?? 200).render('pages/report', {
      title: t('report.title'),
      asOf,
      scenarios,
      scenario,
      report,
      grouped,
      frame: {
        sachbearbeitung: frame('sachbearbeitung'),
        datum: frame('datum') || ctx.today(),
        geschaeftszeichen: frame('geschaeftszeichen'),
        beschlussorgan: frame('beschlussorgan'),
        sitzung: frame('sitzung'),
        behandlung: frame('behandlung') || t('report.public'),
        unterzeichnung: report.frame.unterzeichnung?.value ?? '',
        mitzeichnung: report.frame.mitzeichnung?.value ?? '',
      },
      differences,
      finance,
      periodError: refused ? t(keyAt(refused.message)) : null,
      drucksache: frame('drucksache'),
      betreff: f.betreff || report.frame.betreff?.value || t('report.default_subject', { date: fd(asOf.date) }),
      antrag: frame('antrag') || DEFAULT_ANTRAG,
      svg: overviewSvg(
        districts,
        state.sites.filter((x) => x.headcount > 0 || x.available),
        siteById,
        ctx.config.planning.nearCapacityThreshold,
        t('report.overview_label', { sites: state.sites.filter((x) => x.headcount > 0 || x.available).length, districts: districts.length }),
      ),
      generated: ctx.today(),
    });
  });
}

/** `/accessibility`: the public-facing services and their sites' accessibility, for the inclusion officer. */
function accessibilityPage(r: Router, ctx: AppContext): void {
  r.get('/accessibility', async (req, res) => {
    const { asOf, scenarios } = await pageBasics(ctx, req);
    const t = textOf(res);
    const report = await ctx.services.planning.accessibility(asOf.date, asOf.scenarioId, res.locals.lang);
    res.render('pages/accessibility', { title: t('access.title'), asOf, scenarios, report });
  });
}
