/** Sessions: starting one after a login, ending one, and the login attempt limit. */
import type { Request, RequestHandler, Response } from 'express';
import type { SessionData } from 'express-session';
import rateLimit from 'express-rate-limit';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { hasControlChars, stripControlChars } from '../text.js';
import type { User } from '../repositories/index.js';
import { csrfToken } from './guards.js';
import { cookieValue, knownDevice } from './login-guards.js';
import type { OidcProtocol } from './oidc.js';
import type { DbRateLimitStore } from './rate-limit-store.js';

export const LoginSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, 'required')
    .max(64)
    .refine((u) => !hasControlChars(u), 'validation.control_chars'),
  password: z.string().min(1, 'required').max(200),
});

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

/** The username as the login limit counts it: trimmed and case-folded, so "  Admin " is "admin" (no control characters: the key is stored). */
export function normaliseUsername(u: unknown): string {
  return stripControlChars(String(u ?? ''))
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .slice(0, 64);
}

/**
 * Failed login attempts, counted in the database (`store()` gives a DbRateLimitStore) and separately per
 * normalised username (`max`) and per client address (`perAddress`): many addresses cannot guess
 * one password, one address cannot try many usernames. Successful logins do not count. A browser
 * that has logged in as the user before (device cookie, see login-guards) counts apart, so failing
 * on purpose with someone's username does not lock that person out.
 */
export function loginLimiter(store: () => DbRateLimitStore, max: number, perAddress: number = max * 5, secret = ''): RequestHandler[] {
  const username = (req: Request) => normaliseUsername((req.body as { username?: unknown })?.username);
  const known = (req: Request) => Boolean(secret) && knownDevice(req, secret, username(req));
  const limit = (n: number, key: (req: Request) => string, skip?: (req: Request) => boolean) =>
    rateLimit({
      store: store(),
      windowMs: 15 * 60 * 1000,
      limit: n,
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: key,
      skip,
      handler: (_req, _res, next) => next(new AppError(429, 'TOO_MANY_ATTEMPTS', 'too many login attempts; try again in 15 minutes')),
    });
  return [limit(perAddress, (req) => `addr:${req.ip}`, known), limit(max, (req) => `user:${username(req)}${known(req) ? ':known' : ''}`)];
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

/** Safe redirect target after login: a local path only. */
export function localPath(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\\]*$/.test(next) ? next : '/';
}
