import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  appointmentListSchema,
  callIdParamsSchema,
  callListSchema,
  callSchema,
  endCallBodySchema,
  listMyCallsQuerySchema,
  myCampaignListSchema,
  nextDonorResponseSchema,
  offerIdParamsSchema,
  openShiftBodySchema,
  setReadyBodySchema,
  shiftOrNullSchema,
  shiftSchema,
  skipOfferBodySchema,
  startCallResponseSchema,
  takeBreakBodySchema,
} from '@engage/contracts';
import type { IncomingInboundCall } from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses, idempotencyKeyHeader } from '../../lib/openapi';
import type { DialerService } from './dialer.service';

const offerParams = offerIdParamsSchema;
const callParams = callIdParamsSchema;
const empty = z.object({}).optional();
const agent = { access: 'agent' as const };
const tags = ['agent shift'];

/** The agent's API: what the web app and a phone-system integration call. */
export const dialerRoutes: FastifyPluginAsyncZod<{
  dialer: DialerService;
  /** The inbound call ringing the agent now (the inbound service's), for getShift's `incoming`; asked only when the shift is marked ringing. */
  incoming?: (agentId: number) => Promise<IncomingInboundCall | null>;
  /** The agent became free (Ready, a call ended, back from break): a queued inbound call of their lines rings. */
  becameFree?: (agentId: number) => Promise<void>;
}> = async (app, { dialer, incoming, becameFree }) => {
  /** Answers `result`, after offering the agent a waiting inbound call; a failure there is logged, not answered. */
  async function thenFree<T>(agentId: number, result: T, log: { warn(o: object, m: string): void }): Promise<T> {
    await becameFree?.(agentId).catch((err: unknown) => log.warn({ err }, 'could not route a queued inbound call'));
    return result;
  }

  app.get(
    '/api/me/campaigns',
    {
      config: agent,
      schema: {
        operationId: 'listMyCampaigns',
        tags,
        summary: 'Team and campaign pairs the agent may work now',
        response: { 200: myCampaignListSchema, ...errorResponses(401) },
      },
    },
    async (req) => dialer.listMyCampaigns(currentUser(req)),
  );

  app.get(
    '/api/shift',
    {
      config: agent,
      schema: {
        operationId: 'getShift',
        tags,
        summary: 'The open shift with its state, offer and call, or null',
        response: { 200: shiftOrNullSchema, ...errorResponses(401) },
      },
    },
    async (req) => {
      const found = await dialer.getShiftAndRinging(currentUser(req));
      if (!found) return null;
      // Most polls find no call ringing: the shift row says so, and nothing more is read.
      const ringing = found.ringingInboundCallId !== null && incoming;
      return { ...found.shift, incoming: ringing ? await incoming(currentUser(req).id) : null };
    },
  );

  app.post(
    '/api/shift',
    {
      config: agent,
      schema: {
        operationId: 'openShift',
        tags,
        summary: 'Sign In: open a shift under a job role',
        body: openShiftBodySchema,
        response: { 201: shiftSchema, ...errorResponses(400, 401, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await dialer.openShift(currentUser(req), req.body.jobRoleId)),
  );

  app.post(
    '/api/shift/ready',
    {
      config: agent,
      schema: {
        operationId: 'setReady',
        tags,
        summary:
          'Ready for Call: choose the team and campaign to work (a job role that takes inbound calls only sends neither: Ready for inbound calls)',
        body: setReadyBodySchema,
        response: { 200: shiftSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) =>
      thenFree(
        currentUser(req).id,
        await dialer.setReady(currentUser(req), req.body.teamId, req.body.campaignId),
        req.log,
      ),
  );

  app.post(
    '/api/shift/next',
    {
      config: agent,
      schema: {
        operationId: 'nextDonor',
        tags,
        summary: 'Hold the next donor for this agent, or explain why there is none (Out of Data)',
        body: empty,
        response: { 200: nextDonorResponseSchema, ...errorResponses(401, 403, 409) },
      },
    },
    async (req) => dialer.nextDonor(currentUser(req)),
  );

  app.post(
    '/api/offers/:offerId/skip',
    {
      config: agent,
      schema: {
        operationId: 'skipOffer',
        tags,
        summary: 'Skip the offered donor with a reason',
        params: offerParams,
        body: skipOfferBodySchema,
        response: { 204: z.null().describe('Skipped'), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await dialer.skipOffer(currentUser(req), req.params.offerId, req.body.skipReasonId, req.body.notes);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/offers/:offerId/start',
    {
      config: agent,
      schema: {
        operationId: 'startCall',
        tags,
        summary: 'Start Call: open the call record for the offered donor',
        params: offerParams,
        body: empty,
        response: { 200: startCallResponseSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => dialer.startCall(currentUser(req), req.params.offerId),
  );

  app.post(
    '/api/calls/:callId/end',
    {
      config: agent,
      schema: {
        operationId: 'endCall',
        tags,
        summary: 'End Call with an end reason (and a call-back when the reason books one)',
        params: callParams,
        headers: idempotencyKeyHeader,
        body: endCallBodySchema,
        response: { 200: callSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) =>
      thenFree(
        currentUser(req).id,
        await dialer.endCall(currentUser(req), req.params.callId, req.body, req.headers['idempotency-key']),
        req.log,
      ),
  );

  app.post(
    '/api/shift/break',
    {
      config: agent,
      schema: {
        operationId: 'takeBreak',
        tags,
        summary: 'Take Break with a reason (a donor on screen goes back to the queue)',
        body: takeBreakBodySchema,
        response: { 200: shiftSchema, ...errorResponses(400, 401, 409) },
      },
    },
    async (req) => dialer.takeBreak(currentUser(req), req.body.breakReasonId),
  );

  app.post(
    '/api/shift/resume',
    {
      config: agent,
      schema: {
        operationId: 'resumeShift',
        tags,
        summary: 'Resume Shift after a break',
        body: empty,
        response: { 200: shiftSchema, ...errorResponses(401, 409) },
      },
    },
    async (req) => thenFree(currentUser(req).id, await dialer.resumeShift(currentUser(req)), req.log),
  );

  app.post(
    '/api/shift/close',
    {
      config: agent,
      schema: {
        operationId: 'closeShift',
        tags,
        summary: 'Sign Out: close the shift (not while a call is open)',
        body: empty,
        response: { 204: z.null().describe('Signed out of the shift'), ...errorResponses(401, 409) },
      },
    },
    async (req, reply) => {
      await dialer.closeShift(currentUser(req));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/shift/heartbeat',
    {
      config: agent,
      logLevel: 'warn',
      schema: {
        operationId: 'heartbeat',
        tags,
        summary: "The agent's screen is still there: keeps the shift's lease (send every 15 s)",
        body: empty,
        response: { 204: z.null().describe('Lease extended'), ...errorResponses(401, 409) },
      },
    },
    async (req, reply) => {
      await dialer.heartbeat(currentUser(req));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me/calls',
    {
      config: agent,
      schema: {
        operationId: 'listMyCalls',
        tags,
        summary: "The agent's calls: this shift, today or all",
        querystring: listMyCallsQuerySchema,
        response: { 200: callListSchema, ...errorResponses(400, 401) },
      },
    },
    async (req) => {
      const { scope, limit, timeZone } = req.query;
      return dialer.listMyCalls(currentUser(req), scope, limit, validZone(timeZone));
    },
  );

  app.get(
    '/api/me/appointments',
    {
      config: agent,
      schema: {
        operationId: 'listMyAppointments',
        tags,
        summary: "The agent's call-backs (upcoming first) and their campaigns' open ones",
        response: { 200: appointmentListSchema, ...errorResponses(401) },
      },
    },
    async (req) => dialer.listMyAppointments(currentUser(req)),
  );
};

function validZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}
