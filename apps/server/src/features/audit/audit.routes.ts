import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditTrailQuerySchema, auditTrailSchema } from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { FeatureDeps } from '../../lib/deps';
import { createAppointmentsService } from '../appointments/appointments.service';
import { createCallsService } from '../calls/calls.service';
import { createCampaignsService } from '../campaigns/campaigns.service';
import { createDonorsService } from '../donors/donors.service';
import { createOrganisationService } from '../organisation/organisation.service';
import { createAuditService } from './audit.service';

/** The audit trail of one record. Registered by the calls plugin (app.ts lists feature plugins). */
export const auditRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const calls = createCallsService(deps);
  const appointments = createAppointmentsService(deps);
  const organisation = createOrganisationService({ pool: deps.pool, now: deps.now });
  const donors = createDonorsService({ pool: deps.pool, now: deps.now, dialer: deps.dialer, organisation, calls });
  const campaigns = createCampaignsService({ db: deps.db, dialer: deps.dialer, organisation, now: deps.now });
  // Each entity's trail is read under the same rule as the entity itself (its service's check).
  const audit = createAuditService({
    pool: deps.pool,
    scopes: {
      call: calls.assertInScope,
      appointment: appointments.assertInScope,
      donor: donors.assertInScope,
      campaign: campaigns.assertInScope,
    },
  });

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
