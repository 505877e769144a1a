/** Starts Standortplanung: checks config, migrates, seeds an empty database, creates the first admin, listens. */
import pino from 'pino';
import { buildApp } from './app.js';
import { OidcProtocol } from './auth/oidc.js';
import { loadConfig } from './config.js';
import { createContext } from './context.js';
import { createKnex } from './db/knex.js';
import { migrateLatest } from './db/migrate.js';
import { seedUlm } from './db/seed-ulm.js';
import { explainStartupError } from './db/startup-errors.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  const logger = pino({ level: config.logLevel });
  const where = { databaseUrl: config.databaseUrl, port: config.port };
  const db = createKnex(config.databaseUrl);
  try {
    await migrateLatest(db);
  } catch (err) {
    fail(err, where);
  }
  const ctx = createContext(db, config);
  // an error nobody awaited (a driver callback, a timer) is logged; requests already answer 503
  // for database trouble, and the process keeps serving instead of ending for everyone
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled rejection (the server keeps running)');
  });

  if (config.seed === 'ulm' && (await ctx.services.organisation.districts()).length === 0) {
    const r = await seedUlm(db);
    logger.info(r, 'loaded the Ulm dataset');
  }
  const admin = await ctx.services.users.ensureAdmin(config.adminPassword);
  if (admin?.generatedPassword) {
    // printed once, on the console only
    console.log(
      `\n  First admin created: username "admin", password "${admin.generatedPassword}"\n  (set ADMIN_PASSWORD to choose it; change it after the first login)\n`,
    );
  }
  if (config.sessionSecretGenerated) {
    logger.warn('SESSION_SECRET not set: using a random secret, sessions end when the server restarts');
  }

  // data retention: old audit entries and login-attempt counters go at start and once a day
  const retention = ctx.services.retention;
  const prune = () =>
    retention
      .prune()
      .then((r) => {
        if (r && (r.audit || r.login_attempts)) logger.info(r, 'pruned old audit and login-attempt rows');
      })
      .catch((err) => logger.warn({ err }, 'pruning old rows failed'));
  await prune();
  setInterval(prune, 24 * 60 * 60 * 1000).unref();

  if (config.oidc) {
    // a first look at the provider, for the log: logins retry discovery on their own if it fails now
    const { issuer } = config.oidc;
    new OidcProtocol(config.oidc, config.sessionSecret).configuration().then(
      () => logger.info({ issuer, localLogin: config.localLogin }, 'single sign-on ready'),
      (err: Error) => logger.warn({ issuer, err: err.message }, 'single sign-on: the provider cannot be reached yet'),
    );
  }

  // the heavy-work pool's threads start and build their plans now, not at the first question
  ctx.heavy.warm().then(
    () => logger.info({ workers: config.work.workers }, 'heavy-work pool ready'),
    (err: Error) => logger.warn({ err: err.message }, 'heavy-work pool: warming up failed (it starts at the first question)'),
  );

  const app = buildApp(ctx, { logger });
  const server = app.listen(config.port);
  server.once('error', (err) => fail(err, where));
  server.once('listening', () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    logger.info({ port }, `Standortplanung listening on http://localhost:${port}`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close(async () => {
      await ctx.close().catch(() => undefined);
      await db.destroy().catch(() => undefined);
      process.exit(0);
    });
    server.closeIdleConnections?.();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Ends the start: a known cause in plain words (which port, which file, what to do), else the error. */
function fail(err: unknown, where: { databaseUrl?: string; port?: number }): never {
  const plain = explainStartupError(err, where);
  console.error(plain ? `\nStandortplanung cannot start.\n${plain}\n` : err);
  process.exit(1);
}

main().catch((err) => fail(err, { databaseUrl: process.env.DATABASE_URL, port: Number(process.env.PORT) || undefined }));
