import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createInboundLineBodySchema,
  createPhoneSystemTokenBodySchema,
  createdPhoneSystemTokenSchema,
  inboundCallEventAnswerSchema,
  inboundCallEventBodySchema,
  inboundCallIdParamsSchema,
  inboundLineIdParamsSchema,
  inboundLineListSchema,
  inboundLineSchema,
  offerInboundCallAnswerSchema,
  offerInboundCallBodySchema,
  phoneSystemTokenIdParamsSchema,
  phoneSystemTokenListSchema,
  phoneSystemTokenSchema,
  startCallResponseSchema,
  updateInboundLineBodySchema,
} from '@engage/contracts';
import { z } from 'zod';
import { AppError } from '../../lib/errors';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { InboundService, PhoneSystem } from './inbound.service';
import { keepRawJsonBodies, PHONE_SYSTEM_SECURITY, phoneSystemAuth } from './phone-system-auth';

/**
 * Inbound lines (managers for the teams they lead, admins all) and phone-system tokens (admins).
 */
export const inboundRoutes: FastifyPluginAsyncZod<{ inbound: InboundService; now: () => Date }> = async (
  app,
  { inbound, now },
) => {
  const tags = ['inbound'];

  app.get(
    '/api/inbound/lines',
    {
      config: { access: 'manager' },
      schema: {
        operationId: 'listInboundLines',
        tags,
        summary: 'Inbound lines answered by teams you lead (admins: every line)',
        response: { 200: inboundLineListSchema, ...errorResponses(401, 403) },
      },
    },
    async (req) => ({ lines: await inbound.listLines(currentUser(req)) }),
  );

  app.post(
    '/api/inbound/lines',
    {
      config: { access: 'manager' },
      schema: {
        operationId: 'createInboundLine',
        tags,
        summary: 'Create an inbound line; a manager names only teams they lead',
        body: createInboundLineBodySchema,
        response: { 201: inboundLineSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await inbound.createLine(currentUser(req), req.body)),
  );

  app.patch(
    '/api/inbound/lines/:lineId',
    {
      config: { access: 'manager' },
      schema: {
        operationId: 'updateInboundLine',
        tags,
        summary: 'Change an inbound line; a manager only a line answered only by teams they lead',
        params: inboundLineIdParamsSchema,
        body: updateInboundLineBodySchema,
        response: { 200: inboundLineSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => inbound.updateLine(currentUser(req), req.params.lineId, req.body),
  );

  app.get(
    '/api/phone-system-tokens',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'listPhoneSystemTokens',
        tags,
        summary: "The phone systems' API tokens, newest first, revoked ones too (never the token itself)",
        response: { 200: phoneSystemTokenListSchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({ tokens: await inbound.listTokens() }),
  );

  app.post(
    '/api/phone-system-tokens',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'createPhoneSystemToken',
        tags,
        summary: "Create a phone system's API token; the token is shown this once",
        body: createPhoneSystemTokenBodySchema,
        response: { 201: createdPhoneSystemTokenSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await inbound.createToken(currentUser(req), req.body)),
  );

  app.post(
    '/api/phone-system-tokens/:tokenId/revoke',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'revokePhoneSystemToken',
        tags,
        summary: 'Revoke a phone-system token: it authenticates nothing from now on',
        params: phoneSystemTokenIdParamsSchema,
        response: { 200: phoneSystemTokenSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => inbound.revokeToken(currentUser(req), req.params.tokenId),
  );

  app.post(
    '/api/inbound/calls/:inboundCallId/answer',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'answerInboundCall',
        tags,
        summary: "Answer the inbound call ringing you: your shift goes on the call, recorded under the line's campaign",
        params: inboundCallIdParamsSchema,
        body: z.object({}).optional(),
        response: { 200: startCallResponseSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req) => inbound.answerCall(currentUser(req), req.params.inboundCallId),
  );

  app.post(
    '/api/inbound/calls/:inboundCallId/decline',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'declineInboundCall',
        tags,
        summary: 'Decline the inbound call ringing you: it counts as a miss and rings the next agent',
        params: inboundCallIdParamsSchema,
        body: z.object({}).optional(),
        response: { 204: z.null().describe('Declined'), ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) => {
      await inbound.declineCall(currentUser(req), req.params.inboundCallId);
      return reply.status(204).send(null);
    },
  );

  await app.register(phoneSystemRoutes, { inbound, now });
};

/** The largest body the phone system's routes read (413 beyond): a call's offer or event is a few hundred bytes. */
export const PHONE_SYSTEM_BODY_LIMIT = 16 * 1024;

/**
 * The phone system's API: no session, but its token and a signature of each body
 * (phone-system-auth.ts), checked before the body is validated. Its own plugin, so that only
 * these routes keep the raw body.
 */
const phoneSystemRoutes: FastifyPluginAsyncZod<{ inbound: InboundService; now: () => Date }> = async (
  app,
  { inbound, now },
) => {
  // A body is read before its signature can be checked: anybody may send one, so it is kept small.
  keepRawJsonBodies(app);
  const authenticate = phoneSystemAuth({ findPhoneSystem: (token) => inbound.findPhoneSystem(token), now });
  const tags = ['phone system'];
  const phoneSystem = (req: { phoneSystem?: PhoneSystem }) => {
    if (!req.phoneSystem) throw new AppError('unauthenticated', 'Authenticate as a phone system.');
    return req.phoneSystem;
  };

  app.post(
    '/api/phone-system/calls',
    {
      config: { access: 'public' },
      bodyLimit: PHONE_SYSTEM_BODY_LIMIT,
      preValidation: authenticate,
      schema: {
        operationId: 'offerInboundCall',
        tags,
        security: PHONE_SYSTEM_SECURITY,
        summary: 'A call arrives: Engage answers ring an agent, queue, closed or overflow (idempotent on callId)',
        description:
          "Authenticated as a phone system: `Authorization: Bearer <token>` and `X-Engage-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 keyed with the token over t + \".\" + the raw body>`; a t more than 300 s from the server's clock is refused. The same callId again records nothing and answers the call's current instruction: while a caller is queued, the phone system re-sends the offer every few seconds (polling) to learn when an agent is rung (`ring` with the agent), its place meanwhile (`queue`), or the line's action when the wait runs out (`overflow`); an ended or abandoned call answers 409.",
        body: offerInboundCallBodySchema,
        response: { 200: offerInboundCallAnswerSchema, ...errorResponses(400, 401, 404, 409, 413, 422) },
      },
    },
    async (req) => inbound.offerCall(phoneSystem(req), req.body),
  );

  app.post(
    '/api/phone-system/calls/events',
    {
      config: { access: 'public' },
      bodyLimit: PHONE_SYSTEM_BODY_LIMIT,
      preValidation: authenticate,
      schema: {
        operationId: 'inboundCallEvent',
        tags,
        security: PHONE_SYSTEM_SECURITY,
        summary: 'Something happened to a call (ringing, answered, no_answer, declined, abandoned, ended)',
        description:
          'Authenticated as offerInboundCall is. Idempotent: the same event twice records nothing the second time (`recorded: false`). A caller who hung up (abandoned) is never rung again. A late or repeated `ringing` for an agent who already let the call ring out or declined it records nothing. `answered` by an agent Engage did not ring starts their call when they are free, else it is recorded and answers 409 saying why; `ringing` an agent already rung for another call answers 409.',
        body: inboundCallEventBodySchema,
        response: { 200: inboundCallEventAnswerSchema, ...errorResponses(400, 401, 404, 409, 413) },
      },
    },
    async (req) => inbound.callEvent(phoneSystem(req), req.body),
  );
};
