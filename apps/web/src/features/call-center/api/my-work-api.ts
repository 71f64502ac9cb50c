import type {
  Appointment,
  Call,
  CallScope,
  CreateAppointmentBody,
  ManagerAppointment,
  MyCampaign,
} from '@engage/contracts';
import { apiCall } from '../../../lib/api';

/** The team and campaign pairs the agent may work. */
export function getMyCampaigns(signal?: AbortSignal): Promise<MyCampaign[]> {
  return apiCall('listMyCampaigns', {}, { signal });
}

/** The agent's calls; "today" is the agent's own day, so their time zone goes along. */
export function getMyCalls(scope: CallScope, signal?: AbortSignal): Promise<Call[]> {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return apiCall('listMyCalls', { query: { scope, timeZone } }, { signal });
}

export function getMyAppointments(signal?: AbortSignal): Promise<Appointment[]> {
  return apiCall('listMyAppointments', {}, { signal });
}

/** Book a call-back (createAppointment); the key makes a retried submission book it once. */
export function createAppointment(body: CreateAppointmentBody, idempotencyKey: string): Promise<ManagerAppointment> {
  return apiCall('createAppointment', { body }, { headers: { 'Idempotency-Key': idempotencyKey } });
}
