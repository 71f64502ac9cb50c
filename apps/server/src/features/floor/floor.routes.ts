import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { floorSchema } from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { FloorService } from './floor.service';

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
};
