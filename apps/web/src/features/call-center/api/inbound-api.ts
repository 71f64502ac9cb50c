import type {
  Call,
  CallDonorCreated,
  CallerDonors,
  CreateCallDonorBody,
  LoggedInboundCallStarted,
  MyInboundLines,
} from '@engage/contracts';
import { apiCall } from '../../../lib/api';

/** Answer the inbound call ringing the agent: their shift goes on the call. */
export async function answerInboundCall(inboundCallId: number): Promise<Call> {
  const { call } = await apiCall('answerInboundCall', { params: { inboundCallId }, body: {} });
  return call;
}

/** Decline the inbound call ringing the agent: it rings the next agent. */
export async function declineInboundCall(inboundCallId: number): Promise<void> {
  await apiCall('declineInboundCall', { params: { inboundCallId }, body: {} });
}

/** The lines the agent's teams answer. */
export function listMyInboundLines(signal?: AbortSignal): Promise<MyInboundLines> {
  return apiCall('listMyInboundLines', {}, { signal });
}

/** A call picked up on a desk phone: recorded on the line, and the agent's shift on it. */
export function logInboundCall(body: { lineId?: number; from: string }): Promise<LoggedInboundCallStarted> {
  return apiCall('logInboundCall', { body });
}

/** Who the caller may be: the donors with their number (no `q`), or a search of every donor. */
export function listCallerDonors(callId: number, q: string, signal?: AbortSignal): Promise<CallerDonors> {
  return apiCall('listCallerDonors', { params: { callId }, query: q === '' ? {} : { q } }, { signal });
}

export async function linkInboundCallDonor(callId: number, donorId: number): Promise<Call> {
  const { call } = await apiCall('linkInboundCallDonor', { params: { callId }, body: { donorId } });
  return call;
}

export function createInboundCallDonor(callId: number, body: CreateCallDonorBody): Promise<CallDonorCreated> {
  return apiCall('createInboundCallDonor', { params: { callId }, body });
}
