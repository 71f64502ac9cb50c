import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { donationSchema, donorProfileSchema, recordDonationBodySchema } from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses, idempotencyKeyHeader } from '../../lib/openapi';
import type { FeatureDeps } from '../../lib/deps';
import { createDonorsService } from './donors.service';

const donorParams = z.object({ donorId: z.coerce.number().int().positive() });

export const donorsRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const donors = createDonorsService({ pool: deps.pool, now: deps.now });
  app.get(
    '/api/donors/:donorId',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'getDonor',
        tags: ['donors'],
        summary: "A donor's profile: details, donations, sponsorships, payments, timeline",
        params: donorParams,
        response: { 200: donorProfileSchema, ...errorResponses(401, 404) },
      },
    },
    async (req) => donors.getProfile(currentUser(req), req.params.donorId),
  );

  app.post(
    '/api/donors/:donorId/donations',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'recordDonation',
        tags: ['donors'],
        summary: 'Record a donation taken on a call (amount in minor units)',
        params: donorParams,
        headers: idempotencyKeyHeader,
        body: recordDonationBodySchema,
        response: { 201: donationSchema, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const donation = await donors.recordDonation(
        currentUser(req),
        req.params.donorId,
        req.body,
        req.headers['idempotency-key'],
      );
      return reply.status(201).send(donation);
    },
  );
};
