import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  addTeamMemberBodySchema,
  createTeamBodySchema,
  setTeamLeaderBodySchema,
  teamIdParamsSchema,
  teamListSchema,
  teamMemberParamsSchema,
  teamSchema,
  updateTeamBodySchema,
} from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { TeamsService } from './teams.service';

/**
 * Teams, for managers: a manager sees and changes the teams they lead (a team they do not lead
 * answers 404, as if it did not exist); an admin all of them.
 */
export const teamsRoutes: FastifyPluginAsyncZod<{ teams: TeamsService }> = async (app, { teams }) => {
  const access = { access: 'manager' as const };
  const tags = ['teams'];

  app.get(
    '/api/teams',
    {
      config: access,
      schema: {
        operationId: 'listTeams',
        tags,
        summary: 'Teams you lead (admins: every team), with members and campaigns',
        response: { 200: teamListSchema, ...errorResponses(401, 403) },
      },
    },
    async (req) => ({ teams: await teams.list(currentUser(req)) }),
  );

  app.post(
    '/api/teams',
    {
      config: access,
      schema: {
        operationId: 'createTeam',
        tags,
        summary: 'Create a team; a manager who creates it leads it',
        body: createTeamBodySchema,
        response: { 201: teamSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await teams.create(currentUser(req), req.body)),
  );

  app.get(
    '/api/teams/:teamId',
    {
      config: access,
      schema: {
        operationId: 'getTeam',
        tags,
        summary: 'One team, with its members and campaigns',
        params: teamIdParamsSchema,
        response: { 200: teamSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => teams.get(currentUser(req), req.params.teamId),
  );

  app.patch(
    '/api/teams/:teamId',
    {
      config: access,
      schema: {
        operationId: 'updateTeam',
        tags,
        summary: 'Rename a team',
        params: teamIdParamsSchema,
        body: updateTeamBodySchema,
        response: { 200: teamSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => teams.update(currentUser(req), req.params.teamId, req.body),
  );

  app.post(
    '/api/teams/:teamId/members',
    {
      config: access,
      schema: {
        operationId: 'addTeamMember',
        tags,
        summary: 'Add a user to a team, as a member or a leader',
        params: teamIdParamsSchema,
        body: addTeamMemberBodySchema,
        response: { 200: teamSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => teams.addMember(currentUser(req), req.params.teamId, req.body),
  );

  app.delete(
    '/api/teams/:teamId/members/:userId',
    {
      config: access,
      schema: {
        operationId: 'removeTeamMember',
        tags,
        summary: 'Take a user out of a team',
        params: teamMemberParamsSchema,
        response: { 200: teamSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => teams.removeMember(currentUser(req), req.params.teamId, req.params.userId),
  );

  app.put(
    '/api/teams/:teamId/members/:userId/leader',
    {
      config: access,
      schema: {
        operationId: 'setTeamLeader',
        tags,
        summary: 'Make a member a leader of the team, or not',
        params: teamMemberParamsSchema,
        body: setTeamLeaderBodySchema,
        response: { 200: teamSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => teams.setLeader(currentUser(req), req.params.teamId, req.params.userId, req.body.isLeader),
  );
};
