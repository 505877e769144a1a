import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context.js';
import { endSession, LoginSchema, localPath, type loginLimiter, normaliseUsername, startSession } from '../../auth/sessions.js';
import type { OidcProtocol } from '../../auth/oidc.js';
import { checkLoginFormToken, loginFormToken, rememberDevice, sameOriginOnly } from '../../auth/login-guards.js';
import { zodFields } from '../../errors.js';
import { mapPages } from './map.js';
import { sitePages } from './sites.js';
import { floorPages } from './floor-pages.js';
import { teamPages } from './teams.js';
import { movePages } from './moves.js';
import { reportPages } from './report.js';
import { siteFormPages } from './site-forms.js';
import { moveFormPages } from './move-forms.js';
import { resourceFormPages } from './resource-forms.js';
import { accountPages } from './account.js';
import { adminPages } from './admin.js';
import { scenarioPages } from './scenarios.js';
import { projectPages } from './projects.js';
import { scenarioPlanningPages } from './scenario-planning.js';
import { costPages } from './costs.js';
import { acknowledgementPages } from './acknowledgements.js';
import { formAddresses } from './form-addresses.js';

export function loginPageRoutes(ctx: AppContext, limiter: ReturnType<typeof loginLimiter>, oidc: OidcProtocol | null): Router {
  const r = Router();
  const secret = ctx.config.sessionSecret;
  // the form's token lives in a cookie until the login: an anonymous visit stores no session
  // with LOCAL_LOGIN=false the password fields show only on /login?local=1 (for the setup admin)
  const render = (
    req: Request,
    res: Response,
    status: number,
    locals: { next: string; values: Record<string, string>; errors: Record<string, string>; formError: string | null },
  ) => {
    const passwords = ctx.config.localLogin || req.query.local === '1' || req.body?.local === '1';
    res.status(status).render('pages/login', {
      ...locals,
      loginToken: loginFormToken(req, res, secret),
      oidc: Boolean(oidc),
      passwords,
      localOnly: !ctx.config.localLogin && passwords,
    });
  };
  r.get('/login', (req, res) => {
    if (req.user) return res.redirect(localPath(req.query.next));
    render(req, res, 200, { next: localPath(req.query.next), values: {}, errors: {}, formError: null });
  });
  r.post('/login', sameOriginOnly, checkLoginFormToken(secret), ...limiter, async (req, res) => {
    const next = localPath(req.body?.next);
    const parsed = LoginSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      render(req, res, 400, { next, values: { username: req.body?.username ?? '' }, errors: zodFields(parsed.error), formError: null });
      return;
    }
    const { user, inactive } = await ctx.services.users.checkCredentials(parsed.data.username, parsed.data.password);
    if (!user) {
      render(req, res, 401, { next, values: { username: parsed.data.username }, errors: {}, formError: inactive ? 'login.inactive' : 'login.invalid' });
      return;
    }
    await startSession(req, user);
    // browsers only (the API answer keeps its one cookie, as scripts expect)
    rememberDevice(res, secret, normaliseUsername(parsed.data.username), req.secure);
    // a caretaker's start page is their own sites, not the map
    res.redirect(303, next === '/' && user.role === 'site_editor' ? '/my-sites' : next);
  });
  r.post('/logout', async (req, res) => {
    res.redirect(303, (await endSession(req, res, oidc)) ?? '/login');
  });
  return r;
}

export function pageRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use(siteFormPages(ctx));
  r.use(moveFormPages(ctx));
  r.use(resourceFormPages(ctx));
  r.use(accountPages(ctx));
  r.use(adminPages(ctx));
  r.use(scenarioPlanningPages(ctx));
  r.use(scenarioPages(ctx));
  r.use(projectPages(ctx));
  r.use(mapPages(ctx));
  r.use(sitePages(ctx));
  r.use(floorPages(ctx));
  r.use(teamPages(ctx));
  r.use(movePages(ctx));
  r.use(reportPages(ctx));
  r.use(costPages(ctx));
  r.use(acknowledgementPages(ctx));
  // last: a GET of an address that only takes forms goes to the form's page
  r.use(formAddresses(ctx));
  return r;
}
