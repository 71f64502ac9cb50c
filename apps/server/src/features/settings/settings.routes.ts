import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminBreakReasonListSchema,
  adminBreakReasonSchema,
  adminEndReasonListSchema,
  adminEndReasonSchema,
  adminJobRoleListSchema,
  adminJobRoleSchema,
  adminSkipReasonListSchema,
  adminSkipReasonSchema,
  breakReasonListSchema,
  createBreakReasonBodySchema,
  createEndReasonBodySchema,
  createJobRoleBodySchema,
  createSkipReasonBodySchema,
  endReasonListSchema,
  itemIdParamsSchema,
  jobRoleListSchema,
  reorderBodySchema,
  skipReasonListSchema,
  updateBreakReasonBodySchema,
  updateEndReasonBodySchema,
  updateJobRoleBodySchema,
  updateSkipReasonBodySchema,
} from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { AdminItems, SettingsKind, SettingsService } from './settings.service';

const empty = z.object({}).optional();

/**
 * What agents pick from (job roles at Sign In, skip, end and break reasons: active ones only),
 * and the administrators' settings pages (every item, retired ones too).
 */
export const settingsRoutes: FastifyPluginAsyncZod<{ settings: SettingsService }> = async (app, { settings }) => {
  const common = { config: { access: 'agent' as const } };
  app.get(
    '/api/job-roles',
    {
      ...common,
      schema: {
        operationId: 'listJobRoles',
        tags: ['settings'],
        summary: 'Job roles an agent can sign in under',
        response: { 200: jobRoleListSchema, ...errorResponses(401) },
      },
    },
    async () => settings.jobRoles(),
  );
  app.get(
    '/api/skip-reasons',
    {
      ...common,
      schema: {
        operationId: 'listSkipReasons',
        tags: ['settings'],
        summary: 'Skip reasons, with their outcome',
        response: { 200: skipReasonListSchema, ...errorResponses(401) },
      },
    },
    async () => settings.skipReasons(),
  );
  app.get(
    '/api/end-reasons',
    {
      ...common,
      schema: {
        operationId: 'listEndReasons',
        tags: ['settings'],
        summary: 'End reasons (call dispositions), with their outcome',
        response: { 200: endReasonListSchema, ...errorResponses(401) },
      },
    },
    async () => settings.endReasons(),
  );
  app.get(
    '/api/break-reasons',
    {
      ...common,
      schema: {
        operationId: 'listBreakReasons',
        tags: ['settings'],
        summary: 'Break reasons',
        response: { 200: breakReasonListSchema, ...errorResponses(401) },
      },
    },
    async () => settings.breakReasons(),
  );

  // Administration --------------------------------------------------------------------------------

  const admin = { access: 'admin' as const };
  const tags = ['settings'];

  /** The routes every kind has: list all, reorder, retire, restore. */
  function itemRoutes(o: {
    kind: SettingsKind;
    path: string;
    /** e.g. "JobRole", "SkipReason" (operationIds) */
    op: string;
    /** e.g. "job roles" */
    plural: string;
    item: z.ZodType<AdminItems[SettingsKind]>;
    list: z.ZodType<{ items: AdminItems[SettingsKind][] }>;
  }) {
    app.get(
      o.path,
      {
        config: admin,
        schema: {
          operationId: `listAll${o.op}s`,
          tags,
          summary: `Every ${o.plural.slice(0, -1)}, retired ones too, in order`,
          response: { 200: o.list, ...errorResponses(401, 403) },
        },
      },
      async () => ({ items: await settings.listAll(o.kind) }),
    );
    app.put(
      `${o.path}/order`,
      {
        config: admin,
        schema: {
          operationId: `reorder${o.op}s`,
          tags,
          summary: `Put the ${o.plural} in a new order`,
          body: reorderBodySchema,
          response: { 200: o.list, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (req) => ({ items: await settings.reorder(currentUser(req), o.kind, req.body.ids) }),
    );
    app.post(
      `${o.path}/:id/retire`,
      {
        config: admin,
        schema: {
          operationId: `retire${o.op}`,
          tags,
          summary: `Retire one: no longer offered, kept on old records`,
          params: itemIdParamsSchema,
          body: empty,
          response: { 200: o.item, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (req) => settings.retire(currentUser(req), o.kind, req.params.id),
    );
    app.post(
      `${o.path}/:id/restore`,
      {
        config: admin,
        schema: {
          operationId: `restore${o.op}`,
          tags,
          summary: `Offer a retired one again`,
          params: itemIdParamsSchema,
          body: empty,
          response: { 200: o.item, ...errorResponses(401, 403, 404) },
        },
      },
      async (req) => settings.restore(currentUser(req), o.kind, req.params.id),
    );
  }

  const jobRoles = '/api/settings/job-roles';
  itemRoutes({
    kind: 'job_role',
    path: jobRoles,
    op: 'JobRole',
    plural: 'job roles',
    item: adminJobRoleSchema,
    list: adminJobRoleListSchema,
  });
  app.post(
    jobRoles,
    {
      config: admin,
      schema: {
        operationId: 'createJobRole',
        tags,
        summary: 'Add a job role (outbound work, inbound work or both)',
        body: createJobRoleBodySchema,
        response: { 201: adminJobRoleSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await settings.createJobRole(currentUser(req), req.body)),
  );
  app.patch(
    `${jobRoles}/:id`,
    {
      config: admin,
      schema: {
        operationId: 'updateJobRole',
        tags,
        summary: 'Rename a job role or change the work it takes',
        params: itemIdParamsSchema,
        body: updateJobRoleBodySchema,
        response: { 200: adminJobRoleSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => settings.updateJobRole(currentUser(req), req.params.id, req.body),
  );

  const skipReasons = '/api/settings/skip-reasons';
  itemRoutes({
    kind: 'skip_reason',
    path: skipReasons,
    op: 'SkipReason',
    plural: 'skip reasons',
    item: adminSkipReasonSchema,
    list: adminSkipReasonListSchema,
  });
  app.post(
    skipReasons,
    {
      config: admin,
      schema: {
        operationId: 'createSkipReason',
        tags,
        summary: 'Add a skip reason (requeue the donor, or remove them from the campaign)',
        body: createSkipReasonBodySchema,
        response: { 201: adminSkipReasonSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await settings.createSkipReason(currentUser(req), req.body)),
  );
  app.patch(
    `${skipReasons}/:id`,
    {
      config: admin,
      schema: {
        operationId: 'updateSkipReason',
        tags,
        summary: 'Rename a skip reason or change its outcome',
        params: itemIdParamsSchema,
        body: updateSkipReasonBodySchema,
        response: { 200: adminSkipReasonSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => settings.updateSkipReason(currentUser(req), req.params.id, req.body),
  );

  const endReasons = '/api/settings/end-reasons';
  itemRoutes({
    kind: 'end_reason',
    path: endReasons,
    op: 'EndReason',
    plural: 'end reasons',
    item: adminEndReasonSchema,
    list: adminEndReasonListSchema,
  });
  app.post(
    endReasons,
    {
      config: admin,
      schema: {
        operationId: 'createEndReason',
        tags,
        summary: 'Add an end reason (call disposition) with its outcome and what it counts as',
        body: createEndReasonBodySchema,
        response: { 201: adminEndReasonSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await settings.createEndReason(currentUser(req), req.body)),
  );
  app.patch(
    `${endReasons}/:id`,
    {
      config: admin,
      schema: {
        operationId: 'updateEndReason',
        tags,
        summary: 'Rename an end reason or change its outcome, retry minutes or counts',
        params: itemIdParamsSchema,
        body: updateEndReasonBodySchema,
        response: { 200: adminEndReasonSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => settings.updateEndReason(currentUser(req), req.params.id, req.body),
  );

  const breakReasons = '/api/settings/break-reasons';
  itemRoutes({
    kind: 'break_reason',
    path: breakReasons,
    op: 'BreakReason',
    plural: 'break reasons',
    item: adminBreakReasonSchema,
    list: adminBreakReasonListSchema,
  });
  app.post(
    breakReasons,
    {
      config: admin,
      schema: {
        operationId: 'createBreakReason',
        tags,
        summary: 'Add a break reason',
        body: createBreakReasonBodySchema,
        response: { 201: adminBreakReasonSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await settings.createBreakReason(currentUser(req), req.body)),
  );
  app.patch(
    `${breakReasons}/:id`,
    {
      config: admin,
      schema: {
        operationId: 'updateBreakReason',
        tags,
        summary: 'Rename a break reason',
        params: itemIdParamsSchema,
        body: updateBreakReasonBodySchema,
        response: { 200: adminBreakReasonSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => settings.updateBreakReason(currentUser(req), req.params.id, req.body),
  );
};
