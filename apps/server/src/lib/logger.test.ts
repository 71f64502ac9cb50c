import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from './logger';

describe('the log of a failed statement', () => {
  it('keeps the SQL and the SQLSTATE, never the parameters or the constraint detail (donors data)', () => {
    let logged = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    const log = pino(loggerOptions({ LOG_LEVEL: 'info', NODE_ENV: 'test' }, stream) as pino.LoggerOptions, stream);
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "donors_reference_key"'), {
      code: '23505',
      detail: 'Key (reference)=(XQ-7700900461) already exists.',
    });
    const failed = new DrizzleQueryError(
      'insert into "donors" ("reference", "first_name", "phone") values ($1, $2, $3)',
      ['XQ-7700900461', 'Xanthippe', '+447700900461'],
      pgError,
    );
    log.error({ err: failed, importId: 7 }, 'import batch failed');
    const line = JSON.parse(logged) as { err: Record<string, unknown>; importId: number };
    expect(line.importId).toBe(7);
    expect(line.err).toMatchObject({ code: '23505', query: expect.stringContaining('insert into "donors"') });
    for (const personal of ['Xanthippe', '7700900461']) expect(logged).not.toContain(personal);
  });
});
