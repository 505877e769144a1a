import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../context.js';
import { forbidden } from '../../errors.js';
import { rateAccessibility } from '../../planning/accessibility.js';
import { addMonths } from '../../planning/dates.js';
import { canPlan, type Resources } from '../../services/resources.js';
import type { ScenarioService } from '../../services/scenarios.js';
import { idParams, parse } from '../validate.js';
import { coerceForm, flash, formErrors } from './forms.js';
import { currentUser } from '../../auth/guards.js';

export function scenarioPages(ctx: AppContext, resources: Resources, scenarios: ScenarioService): Router {
  const r = Router();

  r.get('/scenarios', async (_req, res) => {
    const list = await ctx.repos.scenarios.list();
    const counts = await Promise.all(list.map(async (s) => ({
      moves: Number((await ctx.db('moves').where({ scenario_id: s.id }).count({ n: '*' }).first())?.n ?? 0),
      events: Number((await ctx.db('site_events').where({ scenario_id: s.id }).count({ n: '*' }).first())?.n ?? 0),
      last: await scenarios.lastEdited(s),
    })));
    res.render('pages/scenarios/list', { title: res.locals.t('nav.scenarios'), list, counts, values: {}, errors: {}, message: null });
  });

  r.post('/scenarios', async (req, res) => {
    try {
      const s = await resources.createScenario(currentUser(req), coerceForm(req.body, { name: 'string', description: 'string' }, { omitEmpty: true }));
      flash(req, 'flash.saved');
      res.redirect(303, `/scenarios/${s.id}`);
    } catch (err) {
      const e = formErrors(err, res);
      const list = await ctx.repos.scenarios.list();
      res.status(e.status).render('pages/scenarios/list', { title: res.locals.t('nav.scenarios'), list, counts: list.map(() => ({ moves: 0, events: 0, last: '' })), values: req.body, errors: e.fields, message: e.message });
    }
  });

  const action = (name: 'duplicate' | 'adopt' | 'delete'): RequestHandler => async (req, res) => {
    if (!canPlan(req.user)) throw forbidden();
    const id = parse(idParams, req.params).id;
    try {
      if (name === 'duplicate') { const c = await scenarios.duplicate(currentUser(req), id); flash(req, 'flash.saved'); return res.redirect(303, `/scenarios/${c.id}`); }
      // adopt and delete happen only from their confirmation pages, which say what will happen
      if (req.body.confirmed !== '1') return res.redirect(303, `/scenarios/${id}/${name}`);
      if (name === 'adopt') { await scenarios.adopt(currentUser(req), id, Number(req.body.version) || undefined); flash(req, 'flash.adopted'); return res.redirect(303, '/scenarios'); }
      await resources.deleteScenario(currentUser(req), id, Number(req.body.version) || undefined);
      flash(req, 'flash.deleted');
      res.redirect(303, '/scenarios');
    } catch (err) {
      const e = formErrors(err, res);
      req.session.flash = `!${e.message}`;
      res.redirect(303, `/scenarios/${id}`);
    }
  };
  r.post('/scenarios/:id/edit', async (req, res) => {
    const id = parse(idParams, req.params).id;
    try {
      await resources.updateScenario(currentUser(req), id, { ...coerceForm(req.body, { name: 'string', description: 'string' }), version: Number(req.body.version) });
      flash(req, 'flash.saved');
    } catch (err) {
      const e = formErrors(err, res);
      req.session.flash = `!${[e.message, ...Object.values(e.fields)].join(' ')}`;
    }
    res.redirect(303, `/scenarios/${id}`);
  });
  r.post('/scenarios/:id/duplicate', action('duplicate'));
  r.post('/scenarios/:id/adopt', action('adopt'));
  r.post('/scenarios/:id/delete', action('delete'));

  // "my sites": a site_editor's checklist of what is missing or stale
  r.get('/my-sites', async (req, res) => {
    const user = currentUser(req);
    const all = await ctx.repos.sites.list();
    const mine = user.role === 'site_editor' ? all.filter((s) => user.site_ids.includes(s.id)) : all.filter((s) => s.status !== 'closed');
    const limit = addMonths(ctx.today(), -ctx.config.planning.staleAfterMonths);
    const rows = mine.map((s) => {
      const missing: string[] = [];
      for (const k of ['step_free', 'elevator', 'accessible_toilet', 'accessible_parking'] as const) if (s[k] === 'unknown') missing.push(`a11y.${k}`);
      if (s.door_width_cm === null) missing.push('a11y.door_width_cm');
      if (s.threshold_cm === null) missing.push('a11y.threshold_cm');
      if (s.office_area_m2 === null) missing.push('site.office_area');
      if (s.position_precision !== 'building') missing.push('site.position');
      const stale = !s.verified_at || s.verified_at.slice(0, 10) < limit;
      return { site: s, missing, stale, rating: rateAccessibility(s).rating };
    });
    res.render('pages/my-sites', { title: res.locals.t('nav.my_sites'), rows });
  });
  return r;
}
