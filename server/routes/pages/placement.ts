import { Router, type Request, type Response } from 'express';
import { currentUser } from '../../auth/guards.js';
import { validation, zodFields } from '../../errors.js';
import { langOf, type Lang } from '../../i18n/index.js';
import { WEIGHT_NAMES } from '../../planning/placement-model.js';
import { PlacementApply, PlacementQuery } from '../../schemas.js';
import type { AppContext } from '../../context.js';
import { withTexts } from '../../services/placement-text.js';
import { coerceForm, flash, formErrors, type FieldType } from './forms.js';

const FORM: Record<string, FieldType> = {
  date: 'date',
  until: 'date',
  scenario_id: 'int',
  team_ids: 'ids',
  unit_ids: 'ids',
  exclude_site_ids: 'ids',
  exclude_from: 'date',
  candidates: 'bool',
  keep_units_whole: 'bool',
  max_sites_per_team: 'int',
  relax_step_free: 'bool',
  within_district: 'bool',
  time_limit_s: 'number',
  ...Object.fromEntries(WEIGHT_NAMES.map((w) => [`w_${w}`, 'number' as FieldType])),
};

/** The form's fields as the API's question (weights w_* → weights{}). */
function questionOf(query: Record<string, unknown>, lang: Lang) {
  const form = coerceForm(query, FORM, { omitEmpty: true, lang });
  const weights: Record<string, unknown> = {};
  for (const w of WEIGHT_NAMES) {
    if (form[`w_${w}`] !== undefined) weights[w] = form[`w_${w}`];
    delete form[`w_${w}`];
  }
  return { ...form, ...(Object.keys(weights).length ? { weights } : {}) };
}

/** /placement: the question as a GET form (a link shows the same proposals), proposals below; apply one as a scenario. */
export function placementPages(ctx: AppContext): Router {
  const r = Router();
  const { placement } = ctx.services;
  const render = placementRenderer(ctx);
  const freeName = async (name: string) => {
    const taken = new Set((await ctx.services.scenarios.list()).map((s) => s.name));
    let n = 2;
    let candidate = name;
    while (taken.has(candidate)) candidate = `${name} (${n++})`;
    return candidate;
  };

  r.get('/placement', async (req, res) => {
    // the service's word first: a viewer is refused before any question is queued for the worker pool
    placement.mayAsk(req.user);
    await render(req, res, req.query as Record<string, unknown>);
  });

  r.post('/placement/apply', async (req, res) => {
    const user = placement.mayAsk(req.user);
    const b = req.body as Record<string, unknown>;
    const index = Number(b.index ?? -1);
    let proposal: Record<string, unknown> = {};
    try {
      proposal = JSON.parse(String(b.proposal ?? '{}')) as Record<string, unknown>;
    } catch {
      /* the schema names what is missing */
    }
    try {
      // the offered name, applied again, becomes "… (2)": only a name the planner typed can collide
      let name = b.scenario_name;
      if (typeof name === 'string' && name.trim() === b.default_name) name = await freeName(name.trim());
      const parsed = PlacementApply.safeParse({ ...proposal, scenario_name: name });
      if (!parsed.success) throw validation(zodFields(parsed.error));
      const out = await placement.apply(user, parsed.data);
      flash(req, 'placement.applied');
      res.redirect(303, `/scenarios/${out.scenario.id}?date=${parsed.data.date}`);
    } catch (err) {
      const e = formErrors(err, res);
      // show the same proposals again, with the message next to the name field
      const back = typeof b.back === 'string' ? b.back : '';
      const params = new URLSearchParams(back);
      const query: Record<string, unknown> = Object.fromEntries(params);
      for (const k of ['team_ids', 'unit_ids']) {
        const all = params.getAll(k);
        if (all.length) query[k] = all;
      }
      await render(req, res, query, {
        status: e.status,
        applyErrors: { scenario_name: e.fields.scenario_name ?? e.fields.moves ?? e.message ?? '' },
        applyMessage: e.message,
        applyIndex: index,
        scenarioName: String(b.scenario_name ?? ''),
      });
    }
  });
  return r;
}

type PlacementRenderOptions = {
  status?: number;
  applyErrors?: Record<string, string>;
  applyMessage?: string | null;
  applyIndex?: number;
  scenarioName?: string;
};

/** Renders the placement page: the question's form and, once asked, the proposals (or what is wrong with the question). */
function placementRenderer(ctx: AppContext) {
  const { organisation, scenarios: scenarioService } = ctx.services;
  const today = ctx.today;
  const mapConfig = { tileUrl: ctx.config.tileUrl, tileAttribution: ctx.config.tileAttribution };
  return async (req: Request, res: Response, query: Record<string, unknown>, opts: PlacementRenderOptions = {}) => {
    const [teams, units, scenarios, allSites] = await Promise.all([
      organisation.teams(),
      organisation.units(),
      scenarioService.list(),
      ctx.services.sites.all(),
    ]);
    const asked = query.asked === '1';
    const values: Record<string, unknown> = asked ? { ...query } : { date: today(), candidates: '1', keep_units_whole: '1', time_limit_s: '5' };
    let errors: Record<string, string> = {};
    let message: string | null = null;
    let answer: ReturnType<typeof withTexts> | null = null;
    let status = opts.status ?? 200;
    if (asked) {
      const arrivedAt = Date.now();
      try {
        const parsed = PlacementQuery.safeParse(questionOf(query, res.locals.lang));
        if (!parsed.success) throw validation(zodFields(parsed.error));
        answer = withTexts(await ctx.heavy.propose(currentUser(req), parsed.data, arrivedAt), langOf(req));
      } catch (err) {
        const e = formErrors(err, res);
        errors = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k.replace(/^weights\./, 'w_'), v]));
        message = e.message;
        status = e.status;
      }
    }
    const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
    res.status(status).render('pages/placement', {
      title: res.locals.t('placement.title'),
      teams,
      units,
      scenarios,
      values,
      errors,
      message,
      chosenTeams: list(values.team_ids),
      chosenUnits: list(values.unit_ids),
      // the sites a what-if may take away: the buildings in use (not those on offer)
      sites: allSites.filter((s) => s.status !== 'candidate'),
      excluded: list(values.exclude_site_ids),
      excludedFrom: answer && values.exclude_from && String(values.exclude_from) > answer.date ? String(values.exclude_from) : (answer?.date ?? null),
      excludedNames: answer ? allSites.filter((s) => list(values.exclude_site_ids).includes(String(s.id))).map((s) => s.name) : [],
      weightNames: WEIGHT_NAMES,
      answer,
      back: new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]]))).toString(),
      applyErrors: opts.applyErrors ?? {},
      applyMessage: opts.applyMessage ?? null,
      applyIndex: opts.applyIndex ?? -1,
      scenarioName: opts.scenarioName ?? '',
      unitNames: new Map(units.map((u) => [u.id, u.name])),
      mapConfig,
    });
  };
}
