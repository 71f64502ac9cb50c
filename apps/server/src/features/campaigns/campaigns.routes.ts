import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  campaignIdParamsSchema,
  campaignListParamsSchema,
  campaignProgressSchema,
  campaignSchema,
  campaignSummaryListSchema,
  connectListBodySchema,
  createCampaignBodySchema,
  listCampaignsQuerySchema,
  setCampaignTeamsBodySchema,
  setListPriorityBodySchema,
  updateCampaignBodySchema,
} from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { CampaignsService } from './campaigns.service';

/**
 * Campaigns, for managers: a manager sees and changes the campaigns worked by the teams they lead
 * (any other answers 404, as if it did not exist); an admin all of them. Changes to connected
 * lists bring the dialer's queue in step before answering.
 */
export const campaignsRoutes: FastifyPluginAsyncZod<{ campaigns: CampaignsService }> = async (app, { campaigns }) => {
  const access = { access: 'manager' as const };
  const tags = ['campaigns'];

  app.get(
    '/api/campaigns',
    {
      config: access,
      schema: {
        operationId: 'listCampaigns',
        tags,
        summary: 'Campaigns of the teams you lead (admins: every campaign)',
        querystring: listCampaignsQuerySchema,
        response: { 200: campaignSummaryListSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => ({ campaigns: await campaigns.list(currentUser(req), req.query.status) }),
  );

  app.post(
    '/api/campaigns',
    {
      config: access,
      schema: {
        operationId: 'createCampaign',
        tags,
        summary: 'Create a campaign (a draft); a manager attaches at least one team they lead',
        body: createCampaignBodySchema,
        response: { 201: campaignSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await campaigns.create(currentUser(req), req.body)),
  );

  app.get(
    '/api/campaigns/:campaignId',
    {
      config: access,
      schema: {
        operationId: 'getCampaign',
        tags,
        summary: 'One campaign: its settings, teams, connected lists and the statuses it may move to',
        params: campaignIdParamsSchema,
        response: { 200: campaignSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => campaigns.get(currentUser(req), req.params.campaignId),
  );

  app.patch(
    '/api/campaigns/:campaignId',
    {
      config: access,
      schema: {
        operationId: 'updateCampaign',
        tags,
        summary:
          'Change any field of a campaign, its teams or its status (draft→active, active→paused, paused→active, draft/active/paused→finished)',
        params: campaignIdParamsSchema,
        body: updateCampaignBodySchema,
        response: { 200: campaignSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => campaigns.update(currentUser(req), req.params.campaignId, req.body),
  );

  app.put(
    '/api/campaigns/:campaignId/teams',
    {
      config: access,
      schema: {
        operationId: 'setCampaignTeams',
        tags,
        summary: 'Set the teams that work a campaign',
        params: campaignIdParamsSchema,
        body: setCampaignTeamsBodySchema,
        response: { 200: campaignSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => campaigns.setTeams(currentUser(req), req.params.campaignId, req.body.teamIds),
  );

  app.post(
    '/api/campaigns/:campaignId/lists',
    {
      config: access,
      schema: {
        operationId: 'connectList',
        tags,
        summary: 'Connect a donor list to a campaign, at a priority (lower is called first); its donors join the queue',
        params: campaignIdParamsSchema,
        body: connectListBodySchema,
        response: { 200: campaignSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => campaigns.connectList(currentUser(req), req.params.campaignId, req.body),
  );

  app.patch(
    '/api/campaigns/:campaignId/lists/:listId',
    {
      config: access,
      schema: {
        operationId: 'setListPriority',
        tags,
        summary: "Change a connected list's priority",
        params: campaignListParamsSchema,
        body: setListPriorityBodySchema,
        response: { 200: campaignSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) =>
      campaigns.setListPriority(currentUser(req), req.params.campaignId, req.params.listId, req.body.priority),
  );

  app.delete(
    '/api/campaigns/:campaignId/lists/:listId',
    {
      config: access,
      schema: {
        operationId: 'disconnectList',
        tags,
        summary: 'Disconnect a list: its donors not yet called leave the queue; calls made stay',
        params: campaignListParamsSchema,
        response: { 200: campaignSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => campaigns.disconnectList(currentUser(req), req.params.campaignId, req.params.listId),
  );

  app.get(
    '/api/campaigns/:campaignId/progress',
    {
      config: access,
      schema: {
        operationId: 'getCampaignProgress',
        tags,
        summary: 'The queue now: donors in all, finished, waiting for a retry, held, callable, and Out of Data',
        params: campaignIdParamsSchema,
        response: { 200: campaignProgressSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => campaigns.progress(currentUser(req), req.params.campaignId),
  );
};
