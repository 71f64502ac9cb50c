import {
  callSchema,
  nextDonorResponseSchema,
  shiftOrNullSchema,
  shiftSchema,
  startCallResponseSchema,
} from '@engage/contracts';
import type { Call, EndCallBody, NextDonorResponse, Shift } from '@engage/contracts';
import { api } from '../../../lib/api';

/** The agent's open shift, or null when signed out of shifts. */
export function getShift(signal?: AbortSignal): Promise<Shift | null> {
  return api('GET', '/api/shift', undefined, shiftOrNullSchema, { signal });
}

/** Sign In under a job role. */
export function openShift(jobRoleId: number): Promise<Shift> {
  return api('POST', '/api/shift', { jobRoleId }, shiftSchema);
}

/** Ready for Call on a team and campaign. */
export function setReady(body: { teamId: number; campaignId: number }): Promise<Shift> {
  return api('POST', '/api/shift/ready', body, shiftSchema);
}

/** Ask the dialer for the next donor: an offer, or why there is none (Out of Data). */
export function requestNextDonor(): Promise<NextDonorResponse> {
  return api('POST', '/api/shift/next', {}, nextDonorResponseSchema);
}

export async function skipOffer(offerId: number, body: { skipReasonId: number; notes?: string }): Promise<void> {
  await api('POST', `/api/offers/${offerId}/skip`, body);
}

export async function startCall(offerId: number): Promise<Call> {
  const { call } = await api('POST', `/api/offers/${offerId}/start`, {}, startCallResponseSchema);
  return call;
}

/** End Call. The same `idempotencyKey` is sent again when the same submission is retried. */
export function endCall(callId: number, body: EndCallBody, idempotencyKey: string): Promise<Call> {
  return api('POST', `/api/calls/${callId}/end`, body, callSchema, { headers: { 'Idempotency-Key': idempotencyKey } });
}

export function takeBreak(breakReasonId: number): Promise<Shift> {
  return api('POST', '/api/shift/break', { breakReasonId }, shiftSchema);
}

export function resumeShift(): Promise<Shift> {
  return api('POST', '/api/shift/resume', {}, shiftSchema);
}

/** Sign Out of the shift (the session stays). */
export async function closeShift(): Promise<void> {
  await api('POST', '/api/shift/close', {});
}

export async function sendHeartbeat(): Promise<void> {
  await api('POST', '/api/shift/heartbeat', {});
}
