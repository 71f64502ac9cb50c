import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { floorSchema, floorShiftParamsSchema } from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { FloorAction, FloorService } from './floor.service';

export const floorRoutes: FastifyPluginAsyncZod<{ floor: FloorService }> = async (app, { floor }) => {
  app.get(
    '/api/floor',
    {
      config: { access: 'manager' },
      schema: {
        operationId: 'listFloor',
        tags: ['floor'],
        summary:
          "The live floor: agents signed in now, their state and time in it (teams you lead; a member's work for another team shows only as busy elsewhere)",
        response: { 200: floorSchema, ...errorResponses(401, 403) },
      },
    },
    async (req) => floor.list(currentUser(req)),
  );

  const actions: { path: string; action: FloorAction; operationId: string; summary: string; done: string }[] = [
    {
      path: '/api/floor/shifts/:shiftId/sign-out',
      action: 'end_shift',
      operationId: 'endAgentShift',
      summary:
        'Sign an agent out now: their open call is ended (kept on record as "Ended by a manager", the donor called again later) and a donor on their screen released (teams you lead)',
      done: 'Signed out',
    },
    {
      path: '/api/floor/shifts/:shiftId/end-call',
      action: 'end_call',
      operationId: 'endAgentCall',
      summary:
        'End an agent\'s open call now: kept on record as "Ended by a manager", the donor called again later; the agent is ready again (teams you lead)',
      done: 'Call ended',
    },
    {
      path: '/api/floor/shifts/:shiftId/release-donor',
      action: 'release_donor',
      operationId: 'releaseAgentDonor',
      summary:
        "Release the donor on an agent's screen (not yet called) back to the queue, with no attempt counted; the agent is ready again (teams you lead)",
      done: 'Donor released',
    },
  ];
  for (const a of actions) {
    app.post(
      a.path,
      {
        config: { access: 'manager' },
        schema: {
          operationId: a.operationId,
          tags: ['floor'],
          summary: a.summary,
          params: floorShiftParamsSchema,
          response: { 204: z.null().describe(a.done), ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (req, reply) => {
        await floor.act(currentUser(req), req.params.shiftId, a.action);
        return reply.status(204).send(null);
      },
    );
  }
};
