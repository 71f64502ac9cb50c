import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  donationSchema,
  donorDetailsSchema,
  donorIdParamsSchema,
  donorPageSchema,
  donorSearchQuerySchema,
  recordDonationBodySchema,
  updateDonorBodySchema,
} from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses, idempotencyKeyHeader } from '../../lib/openapi';
import type { DonorsService } from './donors.service';

const donorParams = donorIdParamsSchema;

export const donorsRoutes: FastifyPluginAsyncZod<{ donors: DonorsService }> = async (app, { donors }) => {
  app.get(
    '/api/donors',
    {
      config: { access: 'manager' },
      schema: {
        operationId: 'searchDonors',
        tags: ['donors'],
        summary: 'Search donors by name (accents and case ignored), reference, phone number or email',
        description:
          'A manager finds the donors their work reaches: on a list they made, on a list of a campaign of a team they lead, or called by a team they lead (an empty search: all of those). An administrator finds every donor.',
        querystring: donorSearchQuerySchema,
        response: { 200: donorPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => donors.search(currentUser(req), req.query),
  );

  app.patch(
    '/api/donors/:donorId',
    {
      config: { access: 'manager' },
      schema: {
        operationId: 'updateDonor',
        tags: ['donors'],
        summary: "Edit a donor's details and flags (do not call, deceased, suppressed); audited",
        description:
          "Only the fields sent change. Phone numbers are read in the donor's country unless they start with +, and stored E.164. Flags take effect in the dialer at once. A manager edits only donors their work reaches (as in searchDonors; 404 otherwise); an administrator any donor.",
        params: donorParams,
        body: updateDonorBodySchema,
        response: { 200: donorDetailsSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => donors.updateDonor(currentUser(req), req.params.donorId, req.body),
  );

  app.get(
    '/api/donors/:donorId',
    {
      config: { access: 'agent' },
      schema: {
        operationId: 'getDonor',
        tags: ['donors'],
        summary: "A donor's profile: details, donations, sponsorships, payments, timeline",
        params: donorParams,
        response: { 200: donorDetailsSchema, ...errorResponses(401, 404) },
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
