import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError, isApi, unauthorized } from '../errors.js';
import type { Role, User } from '../repositories/index.js';

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  display_name: string | null;
  site_ids: number[];
  /** the user's session epoch: a session from an older one has ended */
  session_epoch: number;
}

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    csrfToken?: string;
    /** the user's session epoch at login (see users.session_epoch) */
    epoch?: number;
    lang?: 'de' | 'en';
    /** the next page's message (routes/pages/forms.ts) */
    flash?: { level: 'success'; key: string; notes?: string[] } | { level: 'error'; text: string };
    /** the minute of the last request: changing it once a minute saves the session and renews the cookie */
    seen?: number;
    /** the ID token of a login through single sign-on (the hint for the provider's logout) */
    oidcIdToken?: string;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: SessionUser;
    }
  }
}

export function publicUser(u: User | SessionUser) {
  return { id: u.id, username: u.username, role: u.role, display_name: u.display_name };
}

/** The logged-in user of a route behind requireLogin (401 if there is none after all). */
export function currentUser(req: Request): SessionUser {
  if (!req.user) throw unauthorized();
  return req.user;
}

export function csrfToken(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = randomBytes(24).toString('base64url');
  return req.session.csrfToken;
}

/** Every page and API route needs a login: 401 JSON for the API, a redirect for pages. */
export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  if (req.user) return next();
  if (isApi(req)) return next(unauthorized());
  res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
}

/** The roles that plan (moves, scenarios, placement): the one list of them. */
export const ROLES_THAT_PLAN: readonly Role[] = ['admin', 'planner'];
export const canPlan = (u: SessionUser | undefined): boolean => Boolean(u && ROLES_THAT_PLAN.includes(u.role));

/** A site_editor may change only the sites assigned to them; admins and planners any site. */
export function canEditSite(user: SessionUser | undefined, siteId: number): boolean {
  if (!user) return false;
  if (canPlan(user)) return true;
  return user.role === 'site_editor' && user.site_ids.includes(siteId);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Synchronizer-token CSRF check for every cookie-authenticated write:
 * header X-CSRF-Token or form field _csrf must match the session's token.
 */
export function csrfProtection(exempt: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!UNSAFE.has(req.method) || exempt.includes(req.path)) return next();
    const expected = req.session?.csrfToken;
    const given = req.get('x-csrf-token') ?? (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>)._csrf : undefined);
    if (
      typeof expected === 'string' &&
      typeof given === 'string' &&
      given.length === expected.length &&
      timingSafeEqual(Buffer.from(given), Buffer.from(expected))
    )
      return next();
    next(new AppError(403, 'CSRF', 'missing or invalid CSRF token'));
  };
}
