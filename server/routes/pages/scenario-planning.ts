/**
 * The scenario page as a planning instrument: the period comparison leads ("what changes, where and
 * for how long"), the scenario's changes of baseline records with "zurücksetzen", the shift of a
 * project, confirmations before adopt and delete, and the forms that change a baseline move or
 * event in this scenario only.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError, notFound } from '../../errors.js';
import type { Move, SiteEvent } from '../../repositories/index.js';
import { currentUser } from '../../auth/guards.js';
import { siteOfFloors } from '../../services/moves.js';
import { periodSummary } from '../../services/period-summary.js';
import type { WarningWindow } from '../../planning/compare.js';
import { floorsOfOtherSites } from '../../planning/selection.js';
import type { AnnualComparison } from '../../planning/costs.js';
import type { OverrideService } from '../../services/scenario-overrides.js';
import type { ScenarioService } from '../../services/scenarios.js';
import { id, isoDate, parse, pathId, pathParams } from '../validate.js';
import { coerceForm, flash, formErrors, flashRefused, refusedForm, textOf, type FailedForm } from './forms.js';
import { periodAnalysis } from './as-of.js';
import type { TextKey } from '../../i18n/index.js';

const blank = z.literal('').transform(() => undefined);

/** A local path to go back to after a form (never another origin). */
function backTo(raw: unknown, fallback: string): string {
  return typeof raw === 'string' && /^\/(?!\/)[^\\]*$/.test(raw) ? raw : fallback;
}

export function scenarioPlanningPages(ctx: AppContext): Router {
  const { scenarios, overrides } = ctx.services;
  return Router().use(scenarioShowPage(ctx), scenarioActionPages(ctx, scenarios, overrides), overrideFormPages(ctx, overrides));
}

/** The scenario page: the period comparison first, then the changes of baseline records, the shift, the comparison at a date. */
function scenarioShowPage(ctx: AppContext): Router {
  const r = Router();
  r.get('/scenarios/:id', (req, res) => renderScenarioPage(ctx, req, res, null));
  return r;
}

/** The scenario page at the date and period its address asks for; after a refused shift, with that form as typed and its messages. */
async function renderScenarioPage(ctx: AppContext, req: Request, res: Response, shiftFailed: (FailedForm & { status: number }) | null): Promise<void> {
  const { scenarios, overrides } = ctx.services;
  const sid = pathId(req.params);
  const q = parse(
    z.object({ date: isoDate.optional().or(blank), from: isoDate.optional().or(blank), to: isoDate.optional().or(blank) }).passthrough(),
    req.query,
  );
  const period = await ctx.services.planning.scenarioPeriod(sid);
  const from = q.from ?? period.from;
  // an end asked before the start is refused next to the period form (not quietly replaced)
  const to = q.to ?? (period.to >= from ? period.to : from);
  const date = q.date ?? ctx.today();
  const [cmp, compared, list, moves, events, sites, units, projects, anyLease, annual, teams, floorsOf] = await Promise.all([
    scenarios.compare(sid, date),
    periodAnalysis(ctx.heavy.comparePeriod(req.user, sid, from, to, 'month')),
    overrides.listFirst(sid, LIST_SHOWN),
    // the first of its moves (a scenario may hold 10,000) and how many in all
    ctx.services.moves.page({ scenario_id: sid }, LIST_SHOWN, 0),
    ctx.services.sites.eventsWhere({ scenario_id: sid }),
    ctx.services.sites.all(),
    ctx.services.organisation.units(),
    // the projects a shift can move: those with moves or events
    ctx.services.projects.listWithCounts().then((list) => list.filter((p) => p.moves + p.events > 0)),
    ctx.services.costs.anyLease(),
    ctx.services.costs.annualAt(sid, date),
    ctx.services.organisation.teams(),
    ctx.services.moves.floorChoices(),
  ]);
  // the costs over the same period: a period analysis of its own, after the other (at most two per user at once)
  const costs = await periodAnalysis(ctx.heavy.compareCosts(req.user, sid, from, to));
  // a period too long for the work budget: the page with its period form and what would fit
  const refused = 'refused' in compared ? compared.refused : null;
  const pcmp = 'refused' in compared ? { sites: [], teams: [], warnings_added: [], warnings_removed: [] } : compared;
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const stale = new Map(cmp.baseline_changed.overrides.map((o) => [o.override_id, o.changed_at]));
  const siteName = new Map(pcmp.sites.map((s) => [s.id, s.name]));
  const teamName = new Map([...teams.map((tm) => [tm.id, tm.name] as const), ...pcmp.teams.map((tm) => [tm.id, tm.name] as const)]);
  // a unit's warning names the unit and its team (several units share a name: "Sozialer Dienst")
  const unitOf = new Map(units.map((u) => [u.id, u]));
  const unitWithTeam = (uid: number) => {
    const u = unitOf.get(uid);
    return u ? `${u.name} (${teamName.get(u.team_id) ?? ''})` : String(uid);
  };
  const t = textOf(res);
  const windowSubject = (w: WarningWindow): string => {
    const site = w.site_id !== undefined ? (siteName.get(w.site_id) ?? siteNames.get(w.site_id) ?? '') : '';
    if (w.unit_id !== undefined) return site ? t('compare.unit_at_site', { unit: unitWithTeam(w.unit_id), site }) : unitWithTeam(w.unit_id);
    return site || (w.team_id !== undefined ? (teamName.get(w.team_id) ?? '') : '');
  };
  res.status(shiftFailed?.status ?? refused?.status ?? 200).render('pages/scenarios/show', {
    title: cmp.scenario.name,
    shiftFailed,
    cmp,
    pcmp,
    periodError: refused ? res.locals.t(refused.message) : null,
    summary: 'refused' in compared ? [] : periodSummary(compared),
    from,
    to,
    overrides: list.overrides,
    overridesMore: list.total - list.overrides.length,
    stale,
    projects,
    moves: moves.moves,
    movesMore: moves.total - moves.moves.length,
    events,
    siteNames,
    floorNames: floorNamesOf(floorsOf),
    date: cmp.date,
    changedSites: pcmp.sites.filter((s) => s.baseline.months_over !== s.scenario.months_over || s.baseline.peak_utilization !== s.scenario.peak_utilization),
    changedTeams: pcmp.teams.filter((tm) => tm.baseline.months_split !== tm.scenario.months_split),
    windowSubject,
    unitLabel: (uid: number) => unitName.get(uid) ?? String(uid),
    qs: `?date=${cmp.date}&scenario_id=${sid}`,
    costs: 'refused' in costs ? null : costs,
    anyLease,
    annual: annualBy(annual, sites),
  });
}

/** An annual cost comparison's side sums: null when a site of it has people but no lease (unknown, not 0 €). */
interface AnnualSums {
  baseline_eur: number | null;
  scenario_eur: number | null;
  difference_eur: number | null;
}

/** The annual costs at the date for the comparison table: by site, and summed by district (the district rows). */
function annualBy(annual: AnnualComparison, sites: readonly { id: number; district_id: number | null }[]) {
  const districtOf = new Map(sites.map((s) => [s.id, s.district_id]));
  const byDistrict = new Map<number, AnnualSums>();
  const add = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((a + b) * 100) / 100);
  for (const s of annual.by_site) {
    const d = districtOf.get(s.site_id);
    if (d === null || d === undefined) continue;
    const sum = byDistrict.get(d) ?? { baseline_eur: 0, scenario_eur: 0, difference_eur: 0 };
    sum.baseline_eur = add(sum.baseline_eur, s.baseline_eur);
    sum.scenario_eur = add(sum.scenario_eur, s.scenario_eur);
    sum.difference_eur = add(sum.difference_eur, s.difference_eur);
    byDistrict.set(d, sum);
  }
  const zero: AnnualSums = { baseline_eur: 0, scenario_eur: 0, difference_eur: 0 };
  const bySite = new Map(annual.by_site.map((s) => [s.site_id, s]));
  return {
    ...annual,
    site: (id: number): AnnualSums => bySite.get(id) ?? zero,
    district: (id: number): AnnualSums => byDistrict.get(id) ?? zero,
  };
}

/**
 * How many of each kind the scenario page and the adoption's confirmation list (a scenario may hold
 * tens of thousands of moves: the moves list shows them all, page by page, changed ones marked).
 */
const LIST_SHOWN = 100;

/** What an adoption writes, one by one: the scenario's own moves (not the cancelled) and events, and its changes of baseline records. */
async function adoptedContents(
  ctx: AppContext,
  overrides: OverrideService,
  s: { id: number; moves: Move[]; events: SiteEvent[]; cmp: Awaited<ReturnType<ScenarioService['compare']>> },
) {
  // the stale ones first: among the hundred shown, they are flagged
  const stale = new Map(s.cmp.baseline_changed.overrides.map((o) => [o.override_id, o.changed_at]));
  const [listed, sites, units, floorsOf] = await Promise.all([
    overrides.listFirst(s.id, LIST_SHOWN, new Set(stale.keys())),
    ctx.services.sites.all(),
    ctx.services.organisation.units(),
    ctx.services.moves.floorChoices(),
  ]);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const moves = s.moves.filter((m) => m.status !== 'cancelled');
  return {
    // a scenario may hold thousands: the first of each list, and how many more (the scenario's lists show all)
    moves: moves.slice(0, LIST_SHOWN),
    movesMore: Math.max(0, moves.length - LIST_SHOWN),
    events: s.events.slice(0, LIST_SHOWN),
    eventsMore: Math.max(0, s.events.length - LIST_SHOWN),
    overrides: listed.overrides,
    overridesMore: listed.total - listed.overrides.length,
    stale,
    siteNames: new Map(sites.map((x) => [x.id, x.name])),
    floorNames: floorNamesOf(floorsOf),
    unitLabel: (uid: number) => unitName.get(uid) ?? String(uid),
  };
}

/** Confirmations that say what will happen (adopt, delete) and the shift of a project. */
function scenarioActionPages(ctx: AppContext, scenarios: ScenarioService, overrides: OverrideService): Router {
  const r = Router();
  const confirmPage = async (req: Request, res: Response, kind: 'adopt' | 'delete') => {
    const s = await scenarios.forChange(req.user, pathId(req.params));
    const t = textOf(res);
    const count = (k: 'moves' | 'changes' | 'events', n: number) => t(`count.${k}`, { n });
    const [moves, events, changes] = await Promise.all([
      ctx.services.moves.find({ scenario_id: s.id }),
      ctx.services.sites.eventsWhere({ scenario_id: s.id }),
      overrides.counts(s.id),
    ]);
    const live = moves.filter((m) => m.status !== 'cancelled').length;
    const nChanges = changes.moves + changes.events;
    if (kind === 'adopt') {
      const proposed = moves.filter((m) => m.status === 'proposed').length;
      const details = [
        ...(events.length ? [t('scenario.adopt_detail_events', { events: count('events', events.length) })] : []),
        // adopting approves the scenario's proposed moves (see ScenarioService.adopt)
        ...(proposed ? [t('scenario.adopt_detail_approved', { moves: count('moves', proposed) })] : []),
        t('scenario.adopt_detail_after', { name: s.name }),
      ];
      const cmp = await scenarios.compare(s.id, ctx.today());
      res.render('pages/scenarios/confirm', {
        title: t('scenario.adopt_title'),
        scenario: s,
        action: `/scenarios/${s.id}/adopt`,
        danger: false,
        button: t('scenario.adopt_confirm'),
        text: t('scenario.adopt_text', { moves: count('moves', live), changes: count('changes', nChanges) }),
        details,
        // what will be written, one by one: the scenario's own moves and events, and its changes of baseline records
        contents: await adoptedContents(ctx, overrides, { id: s.id, moves, events, cmp }),
        warning:
          cmp.baseline_changed.count || cmp.baseline_changed.overrides.length
            ? t('scenario.baseline_changed', {
                n: cmp.baseline_changed.count + cmp.baseline_changed.overrides.length,
                date: res.locals.fmtDate(cmp.baseline_changed.since),
              })
            : null,
      });
    } else {
      res.render('pages/scenarios/confirm', {
        title: t('scenario.delete_title'),
        scenario: s,
        action: `/scenarios/${s.id}/delete`,
        danger: true,
        button: t('scenario.delete_confirm'),
        text: t('scenario.delete_text', {
          name: s.name,
          moves: count('moves', moves.length),
          events: count('events', events.length),
          changes: count('changes', nChanges),
        }),
        details: [],
        contents: null,
        warning: null,
      });
    }
  };
  r.get('/scenarios/:id/adopt', (req, res) => confirmPage(req, res, 'adopt'));
  r.get('/scenarios/:id/delete', (req, res) => confirmPage(req, res, 'delete'));

  r.post('/scenarios/:id/shift', async (req, res) => {
    const user = currentUser(req);
    const s = await scenarios.forChange(user, pathId(req.params));
    try {
      const f = coerceForm(req.body, { project_id: 'int', amount: 'int', unit: 'string' }, { omitEmpty: true, lang: res.locals.lang });
      await overrides.shift(user, s.id, { project_id: f.project_id, [f.unit === 'days' ? 'days' : 'months']: f.amount });
      flash(req, 'flash.shifted');
      res.redirect(303, `/scenarios/${s.id}#summary`);
    } catch (err) {
      // the scenario page again, the shift form as typed, each message next to its field (the offset is
      // `months` or `days` to the service, the form's `amount`)
      await renderScenarioPage(ctx, req, res, refusedForm(req, res, amountError(err), 'shift', SHIFT_SHOWN, shiftLabel));
    }
  });

  return r;
}

/** Change a baseline move or event in one scenario only, or reset it there. */
function overrideFormPages(ctx: AppContext, overrides: OverrideService): Router {
  const r = Router();
  const kinds = {
    moves: {
      kind: 'move' as const,
      fields: { date: 'date', until: 'date', headcount: 'int', from_site_id: 'int', to_site_id: 'int', from_floor_id: 'int', to_floor_id: 'int' } as const,
    },
    events: { kind: 'event' as const, fields: { date: 'date', end_date: 'date', capacity: 'int' } as const },
  };
  const load = overrideLoader(ctx, overrides);
  const renderForm = overrideFormRenderer(ctx, overrides, load);

  r.get('/scenarios/:id/overrides/:kind/:target', (req, res) => renderForm(req, res, {}));
  r.post('/scenarios/:id/overrides/:kind/:target', async (req, res) => {
    const { user, p, s, record } = await load(req);
    const spec = kinds[p.kind];
    const values = coerceForm(req.body, spec.fields, { lang: res.locals.lang });
    // only what differs from the baseline record becomes the override
    const changes: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) if (v !== (record as unknown as Record<string, unknown>)[k]) changes[k] = v;
    // a floor left chosen beside a site that changed is sent too: it is judged against the new site
    for (const end of ['from', 'to'] as const)
      if (`${end}_site_id` in changes && values[`${end}_floor_id`] != null) changes[`${end}_floor_id`] = values[`${end}_floor_id`];
    if (req.body.cancelled === '1' || req.body.cancelled === 'on') changes.cancelled = true;
    if (req.body.version) changes.version = Number(req.body.version);
    try {
      if (p.kind === 'moves') await overrides.putMove(user, s.id, p.target, changes);
      else await overrides.putEvent(user, s.id, p.target, changes);
      flash(req, 'flash.saved');
      const fallback =
        p.kind === 'moves'
          ? `/moves?scenario_id=${s.id}&highlight=${p.target}#move-${p.target}`
          : `/sites/${(record as SiteEvent).site_id}?scenario_id=${s.id}#events`;
      res.redirect(303, backTo(req.body.back, fallback));
    } catch (err) {
      const e = formErrors(err, res);
      await renderForm(req, res, { values: { ...req.body, cancelled: Boolean(changes.cancelled) }, errors: e.fields, message: e.message, status: e.status });
    }
  });
  r.post('/scenarios/:id/overrides/:kind/:target/reset', async (req, res) => {
    const { user, p, s, record } = await load(req);
    try {
      await overrides.remove(user, s.id, kinds[p.kind].kind, p.target, Number(req.body.version) || undefined);
      flash(req, 'flash.reset');
    } catch (err) {
      const e = formErrors(err, res);
      flashRefused(req, e.message ?? '');
    }
    const fallback =
      p.kind === 'moves'
        ? `/moves?scenario_id=${s.id}&highlight=${p.target}#move-${p.target}`
        : `/sites/${(record as SiteEvent | (Move & { site_id?: number })).site_id}?scenario_id=${s.id}#events`;
    res.redirect(303, backTo(req.body.back, fallback));
  });
  return r;
}

/** The floor fields of a move that name a floor of another site than the one at that end, with the message. */
function floorsOfOtherSitesSaid(m: Move, floorsOf: { site: { id: number }; floors: { id: number }[] }[], message: string): Record<string, string> {
  return Object.fromEntries(floorsOfOtherSites(m, siteOfFloors(floorsOf)).map((field) => [field, message]));
}

/** "Site: floor" by floor id, for the floors a move may name. */
function floorNamesOf(floorsOf: { site: { name: string }; floors: { id: number; name: string }[] }[]): Map<number, string> {
  return new Map(floorsOf.flatMap((g) => g.floors.map((f) => [f.id, `${f.name} – ${g.site.name}`] as const)));
}

const overrideParams = z.object({ id, kind: z.enum(['moves', 'events']), target: id });

/** The scenario, the baseline record and its override (if any) that an override form's URL names; planners only. */
function overrideLoader(ctx: AppContext, overrides: OverrideService) {
  return async (req: Request) => {
    const user = currentUser(req);
    const p = pathParams(overrideParams, req.params);
    const s = await ctx.services.scenarios.forChange(user, p.id);
    const record = p.kind === 'moves' ? await ctx.services.moves.get(p.target) : await ctx.services.sites.event(p.target);
    if (!record || record.scenario_id !== null) throw notFound(p.kind === 'moves' ? 'move' : 'site event');
    const existing = (await overrides.list(s.id)).find((o) => (p.kind === 'moves' ? o.move_id : o.event_id) === p.target) ?? null;
    return { user, p, s, record, existing };
  };
}

/** The override form: each field with the baseline's value beside it. */
function overrideFormRenderer(ctx: AppContext, overrides: OverrideService, load: ReturnType<typeof overrideLoader>) {
  return async (
    req: Request,
    res: Response,
    o: { values?: Record<string, unknown>; errors?: Record<string, string>; message?: string | null; status?: number },
  ) => {
    const { p, s, record, existing } = await load(req);
    const t = textOf(res);
    const fmtDate = res.locals.fmtDate as (d: string | null) => string;
    const sites = [...(await ctx.services.sites.all())].sort((a, b) => a.name.localeCompare(b.name));
    const siteName = (sid: number | null) => (sid === null ? '–' : (sites.find((x) => x.id === sid)?.name ?? String(sid)));
    const siteOpts = [{ value: '', label: '–' }, ...sites.map((x) => ({ value: x.id, label: x.name }))];
    const floorsOf = p.kind === 'moves' ? await ctx.services.moves.floorChoices() : [];
    const floorName = floorNamesOf(floorsOf);
    // a floor is chosen among the floors of each site that has floors
    const floorField = (name: 'from_floor_id' | 'to_floor_id', label: string) => ({
      name,
      label,
      type: 'select',
      options: [{ value: '', label: t('move.floor_none') }],
      // the floors of the site chosen beside it are offered (page.js narrows the list as the site changes)
      floorsOf: name.replace('floor', 'site'),
      groups: floorsOf.map((g) => ({
        label: g.site.name,
        siteId: g.site.id,
        options: g.floors.map((f) => ({ value: f.id, label: floorName.get(f.id) })),
      })),
      baseline: floorName.get(rec[name] as number) ?? '–',
    });
    const rec = record as unknown as Record<string, unknown>;
    // the record as it counts in the scenario (a move sent to another site names no floor of the old one)
    const effective = p.kind === 'moves' ? overrides.inScenario(record as Move, existing?.changes ?? {}) : { ...rec, ...(existing?.changes ?? {}) };
    const fields =
      p.kind === 'moves'
        ? [
            { name: 'date', label: t('move.date'), type: 'date', baseline: fmtDate(rec.date as string) },
            { name: 'until', label: t('move.until'), type: 'date', baseline: fmtDate(rec.until as string | null) },
            { name: 'headcount', label: t('move.headcount'), type: 'number', baseline: String(rec.headcount) },
            { name: 'from_site_id', label: t('move.from'), type: 'select', options: siteOpts, baseline: siteName(rec.from_site_id as number | null) },
            { name: 'to_site_id', label: t('move.to'), type: 'select', options: siteOpts, baseline: siteName(rec.to_site_id as number | null) },
            ...(floorsOf.length ? [floorField('from_floor_id', t('stack.from_floor')), floorField('to_floor_id', t('stack.to_floor'))] : []),
          ]
        : [
            { name: 'date', label: t('form.field.date'), type: 'date', baseline: fmtDate(rec.date as string) },
            { name: 'end_date', label: t('form.field.end_date'), type: 'date', baseline: fmtDate(rec.end_date as string | null) },
            { name: 'capacity', label: t('form.field.capacity'), type: 'number', baseline: rec.capacity === null ? '–' : String(rec.capacity) },
          ];
    const fallback =
      p.kind === 'moves'
        ? `/moves?scenario_id=${s.id}&highlight=${p.target}#move-${p.target}`
        : `/sites/${(record as SiteEvent).site_id}?scenario_id=${s.id}#events`;
    res.status(o.status ?? 200).render('pages/scenarios/override-form', {
      title: t(p.kind === 'moves' ? 'override.title_move' : 'override.title_event'),
      scenario: s,
      override: existing,
      fields,
      values: o.values ?? effective,
      // a floor the scenario names that is no longer one of its site's (the move changed since) is said next to it
      errors: o.errors ?? (p.kind === 'moves' ? floorsOfOtherSitesSaid(effective as Move, floorsOf, t('validation.floor_of_other_site')) : {}),
      message: o.message ?? null,
      back: backTo(req.body?.back ?? req.query.back, fallback),
      resetAction: `/scenarios/${s.id}/overrides/${p.kind}/${p.target}/reset`,
    });
  };
}

const SHIFT_SHOWN = ['project_id', 'amount', 'unit'];

/**
 * A shift's refusal as the form names its fields: the offset (months or days) is its `amount`. A rule
 * the shifted records would break (a date beyond 2199, a return before its move) is said above the
 * form in its own words, not as a fault of the number.
 */
function amountError(err: unknown): unknown {
  if (!(err instanceof AppError) || !err.fields) return err;
  const { months, days, project_id, ...rest } = err.fields;
  const keep: Record<string, string> = project_id ? { project_id } : {};
  // a broken rule names fields of the records it checked (a move's headcount): its own words, above the form
  if (err.code !== 'VALIDATION_FAILED') return new AppError(err.status, err.code, err.message, keep, err.extra);
  const offset = months ?? days;
  return new AppError(err.status, err.code, err.message, { ...rest, ...keep, ...(offset ? { amount: offset } : {}) }, err.extra);
}

const SHIFT_LABELS: Record<string, TextKey> = { project_id: 'shift.field.project_id', amount: 'shift.field.amount', unit: 'shift.field.unit' };
/** The label of a field of the shift form (a field it does not show is named as the form names the shift). */
const shiftLabel = (k: string): TextKey => SHIFT_LABELS[k] ?? 'shift.title';
