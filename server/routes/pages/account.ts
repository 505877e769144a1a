import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context.js';
import { flash, formErrors } from './forms.js';
import { currentUser } from '../../auth/guards.js';

/** One's own account, for every role: password and the personal calendar link. */
export function accountPages(ctx: AppContext): Router {
  const r = Router();
  const { users } = ctx.services;
  const render = async (req: Request, res: Response, o: { errors?: Record<string, string>; message?: string | null; status?: number } = {}) => {
    const me = await users.me(currentUser(req));
    const base = `${req.protocol}://${req.get('host')}`;
    res.status(o.status ?? 200).render('pages/account', {
      title: res.locals.t('account.title'),
      me,
      errors: o.errors ?? {},
      message: o.message ?? null,
      feedUrl: me.feed_token ? `${base}/api/moves.ics?token=${me.feed_token}` : null,
    });
  };

  r.get('/account', async (req, res) => {
    await render(req, res);
  });
  r.post('/account/password', async (req, res) => {
    try {
      const { session_epoch } = await users.changeOwnPassword(currentUser(req), {
        current_password: req.body.current_password ?? '',
        new_password: req.body.new_password ?? '',
        version: Number(req.body.version),
      });
      req.session.epoch = session_epoch; // this session goes on, every other one has ended
      flash(req, 'account.password_changed');
      res.redirect(303, '/account');
    } catch (err) {
      const e = formErrors(err, res);
      await render(req, res, { errors: e.fields, message: e.message, status: e.status });
    }
  });
  for (const [path, renew] of [
    ['/account/feed', true],
    ['/account/feed/delete', false],
  ] as const) {
    r.post(path, async (req, res) => {
      try {
        await users.setFeedToken(currentUser(req), { version: Number(req.body.version) }, renew);
        flash(req, renew ? 'account.feed_renewed' : 'account.feed_removed');
        res.redirect(303, '/account');
      } catch (err) {
        const e = formErrors(err, res);
        await render(req, res, { message: e.message, status: e.status });
      }
    });
  }
  return r;
}
