import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { healthResponseSchema } from '@engage/contracts';
import type { Db } from '../../db/client';
import { errorResponses } from '../../lib/openapi';

export const healthRoutes: FastifyPluginAsyncZod<{ db: Db; embedded: boolean; version: string }> = async (
  app,
  { db, embedded, version },
) => {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      logLevel: 'warn',
      schema: {
        operationId: 'getHealth',
        tags: ['system'],
        summary: 'Whether the server and its database answer',
        response: { 200: healthResponseSchema, 503: healthResponseSchema, ...errorResponses(400) },
      },
    },
    async (_req, reply) => {
      const t0 = performance.now();
      let ok = true;
      try {
        await db.execute(sql`select 1`);
      } catch {
        ok = false;
      }
      const latencyMs = ok ? Math.round((performance.now() - t0) * 10) / 10 : null;
      return reply.status(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'degraded',
        database: { ok, latencyMs, embedded },
        version,
        uptimeSeconds: Math.round(process.uptime()),
      });
    },
  );
};
