import type { Call, EndCallBody, NextDonorResponse, Shift } from '@engage/contracts';
import { apiCall } from '../../../lib/api';

/** The agent's open shift, or null when signed out of shifts. */
export function getShift(signal?: AbortSignal): Promise<Shift | null> {
  return apiCall('getShift', {}, { signal });
}

/** Sign In under a job role. */
export function openShift(jobRoleId: number): Promise<Shift> {
  return apiCall('openShift', { body: { jobRoleId } });
}

/** Ready for Call on a team and campaign; under a job role that takes inbound calls only, neither. */
export function setReady(body: { teamId?: number; campaignId?: number }): Promise<Shift> {
  return apiCall('setReady', { body });
}

/** Ask the dialer for the next donor: an offer, or why there is none (Out of Data). */
export function requestNextDonor(): Promise<NextDonorResponse> {
  return apiCall('nextDonor', { body: {} });
}

export async function skipOffer(offerId: number, body: { skipReasonId: number; notes?: string }): Promise<void> {
  await apiCall('skipOffer', { params: { offerId }, body });
}

export async function startCall(offerId: number): Promise<Call> {
  const { call } = await apiCall('startCall', { params: { offerId }, body: {} });
  return call;
}

/** End Call. The same `idempotencyKey` is sent again when the same submission is retried. */
export function endCall(callId: number, body: EndCallBody, idempotencyKey: string): Promise<Call> {
  return apiCall('endCall', { params: { callId }, body }, { headers: { 'Idempotency-Key': idempotencyKey } });
}

export function takeBreak(breakReasonId: number): Promise<Shift> {
  return apiCall('takeBreak', { body: { breakReasonId } });
}

export function resumeShift(): Promise<Shift> {
  return apiCall('resumeShift', { body: {} });
}

/** Sign Out of the shift (the session stays). */
export async function closeShift(): Promise<void> {
  await apiCall('closeShift', { body: {} });
}

export async function sendHeartbeat(): Promise<void> {
  await apiCall('heartbeat', { body: {} });
}
