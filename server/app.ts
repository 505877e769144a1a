import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import path from 'node:path';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { PROJECT_ROOT } from './config.js';
import type { AppContext } from './context.js';
import { AppError, errorHandler } from './errors.js';
import { csrfProtection, requireLogin, type SessionUser } from './auth/guards.js';
import { isLang, type Lang } from './i18n/index.js';
import { authRoutes, loginLimiter } from './routes/api/auth.js';
import { readRoutes } from './routes/api/read.js';
import { planningRoutes } from './routes/api/planning.js';
import { scenarioRoutes, writeRoutes } from './routes/api/write.js';
import { ScenarioService } from './services/scenarios.js';
import { csvRoutes } from './routes/api/csv.js';
import { Resources } from './services/resources.js';
import { pageRoutes, loginPageRoutes } from './routes/pages/index.js';
import { viewLocals } from './routes/pages/view-locals.js';

export interface AppOptions {
  logger: Logger;
  /** login attempts per 15 minutes per address and username */
  loginLimit?: number;
}

/** Builds the Express app; never listens (server.ts does). */
export function buildApp(ctx: AppContext, opts: AppOptions): express.Express {
  const app = express();
  const { config } = ctx;
  if (config.trustProxy) app.set('trust proxy', 1);
  app.disable('x-powered-by');
  app.set('view engine', 'ejs');
  app.set('views', path.join(PROJECT_ROOT, 'views'));

  app.use(pinoHttp({
    logger: opts.logger,
    genReqId: (req, res) => {
      const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || (req.url ?? '').startsWith('/vendor/') || (req.url ?? '').startsWith('/static/') },
  }));

  const tileSources = tileHosts(config.tileUrl);
  app.use(helmet({
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
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  }));

  app.get('/healthz', async (_req, res) => {
    try {
      await ctx.db.raw('select 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', error: { code: 'DATABASE', message: 'database not reachable' } });
    }
  });

  // browser assets, all served by the app itself (no CDN)
  const nm = (p: string) => path.join(PROJECT_ROOT, 'node_modules', p);
  const assetOpts = { maxAge: config.production ? '7d' : 0, fallthrough: false };
  app.use('/vendor/leaflet', express.static(nm('leaflet/dist'), assetOpts));
  app.use('/vendor/markercluster', express.static(nm('leaflet.markercluster/dist'), assetOpts));
  app.use('/vendor/chart.js', express.static(nm('chart.js/dist'), assetOpts));
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/static/favicon.svg'));
  app.use('/static', express.static(path.join(PROJECT_ROOT, 'public'), assetOpts));

  app.use(express.json({ limit: '2mb' }));
  app.use(express.urlencoded({ extended: false, limit: '2mb' }));
  app.use(express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: '25mb' }));

  const store = new ConnectSessionKnexStore({ knex: ctx.db, tableName: 'sessions', createTable: false, cleanupInterval: 15 * 60 * 1000 });
  app.use(session({
    name: 'sp.sid',
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.production ? 'auto' : false, maxAge: 8 * 60 * 60 * 1000 },
  }));

  app.use(async (req: Request, _res: Response, next: NextFunction) => {
    try {
      if (req.session.userId) {
        const u = await ctx.repos.users.get(req.session.userId);
        if (u && u.active) {
          const user: SessionUser = { id: u.id, username: u.username, role: u.role, display_name: u.display_name, site_ids: await ctx.repos.users.siteIds(u.id) };
          req.user = user;
        }
      }
      const qLang = req.query.lang;
      if (isLang(qLang) && req.session.lang !== qLang) req.session.lang = qLang as Lang;
      next();
    } catch (e) { next(e); }
  });
  app.use(csrfProtection(['/api/login']));
  app.use(viewLocals(ctx));

  const limiter = loginLimiter(opts.loginLimit ?? 10);
  app.use('/api', authRoutes(ctx, limiter));
  const resources = new Resources(ctx);
  const scenarios = new ScenarioService(ctx);
  app.use('/api', requireLogin, planningRoutes(ctx), csvRoutes(ctx), readRoutes(ctx), writeRoutes(ctx, resources), scenarioRoutes(ctx, scenarios));
  app.use('/api', (_req, _res, next) => next(new AppError(404, 'NOT_FOUND', 'no such API route')));

  app.use(loginPageRoutes(ctx, limiter));
  app.use(requireLogin, pageRoutes(ctx, resources, scenarios));
  app.use((_req, _res, next) => next(new AppError(404, 'NOT_FOUND', 'page not found')));
  app.use(errorHandler);
  return app;
}

/** The CSP img-src entries for the configured tile server ({s} subdomains become a wildcard). */
export function tileHosts(tileUrl: string | null): string[] {
  if (!tileUrl) return [];
  const m = /^(https?:)\/\/([^/]+)/.exec(tileUrl);
  if (!m) return [];
  return [`${m[1]}//${m[2].replace('{s}', '*')}`];
}
