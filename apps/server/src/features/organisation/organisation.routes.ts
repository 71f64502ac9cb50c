import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { organisationSettingsSchema, updateOrganisationSettingsBodySchema } from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { OrganisationService } from './organisation.service';

const path = '/api/settings/organisation';
const tags = ['settings'];

/** The organisation's settings: everyone signed in reads them, administrators change them. */
export const organisationRoutes: FastifyPluginAsyncZod<{ organisation: OrganisationService }> = async (
  app,
  { organisation },
) => {
  app.get(
    path,
    {
      // Agents read them too: the donation form offers the organisation's currencies.
      config: { access: 'agent' },
      schema: {
        operationId: 'getOrganisationSettings',
        tags,
        summary: "The organisation's settings: the currencies donations are taken in, the grace after End Call",
        response: { 200: organisationSettingsSchema, ...errorResponses(401) },
      },
    },
    async () => organisation.get(),
  );

  app.patch(
    path,
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'updateOrganisationSettings',
        tags,
        summary: "Change the organisation's settings; audited",
        description:
          'Only the fields sent change. The default currency must be one of the accepted currencies. The audit trail is entity "organisation_settings" 1.',
        body: updateOrganisationSettingsBodySchema,
        response: { 200: organisationSettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => organisation.update(currentUser(req), req.body),
  );
};
