import {
  appointmentListSchema,
  callListSchema,
  managerAppointmentSchema,
  myCampaignListSchema,
} from '@engage/contracts';
import type {
  Appointment,
  Call,
  CallScope,
  CreateAppointmentBody,
  ManagerAppointment,
  MyCampaign,
} from '@engage/contracts';
import { api } from '../../../lib/api';

/** The team and campaign pairs the agent may work. */
export function getMyCampaigns(signal?: AbortSignal): Promise<MyCampaign[]> {
  return api('GET', '/api/me/campaigns', undefined, myCampaignListSchema, { signal });
}

/** The agent's calls; "today" is the agent's own day, so their time zone goes along. */
export function getMyCalls(scope: CallScope, signal?: AbortSignal): Promise<Call[]> {
  const query = new URLSearchParams({ scope, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  return api('GET', `/api/me/calls?${query.toString()}`, undefined, callListSchema, { signal });
}

export function getMyAppointments(signal?: AbortSignal): Promise<Appointment[]> {
  return api('GET', '/api/me/appointments', undefined, appointmentListSchema, { signal });
}

/** Book a call-back (createAppointment); the key makes a retried submission book it once. */
export function createAppointment(body: CreateAppointmentBody, idempotencyKey: string): Promise<ManagerAppointment> {
  return api('POST', '/api/appointments', body, managerAppointmentSchema, {
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}
