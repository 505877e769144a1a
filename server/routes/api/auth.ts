import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { SessionData } from 'express-session';
import rateLimit from 'express-rate-limit';
import { z } from 'zod';
import { DbRateLimitStore } from '../../auth/rate-limit-store.js';
import type { AppContext } from '../../context.js';
import { AppError, validation, zodFields } from '../../errors.js';
import { csrfToken, publicUser } from '../../auth/guards.js';
import { DUMMY_HASH, verifyPassword } from '../../auth/passwords.js';
import { cookieValue, knownDevice, sameOriginOnly } from '../../auth/login-guards.js';
import type { Repos, User } from '../../repositories/index.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';
import type { OidcProtocol } from '../../auth/oidc.js';
import { SETUP_ADMIN } from '../../services/bootstrap.js';

export const LoginSchema = z.object({
  username: z.string().trim().min(1, 'required').max(64),
  password: z.string().min(1, 'required').max(200),
});

/**
 * Checks credentials; returns the user or null. Same work whether or not the user exists.
 * Accounts from single sign-on have no local password; with LOCAL_LOGIN=false only the setup
 * admin (created from ADMIN_PASSWORD) may still log in with a password.
 */
export async function authenticate(ctx: AppContext, username: string, password: string): Promise<User | null> {
  return (await checkCredentials(ctx, username, password)).user;
}

/**
 * The user for the credentials, or why not: `inactive` only when the password is right
 * (a wrong password never tells whether the account exists).
 */
export async function checkCredentials(ctx: AppContext, username: string, password: string): Promise<{ user: User | null; inactive: boolean }> {
  const user = await ctx.repos.users.byUsername(username);
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok || user.oidc_subject) return { user: null, inactive: false };
  if (!ctx.config.localLogin && !isSetupAdmin(user)) return { user: null, inactive: false };
  return user.active ? { user, inactive: false } : { user: null, inactive: true };
}

/** The admin account the server creates on an empty database (services/bootstrap.ts). */
export function isSetupAdmin(user: User): boolean {
  return user.username === SETUP_ADMIN && user.role === 'admin' && !user.oidc_subject;
}

/** Starts a fresh session for the user (a new id defeats session fixation). */
export function startSession(req: Request, user: User, extra: Pick<SessionData, 'oidcIdToken'> = {}): Promise<string> {
  const chosen = cookieValue(req, 'sp.lang');
  const lang = req.session.lang ?? (chosen === 'de' || chosen === 'en' ? chosen : undefined);
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.userId = user.id;
      req.session.epoch = user.session_epoch;
      req.session.lang = lang ?? user.lang;
      if (extra.oidcIdToken) req.session.oidcIdToken = extra.oidcIdToken;
      const token = csrfToken(req);
      req.session.save((e) => (e ? reject(e) : resolve(token)));
    });
  });
}

/** The username as the login limit counts it: trimmed and case-folded, so "  Admin " is "admin". */
export function normaliseUsername(u: unknown): string {
  return String(u ?? '').normalize('NFKC').trim().toLowerCase().slice(0, 64);
}

/**
 * Failed login attempts, counted in the database (see DbRateLimitStore) and separately per
 * normalised username (`max`) and per client address (`perAddress`): many addresses cannot guess
 * one password, one address cannot try many usernames. Successful logins do not count. A browser
 * that has logged in as the user before (device cookie, see login-guards) counts apart, so failing
 * on purpose with someone's username does not lock that person out.
 */
export function loginLimiter(repos: Repos, max: number, perAddress: number = max * 5, secret = ''): RequestHandler[] {
  const username = (req: Request) => normaliseUsername((req.body as { username?: unknown })?.username);
  const known = (req: Request) => Boolean(secret) && knownDevice(req, secret, username(req));
  const limit = (n: number, key: (req: Request) => string, skip?: (req: Request) => boolean) => rateLimit({
    store: new DbRateLimitStore(repos.rateLimits),
    windowMs: 15 * 60 * 1000,
    limit: n,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: key,
    skip,
    handler: (_req, _res, next) => next(new AppError(429, 'TOO_MANY_ATTEMPTS', 'too many login attempts; try again in 15 minutes')),
  });
  return [
    limit(perAddress, (req) => `addr:${req.ip}`, known),
    limit(max, (req) => `user:${username(req)}${known(req) ? ':known' : ''}`),
  ];
}

/**
 * Ends the local session; for a login through single sign-on, answers the provider's end-session
 * URL (null when there is none), so the city account is logged out too.
 */
export async function endSession(req: Request, res: Response, oidc: OidcProtocol | null): Promise<string | null> {
  const idToken = req.session.oidcIdToken;
  await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
  res.clearCookie('sp.sid');
  return oidc && idToken ? oidc.endSessionUrl(idToken) : null;
}

export function authRoutes(ctx: AppContext, limiter: ReturnType<typeof loginLimiter>, oidc: OidcProtocol | null): Router {
  const r = Router();

  r.post('/login', doc({
    tag: 'auth', summary: 'Log in: starts a session (cookie) and returns the CSRF token for writes', auth: 'public', body: LoginSchema,
    response: { schema: R.SessionInfo }, errors: [401, 403, 429],
  }), sameOriginOnly, ...limiter, async (req, res) => {
    const parsed = LoginSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw validation(zodFields(parsed.error));
    const { user, inactive } = await checkCredentials(ctx, parsed.data.username, parsed.data.password);
    if (inactive) throw new AppError(401, 'ACCOUNT_INACTIVE', 'this account is deactivated; ask an administrator');
    if (!user) throw new AppError(401, 'INVALID_CREDENTIALS', 'wrong username or password');
    const token = await startSession(req, user);
    res.json({ user: publicUser(user), csrfToken: token });
  });

  r.post('/logout', doc({
    tag: 'auth', summary: 'Log out (with single sign-on: also returns the provider\'s end-session URL)', auth: 'public', write: true,
    response: { schema: R.Logout },
  }), async (req, res) => {
    const endSessionUrl = await endSession(req, res, oidc);
    res.json({ ok: true, ...(endSessionUrl ? { endSessionUrl } : {}) });
  });

  r.get('/session', doc({ tag: 'auth', summary: 'The logged-in user and the CSRF token', response: { schema: R.SessionInfo } }), (req, res) => {
    if (!req.user) throw new AppError(401, 'UNAUTHORIZED', 'login required');
    res.json({ user: publicUser(req.user), csrfToken: csrfToken(req) });
  });

  return r;
}
