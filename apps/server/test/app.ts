import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { DestinationStream } from 'pino';
import { afterAll } from 'vitest';
import { buildApp } from '../src/app';
import type { Database } from '../src/db/client';
import { loadConfig, type Config } from '../src/env';
import { createTestDatabase } from './db';

/** A clock the tests move by hand. */
export function testClock(start = new Date('2026-03-10T12:00:00Z')) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    set(d: Date) {
      t = d.getTime();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  config: Config;
}

export async function createTestApp(
  opts: { database?: Database; now?: () => Date; env?: Record<string, string>; logStream?: DestinationStream } = {},
): Promise<TestApp> {
  const database = opts.database ?? (await createTestDatabase());
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO: '0', ...opts.env });
  const app = await buildApp({
    db: database.db,
    databaseUrl: database.url,
    config,
    embeddedDatabase: false,
    now: opts.now,
    logStream: opts.logStream,
  });
  await app.ready();
  afterAll(async () => {
    await app.close();
  });
  return { app, database, config };
}

/** The session cookie a login answer set, ready to send back. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'engage_session');
  if (!c) throw new Error(`no session cookie in the answer (status ${res.statusCode}: ${res.body})`);
  return `engage_session=${c.value}`;
}

export async function login(app: FastifyInstance, email: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login of ${email} failed: ${res.statusCode} ${res.body}`);
  return sessionCookie(res);
}
