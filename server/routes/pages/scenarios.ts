import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../context.js';
import { pathId } from '../validate.js';
import { coerceForm, flash, formErrors, flashRefused } from './forms.js';
import { currentUser } from '../../auth/guards.js';

export function scenarioPages(ctx: AppContext): Router {
  const r = Router();
  const { scenarios } = ctx.services;

  r.get('/scenarios', async (_req, res) => {
    const list = await scenarios.listWithCounts();
    const counts = list.map((s) => ({ moves: s.moves, events: s.events, last: s.last }));
    res.render('pages/scenarios/list', { title: res.locals.t('nav.scenarios'), list, counts, values: {}, errors: {}, message: null });
  });

  r.post('/scenarios', async (req, res) => {
    try {
      const s = await ctx.services.scenarios.createScenario(
        currentUser(req),
        coerceForm(req.body, { name: 'string', description: 'string' }, { omitEmpty: true, lang: res.locals.lang }),
      );
      flash(req, 'flash.saved');
      res.redirect(303, `/scenarios/${s.id}`);
    } catch (err) {
      const e = formErrors(err, res);
      const list = await ctx.services.scenarios.list();
      res.status(e.status).render('pages/scenarios/list', {
        title: res.locals.t('nav.scenarios'),
        list,
        counts: list.map(() => ({ moves: 0, events: 0, last: '' })),
        values: req.body,
        errors: e.fields,
        message: e.message,
      });
    }
  });

  const action =
    (name: 'duplicate' | 'adopt' | 'delete'): RequestHandler =>
    async (req, res) => {
      const user = scenarios.mayWrite(req.user);
      const id = pathId(req.params);
      try {
        if (name === 'duplicate') {
          const c = await scenarios.duplicate(user, id);
          flash(req, 'flash.saved');
          return res.redirect(303, `/scenarios/${c.id}`);
        }
        // adopt and delete happen only from their confirmation pages, which say what will happen
        if (req.body.confirmed !== '1') return res.redirect(303, `/scenarios/${id}/${name}`);
        if (name === 'adopt') {
          await scenarios.adopt(user, id, Number(req.body.version) || undefined);
          flash(req, 'flash.adopted');
          return res.redirect(303, '/scenarios');
        }
        await scenarios.deleteScenario(user, id, Number(req.body.version) || undefined);
        flash(req, 'flash.deleted');
        res.redirect(303, '/scenarios');
      } catch (err) {
        const e = formErrors(err, res);
        flashRefused(req, e.message ?? '');
        res.redirect(303, `/scenarios/${id}`);
      }
    };
  r.post('/scenarios/:id/edit', async (req, res) => {
    const id = pathId(req.params);
    try {
      await ctx.services.scenarios.updateScenario(currentUser(req), id, {
        ...coerceForm(req.body, { name: 'string', description: 'string' }, { lang: res.locals.lang }),
        version: Number(req.body.version),
      });
      flash(req, 'flash.saved');
    } catch (err) {
      const e = formErrors(err, res);
      flashRefused(req, [e.message, ...Object.values(e.fields)].join(' '));
    }
    res.redirect(303, `/scenarios/${id}`);
  });
  r.post('/scenarios/:id/duplicate', action('duplicate'));
  r.post('/scenarios/:id/adopt', action('adopt'));
  r.post('/scenarios/:id/delete', action('delete'));

  // "my sites": a site_editor's checklist of what is missing or stale
  r.get('/my-sites', async (req, res) => {
    res.render('pages/my-sites', { title: res.locals.t('nav.my_sites'), rows: await ctx.services.planning.mySites(currentUser(req)) });
  });
  return r;
}
