import { join } from 'node:path';
import { pino } from 'pino';
import { buildApp } from './app';
import { bootDatabase } from './db/bootstrap';
import { DataDirInUseError, takeOverSignals } from './db/embedded';
import { DEMO_PHONE_SYSTEM_TOKEN_FILE, INBOUND_LINE } from './demo/content';
import { seedDemoAtStartup } from './demo/demo-seed';
import { loadConfig } from './env';
import { createAuthService } from './features/auth/auth.service';
import { loggerOptions } from './lib/logger';
import { databaseRoutines } from './services';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino(loggerOptions(config) as pino.LoggerOptions);
  const log = (msg: string) => logger.info(msg);
  const demoTokenFile = join(config.dataDir, DEMO_PHONE_SYSTEM_TOKEN_FILE);

  const database = await bootDatabase(config, {
    routines: databaseRoutines,
    seed: config.DEMO ? (db) => seedDemoAtStartup(db, demoTokenFile) : null,
    log,
    warn: (err, msg) => logger.warn({ err }, msg),
  });
  takeOverSignals();
  const app = await buildApp({
    db: database.db,
    databaseUrl: database.url,
    config,
    embeddedDatabase: database.embedded !== null,
  });

  const auth = createAuthService({ db: database.db, config });
  const purge = setInterval(() => {
    auth.purgeExpired().catch((err: unknown) => logger.warn({ err }, 'could not purge expired sessions'));
  }, 10 * 60_000);
  purge.unref();
  // Holds whose agent's browser is gone, or that were not started in time, go back to the pool.
  const sweeper = setInterval(() => {
    app.dialer
      .sweep({
        abandonAfterMinutes: config.SHIFT_ABANDON_MINUTES,
        openCallAbandonMinutes: config.OPEN_CALL_ABANDON_MINUTES,
      })
      .catch((err: unknown) => logger.warn({ err }, 'dialer sweep failed'));
    // Inbound calls: rings that ran out pass to the next agent, long waits overflow, free agents get queued calls.
    app.inbound.sweep().catch((err: unknown) => logger.warn({ err }, 'inbound sweep failed'));
  }, config.SWEEP_SECONDS * 1000);
  sweeper.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal} received: stopping (HTTP first, then the database)`);
    clearInterval(purge);
    clearInterval(sweeper);
    try {
      await app.close();
      await database.close();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error while stopping');
      process.exit(1);
    }
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stop(sig));

  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      logger.error(
        `Port ${config.PORT} is already in use. Stop the program using it, or start with another PORT (e.g. PORT=3001 npm start).`,
      );
    } else {
      logger.error({ err }, 'could not start the HTTP server');
    }
    await database.close();
    process.exit(1);
  }

  const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const lines = [
    '',
    `  Engage Call Center is running at http://${shown}:${config.PORT}`,
    `  API reference: http://${shown}:${config.PORT}/api/docs`,
    database.embedded ? `  Database: embedded PostgreSQL, data in ${config.dataDir}` : '  Database: DATABASE_URL',
  ];
  if (config.DEMO) {
    lines.push(
      '  Demo sign-ins (demo only, never in production): admin@demo.org, manager@demo.org,',
      '  agent1@demo.org ... agent6@demo.org, password "engage-demo"',
      `  Demo inbound line "Supporter care" ${INBOUND_LINE.number}: npm run simulate:inbound rings it`,
      `  (its phone-system token, written at the first start: ${demoTokenFile})`,
    );
  }
  lines.push('  Stop with Ctrl-C.', '');
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  if (err instanceof DataDirInUseError) {
    process.stderr.write(`\n${err.message}\n\n`);
  } else {
    process.stderr.write(
      `\nEngage could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n\n`,
    );
  }
  process.exit(1);
});
