import { describe, expect, it } from 'vitest';
import { errorCodes } from '@engage/contracts';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { retryingConflicts } from './tx';
import { AppError, errorStatus, isUniqueViolation, sqlState, toAppError } from './errors';

describe('errors', () => {
  it('every error code has one HTTP status', () => {
    expect(Object.keys(errorStatus).sort()).toEqual([...errorCodes].sort());
    expect(new AppError('forbidden', 'no').status).toBe(403);
    expect(new AppError('rate_limited', 'slow down').status).toBe(429);
  });

  it('maps Fastify parser errors to the public codes', () => {
    expect(
      toAppError(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 })).code,
    ).toBe('malformed_json');
    expect(
      toAppError(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })).code,
    ).toBe('payload_too_large');
  });

  it('hides the details of anything unexpected', () => {
    const e = toAppError(new Error('relation "users" does not exist'));
    expect(e.code).toBe('internal_error');
    expect(e.message).not.toContain('relation');
  });

  it('answers 503 when the database connection is lost or a statement runs out of time, and 500 otherwise', () => {
    const pgError = (code: string) => Object.assign(new Error('db says no'), { code, severity: 'FATAL' });
    for (const lost of [
      pgError('57P01'),
      pgError('08006'),
      pgError('25P03'),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
    ]) {
      const e = toAppError(lost);
      expect(e).toMatchObject({ code: 'service_unavailable', status: 503 });
      expect(e.message).toMatch(/database was interrupted\. Try again/);
      expect(e.opts.headers?.['retry-after']).toBeDefined();
    }
    expect(toAppError(pgError('57014')).message).toMatch(/took too long .* nothing was changed\. Try again/);
    expect(toAppError(pgError('23505')).code).toBe('internal_error');
  });

  it('recognises a unique violation from the pg client or wrapped by Drizzle, and nothing else', () => {
    const pgError = (code: string) => Object.assign(new Error('duplicate key'), { code });
    expect(isUniqueViolation(pgError('23505'))).toBe(true);
    expect(isUniqueViolation(new Error('Failed query', { cause: pgError('23505') }))).toBe(true);
    expect(isUniqueViolation(pgError('23503'))).toBe(false); // foreign_key_violation
    expect(isUniqueViolation(new Error('Failed query', { cause: pgError('40001') }))).toBe(false);
    expect(isUniqueViolation(new Error('23505'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });

  it("reads the SQLSTATE through Drizzle's wrapper: 503 for a lost connection or a time-out, retries on a deadlock", async () => {
    const wrapped = (code: string) =>
      new DrizzleQueryError('select 1', ['Ada', '+447700900123'], Object.assign(new Error('pg says no'), { code }));
    expect(sqlState(wrapped('40P01'))).toBe('40P01');
    expect(sqlState(new Error('no code'))).toBeUndefined();
    expect(toAppError(wrapped('57014'))).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(toAppError(wrapped('57P01'))).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(toAppError(wrapped('23503')).status).toBe(500);
    let attempts = 0;
    const result = await retryingConflicts(() => {
      attempts++;
      if (attempts < 3) throw wrapped(attempts === 1 ? '40P01' : '40001');
      return Promise.resolve('done');
    });
    expect({ result, attempts }).toEqual({ result: 'done', attempts: 3 });
  });
});
