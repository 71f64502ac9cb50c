import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FeatureDeps } from '../../lib/deps';

// Being written (issue 4): the routes of this feature register here.
export const teamsRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (_app, _deps) => {};
