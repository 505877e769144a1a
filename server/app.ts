import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import path from 'node:path';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { PROJECT_ROOT } from './config.js';
import type { AppContext } from './context.js';
import { AppError, errorHandler, validation } from './errors.js';
import { hasControlChars, stripControlChars } from './text.js';
import { csrfProtection, requireLogin, type SessionUser } from './auth/guards.js';
import { cookieValue } from './auth/login-guards.js';
import { isLang, type Lang } from './i18n/index.js';
import { authRoutes } from './routes/api/auth.js';
import { loginLimiter } from './auth/sessions.js';
import { readRoutes } from './routes/api/read.js';
import { planningRoutes } from './routes/api/planning.js';
import { scenarioRoutes, writeRoutes } from './routes/api/write.js';
import { csvRoutes } from './routes/api/csv.js';
import { docsRoutes } from './routes/api/docs.js';
import { assets } from './routes/assets.js';
import { accessibilityRoutes } from './routes/api/accessibility.js';
import { projectRoutes } from './routes/api/projects.js';
import { acknowledgementRoutes } from './routes/api/acknowledgements.js';
import { overrideRoutes } from './routes/api/overrides.js';
import { placementRoutes } from './routes/api/placement.js';
import { costRoutes } from './routes/api/costs.js';
import { floorRoutes, roomImportRoutes } from './routes/api/floors.js';
import { placementPages } from './routes/pages/placement.js';
import { pageRoutes, loginPageRoutes } from './routes/pages/index.js';
import { viewLocals } from './routes/pages/view-locals.js';
import { oidcCallbackLimiter, oidcRoutes, usedOidcTransactions } from './routes/pages/oidc.js';
import { OidcProtocol } from './auth/oidc.js';
import { legalPages } from './routes/pages/legal.js';

export interface AppOptions {
  logger: Logger;
  /** failed login attempts per 15 minutes per username */
  loginLimit?: number;
  /** failed login attempts per 15 minutes per client address */
  addressLoginLimit?: number;
}

/** A CSV import is read as a stream by its route (bounded rows and bytes), never buffered whole. */
const streamed = (req: Request) => req.method === 'POST' && req.path.startsWith('/api/import/');

/** A query parameter with a control character (a NUL byte…) is refused, naming the parameter (SPEC section 13). */
function plainQuery(req: Request, _res: Response, next: NextFunction): void {
  for (const [key, value] of Object.entries(req.query)) {
    const values = Array.isArray(value) ? value : [value];
    if (hasControlChars(key) || values.some((v) => typeof v === 'string' && hasControlChars(v)))
      return next(validation({ [stripControlChars(key)]: 'validation.control_chars' }, 'a query parameter holds a control character'));
  }
  next();
}

/** Builds the Express app; never listens (server.ts does). */
export function buildApp(ctx: AppContext, opts: AppOptions): express.Express {
  const app = express();
  const { config } = ctx;
  if (config.trustProxy) app.set('trust proxy', 1);
  app.disable('x-powered-by');
  // no ETag hashing of large API bodies on every response
  app.set('etag', false);
  app.set('view engine', 'ejs');
  app.set('views', path.join(PROJECT_ROOT, 'views'));

  app.use(requestLog(opts.logger));
  app.use(securityHeaders(config));

  app.get('/healthz', async (_req, res) => {
    try {
      await ctx.services.ping();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', error: { code: 'DATABASE', message: 'database not reachable' } });
    }
  });

  const browserAssets = assets(config.production);
  app.locals.asset = browserAssets.asset;
  app.use(browserAssets.router);

  app.use(requestBodies());

  app.use(sessions(ctx));
  app.use(currentUser(ctx));
  // the view helpers first: a refused form gets the error page in the user's language
  app.use(viewLocals(ctx));
  // the logins check Origin/Referer instead (and the form a token of its own, see login-guards)
  app.use(csrfProtection(['/api/login', '/login']));
  app.use(plainQuery);

  const limiter = loginLimiter(
    ctx.loginAttempts,
    opts.loginLimit ?? config.loginRateLimit,
    opts.addressLoginLimit ?? config.loginRateLimitPerAddress,
    config.sessionSecret,
  );
  const oidc = config.oidc ? new OidcProtocol(config.oidc, config.sessionSecret) : null;
  app.use('/api', authRoutes(ctx, limiter, oidc), docsRoutes());
  // a calendar program cannot log in: it subscribes with the user's personal feed token (this one route only)
  app.get('/api/moves.ics', async (req, _res, next) => {
    const token = req.query.token;
    if (!req.user && typeof token === 'string' && token.length >= 16 && token.length <= 64) {
      req.user = (await ctx.services.users.sessionUserByFeedToken(token)) ?? undefined;
    }
    next();
  });
  app.use(
    '/api',
    requireLogin,
    planningRoutes(ctx),
    accessibilityRoutes(ctx),
    roomImportRoutes(ctx.services.roomImport, { maxRows: ctx.config.importMaxRows, maxBytes: ctx.config.importMaxBytes }),
    csvRoutes(ctx),
    readRoutes(ctx),
    writeRoutes(ctx),
    scenarioRoutes(ctx),
    projectRoutes(ctx.services.projects),
    acknowledgementRoutes(ctx.services.acknowledgements),
    overrideRoutes(ctx.services.overrides),
    placementRoutes(ctx.services.placement, ctx.heavy),
    costRoutes(ctx),
    floorRoutes(ctx.services.floors, ctx.services.scenarios, ctx.today),
  );
  app.use('/api', (_req, _res, next) => next(new AppError(404, 'NOT_FOUND', 'no such API route')));

  app.use(legalPages(ctx));
  app.use(loginPageRoutes(ctx, limiter, oidc));
  if (oidc && ctx.services.oidcLogins)
    app.use(
      oidcRoutes(
        oidc,
        ctx.services.oidcLogins,
        oidcCallbackLimiter(ctx.loginAttempts(), opts.loginLimit ?? config.loginRateLimit),
        usedOidcTransactions(ctx.loginAttempts()),
      ),
    );
  app.use(requireLogin, placementPages(ctx));
  app.use(requireLogin, pageRoutes(ctx));
  app.use((_req, _res, next) => next(new AppError(404, 'NOT_FOUND', 'page not found')));
  app.use(errorHandler);
  return app;
}

/** The request log: one line per request with its id; secrets (feed tokens, cookies) never reach it. */
function requestLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // a calendar feed token in a URL and session cookies are secrets: they never reach the log
    serializers: {
      req: (req: { url?: string; headers?: Record<string, unknown> }) => {
        if (req.url) req.url = req.url.replace(/([?&]token=)[^&]*/, '$1…');
        if (req.headers && (req.headers.cookie || req.headers['x-csrf-token'] || req.headers.authorization)) {
          req.headers = { ...req.headers };
          for (const h of ['cookie', 'x-csrf-token', 'authorization']) if (req.headers[h]) req.headers[h] = '[redacted]';
        }
        return req;
      },
      res: (res: { headers?: Record<string, unknown> }) => {
        if (res.headers?.['set-cookie']) res.headers = { ...res.headers, 'set-cookie': '[redacted]' };
        return res;
      },
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || /^\/(vendor|static|assets)\//.test(req.url ?? '') },
  });
}

/** Security headers: a strict CSP (tiles from the configured server only), no framing, same-origin referrers. */
function securityHeaders(config: AppContext['config']) {
  const tileSources = tileHosts(config.tileUrl);
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...tileSources],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // the logout form's answer redirects to the provider's end-session endpoint (on the issuer's host)
        formAction: ["'self'", ...(config.oidc ? [new URL(config.oidc.issuer).origin] : [])],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    // same-origin requests keep Origin and Referer (the login's cross-origin check needs them;
    // with no-referrer a browser sends `Origin: null` even from our own form); others get nothing
    referrerPolicy: { policy: 'same-origin' },
  });
}

/** Bodies are read for writes only (a GET never has one worth parsing; a CSV import streams its own). */
function requestBodies() {
  const bodies = express.Router().use(
    express.json({ limit: '2mb' }),
    express.urlencoded({ extended: false, limit: '2mb' }),
    express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: '25mb' }),
    // Express 5 leaves req.body undefined when no parser matched; handlers expect an object
    (req: Request, _res: Response, next: NextFunction) => {
      req.body ??= {};
      next();
    },
  );
  return (req: Request, res: Response, next: NextFunction) =>
    req.method === 'GET' || req.method === 'HEAD' || streamed(req) ? next() : bodies(req, res, next);
}

/** The session (in the database, see ThrottledSessionStore), in the sp.sid cookie. */
function sessions(ctx: AppContext) {
  const { config } = ctx;
  return session({
    name: 'sp.sid',
    secret: config.sessionSecret,
    store: ctx.sessionStore(),
    resave: false,
    saveUninitialized: false,
    // The 8-hour idle timeout rolls forward once a minute (see `seen` in currentUser), not on every response:
    // re-signing the cookie on every request cost a tenth of the API's throughput.
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.production ? 'auto' : false, maxAge: 8 * 60 * 60 * 1000 },
  });
}

/**
 * The logged-in user, cached per data revision (every write, user changes included, bumps it); a
 * password change or deactivation since the login ends the session; ?lang= is kept.
 */
function currentUser(ctx: AppContext) {
  const users = new Map<number, { revision: number; user: SessionUser | null }>();
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (req.session.userId) {
        const minute = Math.floor(Date.now() / 60_000);
        if (req.session.seen !== minute) req.session.seen = minute;
        const revision = await ctx.services.plans.revision();
        const hit = users.get(req.session.userId);
        if (hit && hit.revision === revision) {
          if (hit.user) req.user = hit.user;
        } else {
          const user = await ctx.services.users.sessionUserById(req.session.userId);
          if (users.size > 10_000) users.clear();
          users.set(req.session.userId, { revision, user });
          if (user) req.user = user;
        }
        // a password change or reset or a deactivation since this login has ended the session
        if (req.user && req.user.session_epoch !== (req.session.epoch ?? 0)) {
          req.user = undefined;
          delete req.session.userId;
          delete req.session.csrfToken;
        }
      }
      // the language chosen by ?lang= lasts: in the session once logged in, before that in a cookie
      // (an anonymous request stores no session); only a page that is read chooses it, not a write
      // (which may yet be refused)
      const qLang = req.query.lang;
      if (isLang(qLang) && (req.method === 'GET' || req.method === 'HEAD')) {
        if (req.session.userId) {
          if (req.session.lang !== qLang) req.session.lang = qLang as Lang;
        } else if (cookieValue(req, 'sp.lang') !== qLang) res.cookie('sp.lang', qLang, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 60 * 60 * 1000 });
      }
      next();
    } catch (e) {
      next(e);
    }
  };
}

/** The CSP img-src entries for the configured tile server ({s} subdomains become a wildcard). */
export function tileHosts(tileUrl: string | null): string[] {
  if (!tileUrl) return [];
  const m = /^(https?:)\/\/([^/]+)/.exec(tileUrl);
  if (!m) return [];
  return [`${m[1]}//${m[2].replace('{s}', '*')}`];
}
