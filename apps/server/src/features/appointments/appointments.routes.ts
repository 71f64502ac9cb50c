import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  appointmentIdParamsSchema,
  appointmentOwnerOptionsSchema,
  appointmentPageSchema,
  createAppointmentBodySchema,
  listAppointmentsQuerySchema,
  managerAppointmentSchema,
  updateAppointmentBodySchema,
} from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses, idempotencyKeyHeader } from '../../lib/openapi';
import type { AppointmentsService } from './appointments.service';

const appointmentParams = appointmentIdParamsSchema;
const empty = z.object({}).optional();
const manager = { access: 'manager' as const };
const tags = ['appointments'];

/** Call-backs: agents and managers book them; managers list, reschedule, reassign and cancel those of their teams. */
export const appointmentsRoutes: FastifyPluginAsyncZod<{ appointments: AppointmentsService }> = async (
  app,
  { appointments },
) => {
  app.get(
    '/api/appointments',
    {
      config: manager,
      schema: {
        operationId: 'listAppointments',
        tags,
        summary: 'Call-backs of the campaigns your teams work (admins: all), earliest first, filtered and paged',
        querystring: listAppointmentsQuerySchema,
        response: { 200: appointmentPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => appointments.list(currentUser(req), req.query),
  );

  app.post(
    '/api/appointments',
    {
      config: { access: 'agent' as const },
      schema: {
        operationId: 'createAppointment',
        tags,
        summary:
          "Book a call-back for a donor of a campaign's queue: in the future, inside the campaign's calling hours in the donor's time zone. An agent books for themselves or for anyone working the campaign; a manager for any agent of its teams. Booked during your own call with the donor, it is queued when the call ends",
        headers: idempotencyKeyHeader,
        body: createAppointmentBodySchema,
        response: { 201: managerAppointmentSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const created = await appointments.create(currentUser(req), req.body, req.headers['idempotency-key']);
      return reply.code(201).send(created);
    },
  );

  app.patch(
    '/api/appointments/:appointmentId',
    {
      config: manager,
      schema: {
        operationId: 'updateAppointment',
        tags,
        summary:
          "Reschedule (in the future, inside the campaign's calling hours in the donor's time), reassign (an agent of the campaign's teams, or null for anyone) or edit the notes of a scheduled call-back; the dialer queue moves with it",
        params: appointmentParams,
        body: updateAppointmentBodySchema,
        response: { 200: managerAppointmentSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => appointments.update(currentUser(req), req.params.appointmentId, req.body),
  );

  app.post(
    '/api/appointments/:appointmentId/cancel',
    {
      config: manager,
      schema: {
        operationId: 'cancelAppointment',
        tags,
        summary: 'Cancel a scheduled call-back: it leaves the dialer and the donor returns to the normal queue',
        params: appointmentParams,
        body: empty,
        response: { 200: managerAppointmentSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => appointments.cancel(currentUser(req), req.params.appointmentId),
  );

  app.get(
    '/api/appointments/:appointmentId/owner-options',
    {
      config: manager,
      schema: {
        operationId: 'listAppointmentOwnerOptions',
        tags,
        summary: 'Agents a call-back may be reassigned to: members of the teams working its campaign',
        params: appointmentParams,
        response: { 200: appointmentOwnerOptionsSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => appointments.ownerOptions(currentUser(req), req.params.appointmentId),
  );
};
