import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditTrailQuerySchema, auditTrailSchema } from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { AuditService } from './audit.service';

/** The audit trail of one record. */
export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/api/audit',
    {
      config: { access: 'manager' },
      schema: {
        operationId: 'getAuditTrail',
        tags: ['audit'],
        summary:
          'Who changed a record, when, from what to what (newest first). Managers: calls and appointments of the teams they lead, donors their work reaches (edits and imports), and campaigns they may read; admins: any entity type.',
        querystring: auditTrailQuerySchema,
        response: { 200: auditTrailSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => audit.trail(currentUser(req), req.query.entityType, req.query.entityId),
  );
};
