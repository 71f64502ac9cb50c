import { z } from 'zod';
import { errorResponseSchema } from '@engage/contracts';

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

/** Documents the error answers a route can give, all in the one error shape. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S, typeof errorResponseSchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorResponseSchema])) as Record<S, typeof errorResponseSchema>;
}

/** The optional Idempotency-Key header of operations that must not run twice. */
export const idempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .optional()
    .describe(
      'A unique key per intended operation (e.g. a UUID): a retry with the same key and body answers the first result again',
    ),
});
