import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { inboundQueueSchema, logInboundCallBodySchema, loggedInboundCallSchema } from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { InboundDeskService } from './inbound-desk.service';

/** The agent's desk phone (Log inbound call) and the managers' view of the lines' queues. */
export const inboundDeskRoutes: FastifyPluginAsyncZod<{ inboundDesk: InboundDeskService }> = async (
  app,
  { inboundDesk },
) => {
  const tags = ['inbound'];

  app.post(
    '/api/inbound/calls/log',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'logInboundCall',
        tags,
        summary:
          'Log a call picked up on a desk phone (no phone system): the caller is matched to donors and the call recorded on the line',
        body: logInboundCallBodySchema,
        response: { 201: loggedInboundCallSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await inboundDesk.logCall(currentUser(req), req.body)),
  );

  app.get(
    '/api/inbound/queue',
    {
      config: { access: 'manager' },
      schema: {
        operationId: 'listInboundQueue',
        tags,
        summary:
          "Each line's queue: callers waiting, longest wait, agents free (lines answered by teams you lead; admins: every line)",
        response: { 200: inboundQueueSchema, ...errorResponses(401, 403) },
      },
    },
    async (req) => inboundDesk.listQueue(currentUser(req)),
  );
};
