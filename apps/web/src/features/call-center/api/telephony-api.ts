import type { CallLine, CallSignalBody, SoftphoneCredentials, Telephony } from '@engage/contracts';
import { apiCall } from '../../../lib/api';

/** Which phone system the screens use: none (tel: links) or sip (the softphone). */
export function getTelephony(signal?: AbortSignal): Promise<Telephony> {
  return apiCall('getTelephony', {}, { signal });
}

/** Short-lived credentials for the softphone, while the agent is signed into a shift. */
export function createSoftphoneCredentials(): Promise<SoftphoneCredentials> {
  return apiCall('createSoftphoneCredentials', { body: {} });
}

/** What the softphone saw of a call; `keepalive` so the hang-up still arrives when the page closes. */
export function recordCallSignal(callId: number, body: CallSignalBody): Promise<CallLine> {
  return apiCall('recordCallSignal', { params: { callId }, body }, { keepalive: true });
}
