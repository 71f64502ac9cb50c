import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userListSchema } from '@engage/contracts';
import { errorResponses } from '../../lib/openapi';
import type { UsersService } from './users.service';

export const usersRoutes: FastifyPluginAsyncZod<{ users: UsersService }> = async (app, { users }) => {
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
