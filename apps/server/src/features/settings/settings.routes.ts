import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { breakReasonListSchema, endReasonListSchema, jobRoleListSchema, skipReasonListSchema } from '@engage/contracts';
import { errorResponses } from '../../lib/openapi';
import type { FeatureDeps } from '../../lib/deps';
import { createSettingsService } from './settings.service';

/** What agents pick from: job roles at Sign In, and the skip, end and break reasons. */
export const settingsRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const settings = createSettingsService({ db: deps.db });
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
};
