import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  callIdParamsSchema,
  callLineSchema,
  callSignalBodySchema,
  softphoneCredentialsSchema,
  telephonySchema,
} from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { TelephonyService } from './telephony.service';

/** The phone system the screens use, the softphone's credentials, and the signalling it observed. */
export const telephonyRoutes: FastifyPluginAsyncZod<{ telephony: TelephonyService }> = async (app, { telephony }) => {
  const tags = ['telephony'];

  app.get(
    '/api/telephony',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'getTelephony',
        tags,
        summary:
          "The phone system agents' screens use: none (tel: links, desk-phone calls logged) or sip (a softphone)",
        response: { 200: telephonySchema, ...errorResponses(401) },
      },
    },
    async () => telephony.telephony(),
  );

  app.post(
    '/api/telephony/credentials',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'createSoftphoneCredentials',
        tags,
        summary:
          'Short-lived SIP credentials for your softphone while you are signed into a shift (keep them in memory only; ask again before expiresAt)',
        body: z.object({}).optional(),
        response: { 200: softphoneCredentialsSchema, ...errorResponses(401, 409) },
      },
    },
    async (req, reply) => {
      const creds = await telephony.softphoneCredentials(currentUser(req));
      return reply.header('cache-control', 'no-store').send(creds);
    },
  );

  app.post(
    '/api/calls/:callId/signals',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'recordCallSignal',
        tags,
        summary:
          "What your softphone saw of your call's signalling (dialled, answered, ended with the SIP status): the call record's times and hang-up; repeats change nothing",
        params: callIdParamsSchema,
        body: callSignalBodySchema,
        response: { 200: callLineSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req) => telephony.recordSignal(currentUser(req), req.params.callId, req.body),
  );
};
