import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createListBodySchema,
  createListFromSearchBodySchema,
  listDetailsSchema,
  listIdParamsSchema,
  listListSchema,
  listMemberPageSchema,
  listMembersQuerySchema,
  updateListBodySchema,
} from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import { csvResponse, sendCsv } from './csv';
import type { ListsService } from './lists.service';

/** Lists of donors (managers): browse, create, rename, members, from a search, export. */
export const listsRoutes: FastifyPluginAsyncZod<{ lists: ListsService }> = async (app, { lists }) => {
  const access = { access: 'manager' as const };

  app.get(
    '/api/lists',
    {
      config: access,
      schema: {
        operationId: 'listLists',
        tags: ['lists'],
        summary: 'Every list, with its donor count and the campaigns it feeds',
        response: { 200: listListSchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({ lists: await lists.list() }),
  );

  app.post(
    '/api/lists',
    {
      config: access,
      schema: {
        operationId: 'createList',
        tags: ['lists'],
        summary: 'Create an empty list (fill it by a CSV import or from a donor search)',
        body: createListBodySchema,
        response: { 201: listDetailsSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await lists.create(currentUser(req), req.body)),
  );

  app.post(
    '/api/lists/from-search',
    {
      config: access,
      schema: {
        operationId: 'createListFromSearch',
        tags: ['lists'],
        summary: 'Create a list holding every donor a donor search finds',
        description:
          "Takes the same `q` as searchDonors; all matching donors are added, not just one page. A manager's list gets only donors their work reaches (as searchDonors: an empty search never takes the whole database); an administrator's any.",
        body: createListFromSearchBodySchema,
        response: { 201: listDetailsSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await lists.createFromSearch(currentUser(req), req.body)),
  );

  app.get(
    '/api/lists/:listId',
    {
      config: access,
      schema: {
        operationId: 'getList',
        tags: ['lists'],
        summary: 'A list: name, description, donor count, campaigns',
        params: listIdParamsSchema,
        response: { 200: listDetailsSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => lists.get(req.params.listId),
  );

  app.patch(
    '/api/lists/:listId',
    {
      config: access,
      schema: {
        operationId: 'updateList',
        tags: ['lists'],
        summary: 'Rename a list or change its description; audited',
        params: listIdParamsSchema,
        body: updateListBodySchema,
        response: { 200: listDetailsSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => lists.update(currentUser(req), req.params.listId, req.body),
  );

  app.get(
    '/api/lists/:listId/members',
    {
      config: access,
      schema: {
        operationId: 'listListMembers',
        tags: ['lists'],
        summary: "A page of a list's donors, most recently added first",
        description: 'A manager sees the donors their work reaches (as searchDonors); an administrator every donor.',
        params: listIdParamsSchema,
        querystring: listMembersQuerySchema,
        response: { 200: listMemberPageSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => lists.members(currentUser(req), req.params.listId, req.query),
  );

  app.get(
    '/api/lists/:listId/export',
    {
      config: access,
      schema: {
        operationId: 'exportList',
        tags: ['lists'],
        summary: "Download a list's donors as a CSV file; audited",
        description:
          "A manager's file holds the donors their work reaches (as searchDonors); an administrator's every donor of the list. Each export is written to the list's audit trail (who, when, how many rows) before the first row is sent.",
        params: listIdParamsSchema,
        response: { 200: csvResponse, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { fileName, stream } = await lists.exportCsv(currentUser(req), req.params.listId);
      return sendCsv(reply, fileName, stream);
    },
  );
};
