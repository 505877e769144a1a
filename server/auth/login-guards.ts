import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors.js';

/**
 * Login CSRF: a login from a page of another origin would sign the victim in as the attacker.
 * A browser names the page's origin in `Origin` (or at least `Referer`); a request whose origin is
 * not this server's is refused. API clients that send neither header still log in.
 */
export function sameOriginOnly(req: Request, _res: Response, next: NextFunction): void {
  // browsers since 2023 say it outright (Fetch Metadata); `none` is a typed address or a bookmark
  const site = req.get('sec-fetch-site');
  if (site === 'same-origin' || site === 'none') return next();
  if (site === 'cross-site' || site === 'same-site') return next(new AppError(403, 'CROSS_ORIGIN', 'a login from another website is refused'));
  const source = req.get('origin') ?? req.get('referer');
  if (!source) return next();
  // "null" is the opaque origin of a sandboxed frame or a privacy-sensitive redirect: not ours
  const host = hostOf(source);
  const trustProxy = Boolean(req.app.get('trust proxy'));
  const own = ((trustProxy && req.get('x-forwarded-host')?.split(',')[0].trim()) || req.get('host') || '').toLowerCase();
  if (host && host === own) return next();
  next(new AppError(403, 'CROSS_ORIGIN', 'a login from another website is refused'));
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

const LOGIN_COOKIE = 'sp.login';

/** A cookie value from the request's Cookie header (no cookie parser needed for two cookies). */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The login form's token before there is a session (an anonymous visit stores no session):
 * a random value in a cookie, and its HMAC in the form (double submit, signed with the session secret).
 */
export function loginFormToken(req: Request, res: Response, secret: string): string {
  let nonce = cookieValue(req, LOGIN_COOKIE);
  if (!nonce || !/^[\w-]{32}$/.test(nonce)) {
    nonce = randomBytes(24).toString('base64url');
    res.cookie(LOGIN_COOKIE, nonce, { httpOnly: true, sameSite: 'lax', path: '/login', secure: req.secure });
  }
  return createHmac('sha256', secret).update(`login:${nonce}`).digest('base64url');
}

export function checkLoginFormToken(secret: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const nonce = cookieValue(req, LOGIN_COOKIE);
    const given = (req.body as { _csrf?: unknown } | undefined)?._csrf;
    if (nonce && typeof given === 'string') {
      const expected = createHmac('sha256', secret).update(`login:${nonce}`).digest('base64url');
      if (given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return next();
    }
    next(new AppError(403, 'CSRF', 'missing or invalid CSRF token'));
  };
}

const DEVICE_COOKIE = 'sp.dev';
const deviceMac = (secret: string, username: string) => createHmac('sha256', secret).update(`device:${username}`).digest('base64url');

/**
 * After a successful login the browser keeps a signed note "this device has logged in as <user>".
 * With it, the user's own logins count in a bucket of their own: someone failing on purpose with
 * their username cannot lock them out (OWASP "device cookies").
 */
export function rememberDevice(res: Response, secret: string, normalisedUsername: string, secure: boolean): void {
  res.cookie(DEVICE_COOKIE, `${Buffer.from(normalisedUsername).toString('base64url')}.${deviceMac(secret, normalisedUsername)}`, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: 365 * 24 * 60 * 60 * 1000,
  });
}

/** True when the request carries a valid device note for this (normalised) username. */
export function knownDevice(req: Request, secret: string, normalisedUsername: string): boolean {
  const v = cookieValue(req, DEVICE_COOKIE);
  if (!v || !normalisedUsername) return false;
  const [name, mac] = v.split('.');
  if (!name || !mac || Buffer.from(name, 'base64url').toString() !== normalisedUsername) return false;
  const expected = deviceMac(secret, normalisedUsername);
  return mac.length === expected.length && timingSafeEqual(Buffer.from(mac), Buffer.from(expected));
}
