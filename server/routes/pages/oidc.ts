import { Router, type Request, type RequestHandler, type Response } from 'express';
import { createHash } from 'node:crypto';
import rateLimit, { type Options } from 'express-rate-limit';
import type { DbRateLimitStore } from '../../auth/rate-limit-store.js';
import { AppError } from '../../errors.js';
import { OidcError, TRANSACTION_COOKIE, TRANSACTION_PATH, TRANSACTION_TTL_MS, type OidcProtocol } from '../../auth/oidc.js';
import type { OidcLoginService } from '../../services/oidc-login.js';
import { localPath, startSession } from '../../auth/sessions.js';

/** The HTTP status of each reason a login through single sign-on is refused. */
const STATUS: Record<string, number> = {
  OIDC_NO_ROLE: 403,
  OIDC_INACTIVE: 403,
  OIDC_USERNAME_TAKEN: 409,
  OIDC_NO_USERNAME: 403,
  OIDC_CANCELLED: 401,
  OIDC_EXPIRED: 400,
  OIDC_INVALID: 401,
  OIDC_UNAVAILABLE: 503,
};

/**
 * Failed callbacks (a forged or replayed answer, an unknown group) per client address, counted in the
 * database like password attempts; successful logins do not count.
 */
/** The store that remembers used sign-on transactions for as long as one could be valid. */
export function usedOidcTransactions(store: DbRateLimitStore): DbRateLimitStore {
  store.prefix = 'oidc-used:';
  store.init({ windowMs: TRANSACTION_TTL_MS } as Options);
  return store;
}

export function oidcCallbackLimiter(store: DbRateLimitStore, max: number): RequestHandler {
  store.prefix = 'oidc:';
  return rateLimit({
    store,
    windowMs: 15 * 60 * 1000,
    limit: max,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => req.ip ?? '',
    handler: (_req, _res, next) => next(new AppError(429, 'TOO_MANY_ATTEMPTS', 'too many failed sign-ins; try again in 15 minutes')),
  });
}

/**
 * Single sign-on: `/auth/oidc` sends the browser to the provider, `/auth/oidc/callback` receives it
 * back, and the user gets the same session as after a password login. A refusal is a page that
 * says why, and creates neither a user nor a session.
 */
export function oidcRoutes(oidc: OidcProtocol, logins: OidcLoginService, limiter: RequestHandler, used?: DbRateLimitStore): Router {
  const r = Router();
  const refuse = (req: Request, res: Response, reason: string, detail?: string, username?: string) => {
    req.log?.warn({ reason, detail }, 'single sign-on refused');
    res.status(STATUS[reason] ?? 401).render('pages/oidc-refused', { title: res.locals.t('oidc.refused.title'), reason, username: username ?? '' });
  };
  // Secure whenever the app is reached over https (also behind a proxy that does not say so)
  const secure = oidc.settings.publicUrl.startsWith('https://');
  const cookieOptions = (req: Request) => ({ httpOnly: true, sameSite: 'lax' as const, secure: secure || req.secure, path: TRANSACTION_PATH });

  r.get('/auth/oidc', async (req, res) => {
    try {
      const { url, cookie } = await oidc.start(localPath(req.query.next));
      res.cookie(TRANSACTION_COOKIE, cookie, { ...cookieOptions(req), maxAge: TRANSACTION_TTL_MS });
      res.redirect(303, url);
    } catch (err) {
      if (!(err instanceof OidcError)) throw err;
      refuse(req, res, err.reason, err.detail);
    }
  });

  r.get('/auth/oidc/callback', limiter, async (req, res) => {
    const sealed = cookieValue(req, TRANSACTION_COOKIE);
    // one transaction, one use: the browser forgets the cookie, and the server remembers every
    // transaction it has seen (in the database, for every process) until it would have expired
    res.clearCookie(TRANSACTION_COOKIE, cookieOptions(req));
    if (sealed && used && (await used.increment(createHash('sha256').update(sealed).digest('base64url'))).totalHits > 1)
      return refuse(req, res, 'OIDC_EXPIRED', 'transaction cookie replayed');
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    let identity;
    try {
      identity = await oidc.finish(query, sealed);
    } catch (err) {
      if (!(err instanceof OidcError)) throw err;
      return refuse(req, res, err.reason, err.detail);
    }
    const result = await logins.signIn(identity.claims);
    if (!result.ok) return refuse(req, res, result.reason, `sub ${identity.claims.sub}`, result.username);
    await startSession(req, result.user, { oidcIdToken: identity.idToken });
    req.log?.info({ userId: result.user.id, created: result.created }, 'logged in through single sign-on');
    res.redirect(303, identity.next);
  });
  return r;
}

/** One cookie's value from the request (the app has no cookie parser; express-session reads its own). */
function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
