import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminUserListSchema,
  adminUserSchema,
  createUserBodySchema,
  resetPasswordBodySchema,
  updateUserBodySchema,
  userIdParamsSchema,
} from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { UsersService } from './users.service';

/** User accounts: managers read them (to build teams), administrators manage them. */
export const usersRoutes: FastifyPluginAsyncZod<{ users: UsersService }> = async (app, { users }) => {
  const tags = ['users'];

  app.get(
    '/api/users',
    {
      config: { access: 'manager' },
      schema: {
        operationId: 'listUsers',
        tags,
        summary:
          'Every user account, with their teams (a manager: the teams they lead) and whether you may add them to your teams',
        response: { 200: adminUserListSchema, ...errorResponses(401, 403) },
      },
    },
    async (req) => ({ users: await users.list(currentUser(req)) }),
  );

  app.post(
    '/api/users',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'createUser',
        tags,
        summary: 'Create a user account',
        body: createUserBodySchema,
        response: { 201: adminUserSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await users.create(req.body, currentUser(req))),
  );

  app.patch(
    '/api/users/:userId',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'updateUser',
        tags,
        summary: "Change a user's name, email, role or teams",
        params: userIdParamsSchema,
        body: updateUserBodySchema,
        response: { 200: adminUserSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => users.update(currentUser(req), req.params.userId, req.body),
  );

  app.post(
    '/api/users/:userId/disable',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'disableUser',
        tags,
        summary: 'Disable an account: it can no longer sign in, and its sessions end at once',
        params: userIdParamsSchema,
        response: { 200: adminUserSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => users.disable(currentUser(req), req.params.userId),
  );

  app.post(
    '/api/users/:userId/enable',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'enableUser',
        tags,
        summary: 'Enable a disabled account again',
        params: userIdParamsSchema,
        response: { 200: adminUserSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => users.enable(currentUser(req), req.params.userId),
  );

  app.post(
    '/api/users/:userId/password',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'resetPassword',
        tags,
        summary: 'Set a new password for a user; their sessions end and they sign in with it',
        params: userIdParamsSchema,
        body: resetPasswordBodySchema,
        response: { 204: z.null().describe('Password changed'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await users.resetPassword(currentUser(req), req.params.userId, req.body.password);
      return reply.status(204).send(null);
    },
  );
};
