import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  callDonorCreatedSchema,
  callerDonorsQuerySchema,
  callerDonorsSchema,
  callIdParamsSchema,
  createCallDonorBodySchema,
  inboundQueueSchema,
  linkCallDonorBodySchema,
  logInboundCallBodySchema,
  loggedInboundCallStartedSchema,
  myInboundLinesSchema,
  startCallResponseSchema,
} from '@engage/contracts';
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
          'Log a call picked up on a desk phone (no phone system): the caller is matched to donors, the call recorded on the line and your shift goes on it',
        body: logInboundCallBodySchema,
        response: { 201: loggedInboundCallStartedSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await inboundDesk.logCall(currentUser(req), req.body)),
  );

  app.get(
    '/api/me/inbound-lines',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'listMyInboundLines',
        tags,
        summary: 'The inbound lines your teams answer (the line a desk-phone call is logged on)',
        response: { 200: myInboundLinesSchema, ...errorResponses(401) },
      },
    },
    async (req) => inboundDesk.myLines(currentUser(req)),
  );

  app.get(
    '/api/inbound/on-call/:callId/donors',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'listCallerDonors',
        tags,
        summary:
          "Who the caller of your open inbound call may be: the donors with the caller's number, or a search of every donor (q)",
        params: callIdParamsSchema,
        querystring: callerDonorsQuerySchema,
        response: { 200: callerDonorsSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req) => inboundDesk.callerDonors(currentUser(req), req.params.callId, req.query.q),
  );

  app.put(
    '/api/inbound/on-call/:callId/donor',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'linkInboundCallDonor',
        tags,
        summary: 'Link the caller of your open inbound call to a donor (one of several matches, or found by search)',
        params: callIdParamsSchema,
        body: linkCallDonorBodySchema,
        response: { 200: startCallResponseSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req) => inboundDesk.linkDonor(currentUser(req), req.params.callId, req.body.donorId),
  );

  app.post(
    '/api/inbound/on-call/:callId/donor',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'createInboundCallDonor',
        tags,
        summary:
          'A new caller: make the donor from your open inbound call (name, phone, email) and link the call to them',
        params: callIdParamsSchema,
        body: createCallDonorBodySchema,
        response: { 201: callDonorCreatedSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await inboundDesk.createDonor(currentUser(req), req.params.callId, req.body)),
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
