import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  appointmentOwnerOptionsSchema,
  appointmentPageSchema,
  listAppointmentsQuerySchema,
  managerAppointmentSchema,
  updateAppointmentBodySchema,
} from '@engage/contracts';
import { currentUser } from '../../lib/guard';
import { errorResponses } from '../../lib/openapi';
import type { FeatureDeps } from '../../lib/deps';
import { createAppointmentsService } from './appointments.service';

const appointmentParams = z.object({ appointmentId: z.coerce.number().int().positive() });
const empty = z.object({}).optional();
const manager = { access: 'manager' as const };
const tags = ['appointments'];

/** Every call-back of the campaigns a manager's teams work: list, reschedule, reassign, cancel. */
export const appointmentsRoutes: FastifyPluginAsyncZod<FeatureDeps> = async (app, deps) => {
  const appointments = createAppointmentsService(deps);

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
