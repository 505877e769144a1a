import { Router } from 'express';
import { sameOriginOnly } from '../../auth/login-guards.js';
import type { AppContext } from '../../context.js';
import { AppError, validation, zodFields } from '../../errors.js';
import { csrfToken, publicUser } from '../../auth/guards.js';
import type { OidcProtocol } from '../../auth/oidc.js';
import { endSession, LoginSchema, type loginLimiter, startSession } from '../../auth/sessions.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';

export function authRoutes(ctx: AppContext, limiter: ReturnType<typeof loginLimiter>, oidc: OidcProtocol | null): Router {
  const r = Router();

  r.post(
    '/login',
    doc({
      tag: 'auth',
      summary: 'Log in: starts a session (cookie) and returns the CSRF token for writes',
      auth: 'public',
      body: LoginSchema,
      response: { schema: R.SessionInfo },
      errors: [401, 403, 429],
    }),
    sameOriginOnly,
    ...limiter,
    async (req, res) => {
      const parsed = LoginSchema.safeParse(req.body ?? {});
      if (!parsed.success) throw validation(zodFields(parsed.error));
      const { user, inactive } = await ctx.services.users.checkCredentials(parsed.data.username, parsed.data.password);
      if (inactive) throw new AppError(401, 'ACCOUNT_INACTIVE', 'this account is deactivated; ask an administrator');
      if (!user) throw new AppError(401, 'INVALID_CREDENTIALS', 'wrong username or password');
      const token = await startSession(req, user);
      res.json({ user: publicUser(user), csrfToken: token });
    },
  );

  r.post(
    '/logout',
    doc({
      tag: 'auth',
      summary: "Log out (with single sign-on: also returns the provider's end-session URL)",
      auth: 'public',
      write: true,
      response: { schema: R.Logout },
    }),
    async (req, res) => {
      const endSessionUrl = await endSession(req, res, oidc);
      res.json({ ok: true, ...(endSessionUrl ? { endSessionUrl } : {}) });
    },
  );

  r.get('/session', doc({ tag: 'auth', summary: 'The logged-in user and the CSRF token', response: { schema: R.SessionInfo } }), (req, res) => {
    if (!req.user) throw new AppError(401, 'UNAUTHORIZED', 'login required');
    res.json({ user: publicUser(req.user), csrfToken: csrfToken(req) });
  });

  return r;
}
