import type { Call, CreateCallDonorBody, Shift } from '@engage/contracts';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api-error';
import { notifyError, notifySuccess } from '../../../lib/notify';
import {
  answerInboundCall,
  createInboundCallDonor,
  declineInboundCall,
  linkInboundCallDonor,
  listCallerDonors,
  listMyInboundLines,
  logInboundCall,
} from '../api/inbound-api';
import { callCenterKeys } from '../api/query-keys';
import { getShift } from '../api/shift-api';
import type { Softphone } from '../softphone/softphone';

/** The shift is on this call now (answered, logged, or its caller linked to a donor). */
function onCall(queryClient: QueryClient, call: Call): void {
  queryClient.setQueryData<Shift | null>(callCenterKeys.shift, (shift) =>
    shift
      ? {
          ...shift,
          state: 'on_call',
          stateSince: shift.state === 'on_call' ? shift.stateSince : new Date().toISOString(),
          offer: null,
          call,
          incoming: null,
        }
      : shift,
  );
}

function refreshShift(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: callCenterKeys.shift });
}

export interface AnswerInboundVariables {
  inboundCallId: number;
  /** The donor the agent chose in the pop-up (several share the number): the call is linked to them. */
  donor?: { id: number; name: string };
}

/**
 * Whether the registered softphone rings for this inbound call, waiting a moment for it: the
 * pop-up (Engage's event) may show before the SIP server's INVITE reaches the softphone.
 */
async function softphoneRinging(phone: Softphone | null, inboundCallId: number): Promise<boolean> {
  if (!phone?.registered()) return false;
  const until = Date.now() + 2000;
  while (phone.snapshot().incoming?.inboundCallId !== inboundCallId) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** How long Answer on the softphone waits for Engage to open the call (the SIP server reports it). */
const SIP_ANSWER_WAIT_MS = 10_000;

/**
 * The call Engage opened for the agent once the SIP server reported the softphone's answer: the
 * shift's open inbound call. Fails, saying what to do, when the softphone's line ended first or
 * Engage did not open it in time.
 */
async function callAnsweredOnSoftphone(phone: Softphone): Promise<Call> {
  const until = Date.now() + SIP_ANSWER_WAIT_MS;
  for (;;) {
    const shift = await getShift();
    if (shift?.state === 'on_call' && shift.call?.direction === 'inbound') {
      phone.bindInboundCall(shift.call.id);
      return shift.call;
    }
    const line = phone.snapshot().line;
    if (line.state === 'ended' || Date.now() > until) {
      throw new ApiError({
        code: 'conflict',
        status: 409,
        message:
          line.state === 'ended'
            ? 'The call could not be connected on the softphone (the caller may have hung up). Carry on with your work.'
            : 'You answered on the softphone, but Engage has not opened the call yet: reload the page; if the caller is still there, use Log inbound call.',
      });
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Answer the call ringing the agent: the donor workspace opens as for an outbound call. With a donor
 * chosen in the pop-up, the answered call is then linked to them (answer first, then link): should
 * the link fail, the call stays answered, the error says why and the agent chooses in the caller panel.
 * When the softphone is ringing for this call it picks up there, and Engage opens the call because
 * the SIP server reports the answer (answerInboundCall is then not sent: it would race that report).
 */
export function useAnswerInbound(phone: Softphone | null = null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ inboundCallId, donor }: AnswerInboundVariables) => {
      const answered =
        phone && (await softphoneRinging(phone, inboundCallId)) && phone.answerIncoming(inboundCallId)
          ? await callAnsweredOnSoftphone(phone)
          : await answerInboundCall(inboundCallId);
      if (!donor) return { call: answered, linkError: null };
      try {
        return { call: await linkInboundCallDonor(answered.id, donor.id), linkError: null };
      } catch (linkError) {
        return { call: answered, linkError };
      }
    },
    onSuccess: async ({ call, linkError }) => {
      notifySuccess(call.donorName ? `Call answered: ${call.donorName}` : 'Call answered: new caller');
      if (linkError !== null) notifyError(linkError);
      onCall(queryClient, call);
      await refreshShift(queryClient);
    },
    // e.g. the caller hung up or the call passed on: the server's message says so; the pop goes.
    onError: () => refreshShift(queryClient),
  });
}

/**
 * Decline the call ringing the agent: it passes to the next agent. When the softphone is ringing
 * for it, 603 Decline there, which the SIP server reports to Engage as declined.
 */
export function useDeclineInbound(phone: Softphone | null = null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (inboundCallId: number) => {
      const declined =
        phone !== null && (await softphoneRinging(phone, inboundCallId)) && phone.declineIncoming(inboundCallId);
      if (!declined) await declineInboundCall(inboundCallId);
    },
    onSuccess: async () => {
      notifySuccess('Call declined: it passes to the next agent');
      queryClient.setQueryData<Shift | null>(callCenterKeys.shift, (shift) =>
        shift ? { ...shift, incoming: null } : shift,
      );
      await refreshShift(queryClient);
    },
    onError: () => refreshShift(queryClient),
  });
}

/** The lines the agent's teams answer (none: no Log inbound call). */
export function useMyInboundLines(enabled: boolean) {
  return useQuery({
    queryKey: callCenterKeys.myInboundLines,
    queryFn: ({ signal }) => listMyInboundLines(signal),
    enabled,
    staleTime: 60_000,
  });
}

/** Log a call picked up on a desk phone: the same workspace as an answered call follows. */
export function useLogInbound() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logInboundCall,
    meta: { handlesErrors: true },
    onSuccess: async (logged) => {
      notifySuccess(`Inbound call logged on ${logged.lineName}`);
      onCall(queryClient, logged.call);
      await refreshShift(queryClient);
    },
  });
}

/** The donors the caller of the open inbound call may be: by their number (q ''), or a search. */
export function useCallerDonors(callId: number, q: string) {
  return useQuery({
    queryKey: callCenterKeys.callerDonors(callId, q),
    queryFn: ({ signal }) => listCallerDonors(callId, q, signal),
  });
}

/** This donor is the caller. */
export function useLinkCallDonor(callId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ donorId }: { donorId: number; name: string }) => linkInboundCallDonor(callId, donorId),
    onSuccess: (call, { name }) => {
      notifySuccess(`Caller linked to ${name}`);
      onCall(queryClient, call);
    },
    onError: () => refreshShift(queryClient),
  });
}

/** A new caller: the donor made from the call, and the call linked to them. */
export function useCreateCallDonor(callId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCallDonorBody) => createInboundCallDonor(callId, body),
    meta: { handlesErrors: true },
    onSuccess: ({ call, donor }) => {
      notifySuccess(`Donor created: ${donor.name} (${donor.reference})`);
      onCall(queryClient, call);
    },
  });
}
