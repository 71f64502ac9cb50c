import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db';
import { toAppError } from '../lib/errors';
import { withConnection, withTransaction } from '../lib/tx';
import { createDatabase, type Database } from './client';

/**
 * The pool survives PostgreSQL ending its connections (a restart, an administrator, a time-out):
 * the process stays up, the request on the lost connection fails cleanly, the next one works.
 */
let base: Database;
let admin: pg.Client;
const opened: Database[] = [];

beforeAll(async () => {
  base = await createTestDatabase({ poolSize: 2 });
  admin = new pg.Client({ connectionString: base.url });
  await admin.connect();
});
afterAll(async () => {
  await Promise.all(opened.map((d) => d.pool.end().catch(() => {})));
  await admin.end();
});

function pool(opts: Parameters<typeof createDatabase>[1] & { applicationName: string }): Database {
  const d = createDatabase(base.url, { max: 3, ...opts });
  opened.push(d);
  return d;
}

async function backendsOf(applicationName: string): Promise<number[]> {
  const r = await admin.query<{ pid: number }>(
    'select pid from pg_stat_activity where application_name = $1 and datname = current_database()',
    [applicationName],
  );
  return r.rows.map((x) => x.pid);
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the connection pool', () => {
  it('replaces an idle connection the server ended, and says so', async () => {
    const lost: Error[] = [];
    const d = pool({ applicationName: 'engage-idle-test', onConnectionLost: (e) => lost.push(e) });
    await d.pool.query('select 1');
    const [pid] = await backendsOf('engage-idle-test');
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await until('the pool heard of it', () => lost.length > 0);
    expect(lost[0]!.message).toMatch(/terminat/i);
    expect((await d.pool.query<{ ok: number }>('select 1 as ok')).rows[0]!.ok).toBe(1);
    expect(await backendsOf('engage-idle-test')).not.toContain(pid);
  });

  it('fails the statement of a connection ended while in use with a 503, and the next request works', async () => {
    const d = pool({ applicationName: 'engage-busy-test' });
    const lock = new pg.Client({ connectionString: base.url });
    await lock.connect();
    try {
      await lock.query('begin; select pg_advisory_xact_lock(4242)');
      // A use case waits on the lock the test holds, in a transaction, as the services run them.
      const waiting = withTransaction(d.db, (tx) => tx.execute(sql`select pg_advisory_xact_lock(4242)`)).then(
        () => null,
        (e: unknown) => e,
      );
      let pid = 0;
      await until('the use case waits on the lock', async () => {
        const r = await admin.query<{ pid: number }>(
          `select pid from pg_stat_activity where application_name = 'engage-busy-test' and wait_event_type = 'Lock'`,
        );
        pid = r.rows[0]?.pid ?? 0;
        return pid !== 0;
      });
      await admin.query('select pg_terminate_backend($1)', [pid]);
      const err = await waiting;
      expect(err).not.toBeNull();
      const answer = toAppError(err);
      expect(answer.status).toBe(503);
      expect(answer.code).toBe('service_unavailable');
      expect(answer.message).toMatch(/Try again/);
    } finally {
      await lock.query('rollback');
      await lock.end();
    }
    // Whatever connection the pool hands out next works; the lost one is not among them.
    for (let i = 0; i < 3; i++) {
      expect(
        await withConnection(d.db, async (conn) => (await conn.execute<{ ok: number }>(sql`select 1 as ok`)).rows[0]),
      ).toEqual({
        ok: 1,
      });
    }
  });

  it('cancels a statement that runs past the statement time-out, unless its transaction allows more', async () => {
    const d = pool({ applicationName: 'engage-timeout-test', statementTimeoutMs: 300 });
    const err = await d.pool.query('select pg_sleep(2)').then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as { code?: string }).code).toBe('57014');
    expect(toAppError(err)).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(toAppError(err).message).toMatch(/took too long/);
    // A long job raises it for its own transaction only.
    await withTransaction(d.db, async (tx) => {
      await tx.execute(sql`set local statement_timeout = '5s'`);
      await tx.execute(sql`select pg_sleep(0.5)`);
    });
    const after = await d.pool.query('select pg_sleep(1)').then(
      () => null,
      (e: unknown) => (e as { code?: string }).code,
    );
    expect(after).toBe('57014');
  });

  it('ends a connection left idle inside a transaction, without taking the process down', async () => {
    const d = pool({ applicationName: 'engage-idle-tx-test', idleInTransactionTimeoutMs: 300 });
    const c = await d.pool.connect();
    await c.query('begin');
    await c.query('select 1');
    await new Promise((r) => setTimeout(r, 1000));
    const err = await c.query('select 1').then(
      () => null,
      (e: unknown) => e,
    );
    c.release(err as Error);
    expect(err).not.toBeNull();
    expect(toAppError(err)).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect((await d.pool.query<{ ok: number }>('select 1 as ok')).rows[0]!.ok).toBe(1);
  });
});
