import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userListSchema } from '@engage/contracts';
import { errorResponses } from '../../lib/openapi';
import type { FeatureDeps } from '../../lib/deps';
import { createUsersService } from './users.service';

export const usersRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const users = createUsersService({ db: deps.db });
  app.get(
    '/api/users',
    {
      config: { access: 'manager' },
      schema: {
        operationId: 'listUsers',
        tags: ['users'],
        summary: 'Every user account (managers and admins)',
        response: { 200: userListSchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({ users: await users.list() }),
  );
};
