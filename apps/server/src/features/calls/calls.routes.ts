import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  callIdParamsSchema,
  callPageSchema,
  correctedCallSchema,
  inboundCallHistorySchema,
  inboundCallIdParamsSchema,
  inboundCallPageSchema,
  listCallsQuerySchema,
  listInboundCallsQuerySchema,
  updateCallBodySchema,
} from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { CallsService } from './calls.service';

const callParams = callIdParamsSchema;
const manager = { access: 'manager' as const };
const tags = ['calls'];

/** Every call of the teams a manager leads, and corrections of them. */
export const callsRoutes: FastifyPluginAsyncZod<{ calls: CallsService }> = async (app, { calls }) => {
  app.get(
    '/api/calls',
    {
      config: manager,
      schema: {
        operationId: 'listCalls',
        tags,
        summary: 'Calls of the teams you lead (admins: all), newest first, filtered and paged',
        querystring: listCallsQuerySchema,
        response: { 200: callPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => calls.list(currentUser(req), req.query),
  );

  app.get(
    '/api/calls/inbound',
    {
      config: manager,
      schema: {
        operationId: 'listInboundCalls',
        tags,
        summary:
          'Inbound calls of the lines your teams answer (admins: all), answered or not (abandoned, closed, overflow), newest first',
        querystring: listInboundCallsQuerySchema,
        response: { 200: inboundCallPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => calls.listInbound(currentUser(req), req.query),
  );

  app.get(
    '/api/calls/inbound/:inboundCallId',
    {
      config: manager,
      schema: {
        operationId: 'getInboundCallHistory',
        tags,
        summary:
          "An inbound call's whole history: queued at, each agent rung and when (missed, declined), answered at and by whom, abandoned, ended, end reason",
        params: inboundCallIdParamsSchema,
        response: { 200: inboundCallHistorySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => calls.inboundHistory(currentUser(req), req.params.inboundCallId),
  );

  app.patch(
    '/api/calls/:callId',
    {
      config: manager,
      schema: {
        operationId: 'updateCall',
        tags,
        summary:
          "Correct a call's end reason and/or notes (kept in the audit trail); a new end reason's outcome follows as at End Call unless applyOutcome is false. Not while the call is in progress.",
        params: callParams,
        body: updateCallBodySchema,
        response: { 200: correctedCallSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => calls.correct(currentUser(req), req.params.callId, req.body),
  );
};
